       IDENTIFICATION DIVISION.
       PROGRAM-ID. CSACVAL.
      *****************************************************************
      * PROGRAM  : CSACVAL                                            *
      * PURPOSE  : VALIDATE AN ONLINE ACCOUNT CHANGE (STATUS AND/OR   *
      *            CREDIT LIMIT).  INVOKED BY EXEC CICS LINK FROM     *
      *            CSACCT; NO TERMINAL I/O, NO FILE I/O.              *
      *            RESULT IN VC-RESULT: A APPROVED, R REFERRED TO A   *
      *            SUPERVISOR, D DECLINED; REASON IN VC-MESSAGE.      *
      *   RULES  : STATUS MUST BE A, F OR C                           *
      *            AN ACCOUNT WITH A NON-ZERO BALANCE CANNOT CLOSE    *
      *            A CLOSED ACCOUNT CANNOT BE REOPENED ONLINE         *
      *            MAXIMUM LIMIT: CHECKING 5,000 (OVERDRAFT),         *
      *            CREDIT CARD 25,000, SAVINGS 0                      *
      *            AN INCREASE OF MORE THAN 50 PCT IS REFERRED        *
      * COMMAREA : COPY VALCOMM                                       *
      * AUTHOR   : T. BAPTISTE                                        *
      * DATE     : 2012-11-05                                         *
      * CHANGES  : 2014-03-03 TJB  STATUS RULES ADDED (CR5517)        *
      *****************************************************************
       ENVIRONMENT DIVISION.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-LIMIT-RULES.
           05  WS-MAX-CHECKING-LIMIT       PIC S9(9)V99 COMP-3
                                           VALUE +5000.00.
           05  WS-MAX-CARD-LIMIT           PIC S9(9)V99 COMP-3
                                           VALUE +25000.00.
           05  WS-MAX-LIMIT                PIC S9(9)V99 COMP-3.
           05  WS-REFER-THRESHOLD          PIC S9(9)V99 COMP-3.
       01  WS-STATUS-CHECK                 PIC X(1).
           88  WS-STATUS-VALID             VALUE 'A' 'F' 'C'.
       LINKAGE SECTION.
       01  DFHCOMMAREA.
           COPY VALCOMM.
       PROCEDURE DIVISION.
       0000-MAIN.
           IF EIBCALEN < LENGTH OF DFHCOMMAREA
               EXEC CICS ABEND ABCODE('CSVL') END-EXEC
           END-IF
           SET VC-APPROVED TO TRUE
           MOVE SPACES TO VC-MESSAGE
           IF VC-NEW-STATUS NOT = VC-OLD-STATUS
               PERFORM 1000-CHECK-STATUS-CHANGE
           END-IF
           IF VC-APPROVED AND VC-NEW-LIMIT NOT = VC-OLD-LIMIT
               PERFORM 2000-CHECK-LIMIT-CHANGE
           END-IF
           EXEC CICS RETURN END-EXEC.
      *----------------------------------------------------------------
       1000-CHECK-STATUS-CHANGE.
           MOVE VC-NEW-STATUS TO WS-STATUS-CHECK
           EVALUATE TRUE ALSO TRUE
               WHEN NOT WS-STATUS-VALID ALSO ANY
                   SET VC-DECLINED TO TRUE
                   MOVE 'STATUS MUST BE A, F OR C' TO VC-MESSAGE
               WHEN VC-OLD-STATUS = 'C' ALSO ANY
                   SET VC-DECLINED TO TRUE
                   MOVE 'CLOSED ACCOUNTS CANNOT BE REOPENED ONLINE'
                     TO VC-MESSAGE
               WHEN VC-NEW-STATUS = 'C' ALSO VC-BALANCE NOT = ZERO
                   SET VC-DECLINED TO TRUE
                   MOVE 'BALANCE MUST BE ZERO TO CLOSE THE ACCOUNT'
                     TO VC-MESSAGE
               WHEN OTHER
                   CONTINUE
           END-EVALUATE.
      *----------------------------------------------------------------
       2000-CHECK-LIMIT-CHANGE.
           EVALUATE VC-ACCT-TYPE
               WHEN 'CK'
                   MOVE WS-MAX-CHECKING-LIMIT TO WS-MAX-LIMIT
               WHEN 'CC'
                   MOVE WS-MAX-CARD-LIMIT TO WS-MAX-LIMIT
               WHEN OTHER
                   MOVE ZERO TO WS-MAX-LIMIT
           END-EVALUATE
           COMPUTE WS-REFER-THRESHOLD ROUNDED = VC-OLD-LIMIT * 1.5
           EVALUATE TRUE
               WHEN VC-NEW-LIMIT < ZERO
                   SET VC-DECLINED TO TRUE
                   MOVE 'LIMIT CANNOT BE NEGATIVE' TO VC-MESSAGE
               WHEN VC-NEW-LIMIT > WS-MAX-LIMIT
                   SET VC-DECLINED TO TRUE
                   MOVE 'LIMIT ABOVE MAXIMUM FOR ACCOUNT TYPE'
                     TO VC-MESSAGE
               WHEN VC-NEW-LIMIT > WS-REFER-THRESHOLD
                AND VC-OLD-LIMIT > ZERO
                   SET VC-REFERRED TO TRUE
                   MOVE 'INCREASE OVER 50 PCT - SUPERVISOR APPROVAL'
                     TO VC-MESSAGE
               WHEN OTHER
                   CONTINUE
           END-EVALUATE.
