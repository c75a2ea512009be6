       IDENTIFICATION DIVISION.
       PROGRAM-ID. CUSTCONV.
      *****************************************************************
      * PROGRAM  : CUSTCONV                                           *
      * PURPOSE  : CONVERT THE CUSTOMER FEED (COMMA SEPARATED TEXT    *
      *            FROM THE ONBOARDING SYSTEM) INTO CUSTOMER MASTER   *
      *            RECORDS.  NAMES AND ADDRESSES ARE UPPER-CASED AND  *
      *            LEFT-JUSTIFIED, THE DISPLAY NAME IS BUILT AS       *
      *            "LAST, FIRST", THE PHONE NUMBER IS REDUCED TO ITS  *
      *            10 DIGITS AND THE DATE OF BIRTH IS VALIDATED.      *
      *            LINES STARTING WITH '#' ARE COMMENTS.              *
      * INPUT    : CUSTIN   - CUSTOMER FEED, 9 FIELDS PER LINE:       *
      *            ID,LAST,FIRST,STREET,CITY,STATE,ZIP,PHONE,DOB      *
      * OUTPUT   : CUSTOUT  - CUSTOMER MASTER (FB 160, COPY CUSTREC)  *
      * CALLS    : DATEUTIL (STATIC) - DATE OF BIRTH VALIDATION       *
      * RC       : 0 ALL CONVERTED, 4 SOME REJECTED, 16 FILE ERROR    *
      * AUTHOR   : L. DESROSIERS                                      *
      * DATE     : 2003-09-30                                         *
      * CHANGES  : 2018-05-14 TJB  PHONE FORMATS WITH BLANKS/BRACKETS *
      *****************************************************************
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT CUST-FEED ASSIGN TO CUSTIN
               ORGANIZATION IS LINE SEQUENTIAL
               FILE STATUS IS WS-FEED-STATUS.
           SELECT CUST-MASTER ASSIGN TO CUSTOUT
               ORGANIZATION IS SEQUENTIAL
               FILE STATUS IS WS-CUST-STATUS.
       DATA DIVISION.
       FILE SECTION.
       FD  CUST-FEED.
       01  FEED-LINE                       PIC X(200).
       FD  CUST-MASTER
           RECORDING MODE IS F
           BLOCK CONTAINS 0 RECORDS.
           COPY CUSTREC REPLACING CUST-RECORD BY CUST-OUT-RECORD.
       WORKING-STORAGE SECTION.
           COPY CARDWS.
       01  WS-FILE-STATUSES.
           05  WS-FEED-STATUS              PIC X(2).
               88  WS-FEED-OK              VALUE '00'.
               88  WS-FEED-EOF             VALUE '10'.
           05  WS-CUST-STATUS              PIC X(2).
               88  WS-CUST-OK              VALUE '00'.
       01  WS-SWITCHES.
           05  WS-EOF-SW                   PIC X(1)  VALUE 'N'.
               88  WS-END-OF-FEED          VALUE 'Y'.
       01  WS-DATE-PARMS.
           COPY DATEPARM.
      *----------------------------------------------------------------
      * FIELDS OF ONE FEED LINE
      *----------------------------------------------------------------
       01  WS-FEED-FIELDS.
           05  WS-F-CUST-ID                PIC X(12).
           05  WS-F-LAST-NAME              PIC X(30).
           05  WS-F-FIRST-NAME             PIC X(30).
           05  WS-F-STREET                 PIC X(40).
           05  WS-F-CITY                   PIC X(30).
           05  WS-F-STATE                  PIC X(5).
           05  WS-F-ZIP                    PIC X(10).
           05  WS-F-PHONE                  PIC X(20).
           05  WS-F-DOB                    PIC X(10).
       01  WS-FIELD-LENGTHS.
           05  WS-LEN-CUST-ID              PIC S9(4) COMP.
           05  WS-LEN-LAST                 PIC S9(4) COMP.
           05  WS-LEN-FIRST                PIC S9(4) COMP.
       01  WS-WORK.
           05  WS-FIELD-COUNT              PIC S9(4) COMP.
           05  WS-COMMA-COUNT              PIC S9(4) COMP.
           05  WS-LEADING                  PIC S9(4) COMP.
           05  WS-PTR                      PIC S9(4) COMP.
           05  WS-IX                       PIC S9(4) COMP.
           05  WS-DIGIT-COUNT              PIC S9(4) COMP.
           05  WS-PHONE-DIGITS             PIC X(10).
           05  WS-NUMERIC-ID               PIC 9(9).
           05  WS-REJECT-REASON            PIC X(30).
       01  WS-CASE-TABLES.
           05  WS-LOWER    PIC X(26) VALUE 'abcdefghijklmnopqrstuvwxyz'.
           05  WS-UPPER    PIC X(26) VALUE 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.
       01  WS-COUNTERS.
           05  WS-LINES-READ               PIC S9(7) COMP-3 VALUE 0.
           05  WS-COMMENTS                 PIC S9(7) COMP-3 VALUE 0.
           05  WS-CUST-WRITTEN             PIC S9(7) COMP-3 VALUE 0.
           05  WS-CUST-REJECTED            PIC S9(7) COMP-3 VALUE 0.
       01  WS-DISPLAY-COUNT                PIC ZZZ,ZZ9.
       PROCEDURE DIVISION.
       0000-MAIN.
           PERFORM 1000-INITIALIZE
           PERFORM 2000-CONVERT-LINE
               UNTIL WS-END-OF-FEED
           PERFORM 3000-TERMINATE
           STOP RUN.
      *----------------------------------------------------------------
       1000-INITIALIZE.
           MOVE 'CUSTCONV' TO WS-PROGRAM-NAME
           OPEN INPUT CUST-FEED
           IF NOT WS-FEED-OK
               MOVE 'CUSTIN' TO ABEND-FILE-NAME
               MOVE WS-FEED-STATUS TO ABEND-FILE-STATUS
               PERFORM 1900-OPEN-FAILED
           END-IF
           OPEN OUTPUT CUST-MASTER
           IF NOT WS-CUST-OK
               MOVE 'CUSTOUT' TO ABEND-FILE-NAME
               MOVE WS-CUST-STATUS TO ABEND-FILE-STATUS
               PERFORM 1900-OPEN-FAILED
           END-IF
           PERFORM 8000-READ-FEED.
      *----------------------------------------------------------------
       1900-OPEN-FAILED.
           MOVE '1000-INITIALIZE' TO ABEND-PARAGRAPH
           MOVE 'OPEN FAILED' TO ABEND-MESSAGE
           PERFORM 9999-ABEND.
      *----------------------------------------------------------------
       2000-CONVERT-LINE.
           IF FEED-LINE (1:1) = '#' OR FEED-LINE = SPACES
               ADD 1 TO WS-COMMENTS
           ELSE
               MOVE SPACES TO WS-REJECT-REASON
               PERFORM 2100-SPLIT-FIELDS
               IF WS-REJECT-REASON = SPACES
                   PERFORM 2200-BUILD-CUSTOMER
               END-IF
               IF WS-REJECT-REASON = SPACES
                   WRITE CUST-OUT-RECORD
                   IF NOT WS-CUST-OK
                       MOVE '2000-CONVERT-LINE' TO ABEND-PARAGRAPH
                       MOVE 'CUSTOUT' TO ABEND-FILE-NAME
                       MOVE WS-CUST-STATUS TO ABEND-FILE-STATUS
                       MOVE 'WRITE FAILED' TO ABEND-MESSAGE
                       PERFORM 9999-ABEND
                   END-IF
                   ADD 1 TO WS-CUST-WRITTEN
               ELSE
                   ADD 1 TO WS-CUST-REJECTED
                   DISPLAY 'CUSTCONV - LINE ' WS-LINES-READ
                           ' REJECTED: ' WS-REJECT-REASON
               END-IF
           END-IF
           PERFORM 8000-READ-FEED.
      *----------------------------------------------------------------
      * SPLIT THE LINE AT THE COMMAS
      *----------------------------------------------------------------
       2100-SPLIT-FIELDS.
           MOVE ZERO TO WS-COMMA-COUNT
           INSPECT FEED-LINE TALLYING WS-COMMA-COUNT FOR ALL ','
           IF WS-COMMA-COUNT NOT = 8
               MOVE 'WRONG NUMBER OF FIELDS' TO WS-REJECT-REASON
           ELSE
               MOVE SPACES TO WS-FEED-FIELDS
               MOVE ZERO TO WS-FIELD-COUNT
               UNSTRING FEED-LINE DELIMITED BY ','
                   INTO WS-F-CUST-ID    COUNT IN WS-LEN-CUST-ID
                        WS-F-LAST-NAME  COUNT IN WS-LEN-LAST
                        WS-F-FIRST-NAME COUNT IN WS-LEN-FIRST
                        WS-F-STREET
                        WS-F-CITY
                        WS-F-STATE
                        WS-F-ZIP
                        WS-F-PHONE
                        WS-F-DOB
                   TALLYING IN WS-FIELD-COUNT
                   ON OVERFLOW
                       MOVE 'LINE OVERFLOW' TO WS-REJECT-REASON
               END-UNSTRING
               EVALUATE TRUE
                   WHEN WS-REJECT-REASON NOT = SPACES
                       CONTINUE
                   WHEN WS-LEN-CUST-ID NOT = 9
                       MOVE 'CUSTOMER ID NOT 9 DIGITS'
                         TO WS-REJECT-REASON
                   WHEN WS-F-CUST-ID (1:9) NOT NUMERIC
                       MOVE 'CUSTOMER ID NOT NUMERIC'
                         TO WS-REJECT-REASON
                   WHEN WS-LEN-LAST = ZERO
                       MOVE 'LAST NAME MISSING' TO WS-REJECT-REASON
                   WHEN WS-LEN-LAST > 20 OR WS-LEN-FIRST > 15
                       MOVE 'NAME TOO LONG' TO WS-REJECT-REASON
                   WHEN OTHER
                       CONTINUE
               END-EVALUATE
           END-IF.
      *----------------------------------------------------------------
      * CLEAN UP THE FIELDS AND FILL THE MASTER RECORD
      *----------------------------------------------------------------
       2200-BUILD-CUSTOMER.
           MOVE SPACES TO CUST-OUT-RECORD
           MOVE WS-F-CUST-ID (1:9) TO WS-NUMERIC-ID
           MOVE WS-NUMERIC-ID TO CUST-ID
           INSPECT WS-F-LAST-NAME  CONVERTING WS-LOWER TO WS-UPPER
           INSPECT WS-F-FIRST-NAME CONVERTING WS-LOWER TO WS-UPPER
           INSPECT WS-F-STREET     CONVERTING WS-LOWER TO WS-UPPER
           INSPECT WS-F-CITY       CONVERTING WS-LOWER TO WS-UPPER
           INSPECT WS-F-STATE      CONVERTING WS-LOWER TO WS-UPPER
           MOVE WS-F-LAST-NAME  TO CUST-LAST-NAME
           MOVE WS-F-FIRST-NAME TO CUST-FIRST-NAME
      *    "LAST, FIRST" - NAMES MAY CONTAIN SINGLE BLANKS
           MOVE 1 TO WS-PTR
           STRING WS-F-LAST-NAME  DELIMITED BY '  '
                  ', '            DELIMITED BY SIZE
                  WS-F-FIRST-NAME DELIMITED BY '  '
               INTO CUST-FULL-NAME
               WITH POINTER WS-PTR
           END-STRING
      *    STREET AND CITY MAY ARRIVE WITH LEADING BLANKS
           MOVE ZERO TO WS-LEADING
           INSPECT WS-F-STREET TALLYING WS-LEADING FOR LEADING SPACES
           IF WS-LEADING < LENGTH OF WS-F-STREET
               MOVE WS-F-STREET (WS-LEADING + 1:) TO CUST-STREET
           END-IF
           MOVE ZERO TO WS-LEADING
           INSPECT WS-F-CITY TALLYING WS-LEADING FOR LEADING SPACES
           IF WS-LEADING < LENGTH OF WS-F-CITY
               MOVE WS-F-CITY (WS-LEADING + 1:) TO CUST-CITY
           END-IF
           MOVE WS-F-STATE TO CUST-STATE
           MOVE WS-F-ZIP   TO CUST-ZIP
           PERFORM 2300-EDIT-PHONE
           IF WS-REJECT-REASON = SPACES
               PERFORM 2400-EDIT-DOB
           END-IF
           SET CUST-ACTIVE TO TRUE.
      *----------------------------------------------------------------
      * KEEP ONLY THE DIGITS OF THE PHONE NUMBER; THERE MUST BE 10
      *----------------------------------------------------------------
       2300-EDIT-PHONE.
           INSPECT WS-F-PHONE REPLACING ALL '-' BY SPACE
                                        ALL '(' BY SPACE
                                        ALL ')' BY SPACE
                                        ALL '.' BY SPACE
           MOVE ZERO TO WS-DIGIT-COUNT
           MOVE SPACES TO WS-PHONE-DIGITS
           PERFORM VARYING WS-IX FROM 1 BY 1
                   UNTIL WS-IX > LENGTH OF WS-F-PHONE
               IF WS-F-PHONE (WS-IX:1) NOT = SPACE
                   ADD 1 TO WS-DIGIT-COUNT
                   IF WS-DIGIT-COUNT NOT > 10
                       MOVE WS-F-PHONE (WS-IX:1)
                         TO WS-PHONE-DIGITS (WS-DIGIT-COUNT:1)
                   END-IF
               END-IF
           END-PERFORM
           IF WS-DIGIT-COUNT = 10 AND WS-PHONE-DIGITS NUMERIC
               MOVE WS-PHONE-DIGITS TO CUST-PHONE
           ELSE
               MOVE 'INVALID PHONE NUMBER' TO WS-REJECT-REASON
           END-IF.
      *----------------------------------------------------------------
       2400-EDIT-DOB.
           IF WS-F-DOB (1:8) NOT NUMERIC
               MOVE 'DATE OF BIRTH NOT NUMERIC' TO WS-REJECT-REASON
           ELSE
               SET DP-VALIDATE TO TRUE
               MOVE WS-F-DOB (1:8) TO DP-DATE-1
               CALL 'DATEUTIL' USING WS-DATE-PARMS
               IF DP-OK
                   MOVE DP-DATE-1 TO CUST-DOB
               ELSE
                   MOVE 'INVALID DATE OF BIRTH' TO WS-REJECT-REASON
               END-IF
           END-IF.
      *----------------------------------------------------------------
       3000-TERMINATE.
           CLOSE CUST-FEED
                 CUST-MASTER
           MOVE WS-LINES-READ TO WS-DISPLAY-COUNT
           DISPLAY 'CUSTCONV - LINES READ          : ' WS-DISPLAY-COUNT
           MOVE WS-COMMENTS TO WS-DISPLAY-COUNT
           DISPLAY 'CUSTCONV - COMMENT LINES       : ' WS-DISPLAY-COUNT
           MOVE WS-CUST-WRITTEN TO WS-DISPLAY-COUNT
           DISPLAY 'CUSTCONV - CUSTOMERS WRITTEN   : ' WS-DISPLAY-COUNT
           MOVE WS-CUST-REJECTED TO WS-DISPLAY-COUNT
           DISPLAY 'CUSTCONV - LINES REJECTED      : ' WS-DISPLAY-COUNT
           IF WS-CUST-REJECTED > ZERO
               MOVE 4 TO RETURN-CODE
           ELSE
               MOVE 0 TO RETURN-CODE
           END-IF.
      *----------------------------------------------------------------
       8000-READ-FEED.
           READ CUST-FEED
               AT END
                   SET WS-END-OF-FEED TO TRUE
               NOT AT END
                   ADD 1 TO WS-LINES-READ
           END-READ
           IF NOT WS-FEED-OK AND NOT WS-FEED-EOF
               MOVE '8000-READ-FEED' TO ABEND-PARAGRAPH
               MOVE 'CUSTIN' TO ABEND-FILE-NAME
               MOVE WS-FEED-STATUS TO ABEND-FILE-STATUS
               MOVE 'READ FAILED' TO ABEND-MESSAGE
               PERFORM 9999-ABEND
           END-IF.
      *----------------------------------------------------------------
           COPY ABENDPRC.
