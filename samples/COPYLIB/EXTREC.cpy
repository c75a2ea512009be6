000100*****************************************************************
000200* COPYBOOK : EXTREC                                             *
000300* PURPOSE  : ACCOUNT EXTRACT / SORT RECORD (100 BYTES) BUILT BY *
000400*            ACCTSORT, READ BY ACCTRPT.  SORT ORDER IS BRANCH,  *
000500*            ACCOUNT TYPE, ACCOUNT ID.  PREFIX :TAG: IS SET BY  *
000600*            THE COPY STATEMENT (REPLACING ==:TAG:== BY ==XX==).*
000700* AUTHOR   : T. BAPTISTE                                        *
000800* DATE     : 2011-04-19                                         *
000900*****************************************************************
001000     05  :TAG:-BRANCH                PIC X(4).
001100     05  :TAG:-ACCT-TYPE             PIC X(2).
001200     05  :TAG:-ACCT-ID               PIC X(11).
001300     05  :TAG:-CUST-ID               PIC 9(9).
001400     05  :TAG:-SHORT-NAME            PIC X(25).
001500     05  :TAG:-STATUS                PIC X(1).
001600     05  :TAG:-BALANCE               PIC S9(11)V99 COMP-3.
001700     05  :TAG:-CREDIT-LIMIT          PIC S9(9)V99  COMP-3.
001800     05  :TAG:-ACCRUED-INT           PIC S9(9)V99  COMP-3.
001900     05  :TAG:-TRAN-COUNT            PIC S9(7)     COMP-3.
002000     05  FILLER                      PIC X(25).
