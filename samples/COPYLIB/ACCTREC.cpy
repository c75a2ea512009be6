000100*****************************************************************
000200* COPYBOOK : ACCTREC                                            *
000300* PURPOSE  : ACCOUNT MASTER RECORD.  VSAM KSDS ACCT.MASTER,      *
000400*            KEY ACCT-ID (11 BYTES AT OFFSET 0), LRECL 200.     *
000500*            SIGNED AMOUNTS: POSITIVE = FUNDS HELD FOR THE      *
000600*            CUSTOMER, NEGATIVE = AMOUNT OWED BY THE CUSTOMER.  *
000700* AUTHOR   : R. HALVORSEN                                       *
000800* DATE     : 1994-03-11                                         *
000900* CHANGES  : 1998-11-02 RH   Y2K - ALL DATES NOW CCYYMMDD       *
001000*            2009-06-15 MKO  ACCT-OVERDRAFT-FLAG ADDED (CR4471) *
001100*            2016-02-08 TJB  ACCT-LAST-INT-DATE ADDED (CR5820)  *
001200*****************************************************************
001300 01  ACCOUNT-RECORD.
001400     05  ACCT-KEY.
001500         10  ACCT-ID                 PIC X(11).
001600     05  ACCT-CUST-ID                PIC 9(9).
001700     05  ACCT-BRANCH                 PIC X(4).
001800     05  ACCT-TYPE                   PIC X(2).
001900         88  ACCT-CHECKING           VALUE 'CK'.
002000         88  ACCT-SAVINGS            VALUE 'SV'.
002100         88  ACCT-CREDIT-CARD        VALUE 'CC'.
002200         88  ACCT-TYPE-VALID         VALUE 'CK' 'SV' 'CC'.
002300     05  ACCT-STATUS                 PIC X(1).
002400         88  ACCT-ACTIVE             VALUE 'A'.
002500         88  ACCT-FROZEN             VALUE 'F'.
002600         88  ACCT-CLOSED             VALUE 'C'.
002700         88  ACCT-STATUS-VALID       VALUE 'A' 'F' 'C'.
002800     05  ACCT-SHORT-NAME             PIC X(25).
002900     05  ACCT-OPEN-DATE              PIC 9(8).
003000     05  ACCT-LAST-ACTIVITY-DATE     PIC 9(8).
003100     05  ACCT-LAST-INT-DATE          PIC 9(8).
003200     05  ACCT-BALANCE                PIC S9(11)V99 COMP-3.
003300     05  ACCT-CREDIT-LIMIT           PIC S9(9)V99  COMP-3.
003400     05  ACCT-ACCRUED-INT            PIC S9(9)V99  COMP-3.
003500     05  ACCT-CYCLE-CREDITS          PIC S9(9)V99  COMP-3.
003600     05  ACCT-CYCLE-DEBITS           PIC S9(9)V99  COMP-3.
003700     05  ACCT-TRAN-COUNT             PIC S9(7)     COMP-3.
003800     05  ACCT-OVERDRAFT-FLAG         PIC X(1).
003900         88  ACCT-OVERDRAFT-ALLOWED  VALUE 'Y'.
004000         88  ACCT-NO-OVERDRAFT       VALUE 'N' ' '.
004100     05  FILLER                      PIC X(88).
