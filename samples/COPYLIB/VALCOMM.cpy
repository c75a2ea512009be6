      *****************************************************************
      * COPYBOOK : VALCOMM                                            *
      * PURPOSE  : COMMAREA FOR EXEC CICS LINK PROGRAM('CSACVAL').    *
      *            CODE IT UNDER A 01 LEVEL OF YOUR OWN (DFHCOMMAREA  *
      *            IN CSACVAL).                                       *
      * AUTHOR   : T. BAPTISTE                                        *
      * DATE     : 2012-11-05                                         *
      *****************************************************************
           05  VC-REQUEST.
               10  VC-ACCT-ID              PIC X(11).
               10  VC-ACCT-TYPE            PIC X(2).
               10  VC-OLD-STATUS           PIC X(1).
               10  VC-NEW-STATUS           PIC X(1).
               10  VC-BALANCE              PIC S9(11)V99 COMP-3.
               10  VC-OLD-LIMIT            PIC S9(9)V99  COMP-3.
               10  VC-NEW-LIMIT            PIC S9(9)V99  COMP-3.
               10  VC-USER-ID              PIC X(8).
           05  VC-RESPONSE.
               10  VC-RESULT               PIC X(1).
                   88  VC-APPROVED         VALUE 'A'.
                   88  VC-REFERRED         VALUE 'R'.
                   88  VC-DECLINED         VALUE 'D'.
               10  VC-MESSAGE              PIC X(50).
