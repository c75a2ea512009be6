000100*****************************************************************
000200* COPYBOOK : REJREC                                             *
000300* PURPOSE  : REJECTED TRANSACTION (120 BYTES, RECFM=FB).        *
000400*            WRITTEN BY TRANPOST, LISTED BY REJRPT.             *
000500*            REASON CODES: SEE VALPARM AND REJRPT TABLE.        *
000600* AUTHOR   : L. DESROSIERS                                      *
000700* DATE     : 2003-10-06                                         *
000800*****************************************************************
000900 01  REJECT-RECORD.
001000     05  REJ-TRAN-DATA               PIC X(80).
001100     05  REJ-TRAN-FIELDS REDEFINES REJ-TRAN-DATA.
001200         10  REJ-TRAN-ID             PIC X(10).
001300         10  REJ-ACCT-ID             PIC X(11).
001400         10  REJ-TRAN-TYPE           PIC X(2).
001500         10  REJ-TRAN-AMOUNT         PIC S9(9)V99
001600                                     SIGN IS LEADING SEPARATE.
001700         10  REJ-TRAN-DATE           PIC 9(8).
001800         10  FILLER                  PIC X(37).
001900     05  REJ-REASON-CODE             PIC 9(2).
002000     05  REJ-REASON-TEXT             PIC X(30).
002100     05  FILLER                      PIC X(8).
