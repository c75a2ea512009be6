000100*****************************************************************
000200* COPYBOOK : VALPARM                                            *
000300* PURPOSE  : RESULT BLOCK RETURNED BY CALL 'ACCTVAL'.           *
000400*   REASON CODES  10 INVALID AMOUNT       11 INVALID TRAN TYPE  *
000500*                 12 INVALID TRAN DATE    20 ACCOUNT CLOSED     *
000600*                 21 ACCOUNT FROZEN       22 STATUS UNKNOWN     *
000700*                 30 TYPE NOT ALLOWED     40 INSUFFICIENT FUNDS *
000800*                 41 OVER CREDIT LIMIT                          *
000900* AUTHOR   : L. DESROSIERS                                      *
001000* DATE     : 2003-10-06                                         *
001100*****************************************************************
001200     05  VAL-RETURN-CODE             PIC 9(2).
001300         88  VAL-OK                  VALUE 00.
001400         88  VAL-TRAN-ERROR          VALUE 10 THRU 19.
001500         88  VAL-ACCOUNT-ERROR       VALUE 20 THRU 29.
001600         88  VAL-RULE-ERROR          VALUE 30 THRU 39.
001700         88  VAL-FUNDS-ERROR         VALUE 40 THRU 49.
001800     05  VAL-REASON-TEXT             PIC X(30).
001900     05  VAL-AVAILABLE               PIC S9(11)V99 COMP-3.
