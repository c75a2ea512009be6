000100*****************************************************************
000200* COPYBOOK : RATEREC                                            *
000300* PURPOSE  : INTEREST / FEE RATE TABLE RECORD (80 BYTES, FB).   *
000400*            ONE RECORD PER ACCOUNT TYPE AND BALANCE TIER,      *
000500*            ASCENDING TIER WITHIN TYPE.  TYPE 'OD' HOLDS THE   *
000600*            OVERDRAFT RATE FOR CHECKING ACCOUNTS.              *
000700* AUTHOR   : M. OYELARAN                                        *
000800* DATE     : 2009-06-15                                         *
000900*****************************************************************
001000 01  RATE-RECORD.
001100     05  RATE-ACCT-TYPE              PIC X(2).
001200     05  RATE-TIER-MIN               PIC 9(11)V99.
001300     05  RATE-PCT                    PIC 9(2)V9(4).
001400     05  RATE-FEE                    PIC 9(5)V99.
001500     05  RATE-DESC                   PIC X(20).
001600     05  FILLER                      PIC X(32).
