000100 IDENTIFICATION DIVISION.                                         DATEUTIL
000200 PROGRAM-ID. DATEUTIL.                                            DATEUTIL
000300 AUTHOR. R. HALVORSEN.                                            DATEUTIL
000400 INSTALLATION. CARDSYS DATA CENTRE.                               DATEUTIL
000500 DATE-WRITTEN. 03/14/1994.                                        DATEUTIL
000600***************************************************************** DATEUTIL
000700* PROGRAM  : DATEUTIL                                           * DATEUTIL
000800* PURPOSE  : COMMON DATE SERVICES FOR CARDSYS BATCH PROGRAMS.   * DATEUTIL
000900*            CALLED WITH ONE PARAMETER BLOCK (COPY DATEPARM).   * DATEUTIL
001000*   DP-FUNCTION  'V'  VALIDATE DP-DATE-1 (CCYYMMDD)             * DATEUTIL
001100*                'L'  IS THE YEAR OF DP-DATE-1 A LEAP YEAR?     * DATEUTIL
001200*                     ANSWER IN DP-RESULT-FLAG (Y/N)            * DATEUTIL
001300*                'D'  DAYS FROM DP-DATE-1 TO DP-DATE-2, SIGNED, * DATEUTIL
001400*                     INTO DP-DAYS                              * DATEUTIL
001500*                'A'  DP-DATE-1 PLUS DP-DAYS INTO DP-DATE-2     * DATEUTIL
001600*                'W'  DAY OF WEEK OF DP-DATE-1 INTO DP-DAYS     * DATEUTIL
001700*                     (1 = MONDAY ... 7 = SUNDAY)               * DATEUTIL
001800*   DP-RETURN-CODE  00 OK           10 DATE-1 INVALID           * DATEUTIL
001900*                   11 DATE-2 INVALID                           * DATEUTIL
002000*                   12 RESULT OUT OF RANGE                      * DATEUTIL
002100*                   90 UNKNOWN FUNCTION                         * DATEUTIL
002200* AUTHOR   : R. HALVORSEN                                       * DATEUTIL
002300* DATE     : 1994-03-14                                         * DATEUTIL
002400* CHANGES  : 1998-11-02 RH   Y2K - 4-DIGIT YEARS, CENTURY RULE  * DATEUTIL
002500*            2005-01-17 LDS  DAY-OF-WEEK FUNCTION 'W' ADDED     * DATEUTIL
002600*            2012-08-21 TJB  USE INTRINSIC DATE FUNCTIONS       * DATEUTIL
002700***************************************************************** DATEUTIL
002800 ENVIRONMENT DIVISION.                                            DATEUTIL
002900 DATA DIVISION.                                                   DATEUTIL
003000 WORKING-STORAGE SECTION.                                         DATEUTIL
003100 01  WS-WORK-AREAS.                                               DATEUTIL
003200     05  WS-CHECK-DATE               PIC 9(8).                    DATEUTIL
003300     05  WS-CHECK-DATE-R REDEFINES WS-CHECK-DATE.                 DATEUTIL
003400         10  WS-CHK-CCYY             PIC 9(4).                    DATEUTIL
003500         10  WS-CHK-MM               PIC 9(2).                    DATEUTIL
003600         10  WS-CHK-DD               PIC 9(2).                    DATEUTIL
003700     05  WS-QUOTIENT                 PIC 9(4)  COMP.              DATEUTIL
003800     05  WS-REM-4                    PIC 9(4)  COMP.              DATEUTIL
003900     05  WS-REM-100                  PIC 9(4)  COMP.              DATEUTIL
004000     05  WS-REM-400                  PIC 9(4)  COMP.              DATEUTIL
004100     05  WS-MAX-DAY                  PIC 9(2).                    DATEUTIL
004200     05  WS-INT-1                    PIC S9(9) COMP.              DATEUTIL
004300     05  WS-INT-2                    PIC S9(9) COMP.              DATEUTIL
004400     05  WS-LEAP-SW                  PIC X(1)  VALUE 'N'.         DATEUTIL
004500         88  WS-LEAP-YEAR            VALUE 'Y'.                   DATEUTIL
004600         88  WS-NOT-LEAP-YEAR        VALUE 'N'.                   DATEUTIL
004700     05  WS-VALID-SW                 PIC X(1)  VALUE 'N'.         DATEUTIL
004800         88  WS-DATE-VALID           VALUE 'Y'.                   DATEUTIL
004900         88  WS-DATE-INVALID         VALUE 'N'.                   DATEUTIL
005000*    FIRST AND LAST DAY THE INTRINSIC DATE FUNCTIONS ACCEPT       DATEUTIL
005100 01  WS-LIMITS.                                                   DATEUTIL
005200     05  WS-MIN-YEAR                 PIC 9(4)  VALUE 1601.        DATEUTIL
005300     05  WS-MAX-INTEGER-DATE         PIC S9(9) COMP               DATEUTIL
005400                                     VALUE +3067671.              DATEUTIL
005500 01  WS-MONTH-TABLE.                                              DATEUTIL
005600     05  WS-MONTH-DAY-VALUES         PIC X(24)                    DATEUTIL
005700                           VALUE '312831303130313130313031'.      DATEUTIL
005800     05  WS-MONTH-DAY-TABLE REDEFINES WS-MONTH-DAY-VALUES.        DATEUTIL
005900         10  WS-MONTH-DAYS           PIC 9(2) OCCURS 12 TIMES.    DATEUTIL
006000 LINKAGE SECTION.                                                 DATEUTIL
006100 01  LK-DATE-PARMS.                                               DATEUTIL
006200     COPY DATEPARM.                                               DATEUTIL
006300 PROCEDURE DIVISION USING LK-DATE-PARMS.                          DATEUTIL
006400 0000-MAIN.                                                       DATEUTIL
006500     MOVE ZERO TO DP-RETURN-CODE                                  DATEUTIL
006600     EVALUATE TRUE                                                DATEUTIL
006700         WHEN DP-VALIDATE                                         DATEUTIL
006800             PERFORM 1000-VALIDATE-DATE                           DATEUTIL
006900         WHEN DP-LEAP-YEAR                                        DATEUTIL
007000             PERFORM 2000-LEAP-YEAR                               DATEUTIL
007100         WHEN DP-DAYS-BETWEEN                                     DATEUTIL
007200             PERFORM 3000-DAYS-BETWEEN                            DATEUTIL
007300         WHEN DP-ADD-DAYS                                         DATEUTIL
007400             PERFORM 4000-ADD-DAYS                                DATEUTIL
007500         WHEN DP-DAY-OF-WEEK                                      DATEUTIL
007600             PERFORM 5000-DAY-OF-WEEK                             DATEUTIL
007700         WHEN OTHER                                               DATEUTIL
007800             MOVE 90 TO DP-RETURN-CODE                            DATEUTIL
007900     END-EVALUATE                                                 DATEUTIL
008000     GOBACK.                                                      DATEUTIL
008100*---------------------------------------------------------------- DATEUTIL
008200* 'V' - VALIDATE DATE 1                                           DATEUTIL
008300*---------------------------------------------------------------- DATEUTIL
008400 1000-VALIDATE-DATE.                                              DATEUTIL
008500     MOVE DP-DATE-1 TO WS-CHECK-DATE                              DATEUTIL
008600     PERFORM 8000-CHECK-DATE                                      DATEUTIL
008700     IF WS-DATE-INVALID                                           DATEUTIL
008800         MOVE 10 TO DP-RETURN-CODE                                DATEUTIL
008900     END-IF.                                                      DATEUTIL
009000*---------------------------------------------------------------- DATEUTIL
009100* 'L' - LEAP YEAR TEST (ONLY THE YEAR OF DATE 1 IS USED)          DATEUTIL
009200*---------------------------------------------------------------- DATEUTIL
009300 2000-LEAP-YEAR.                                                  DATEUTIL
009400     MOVE DP-DATE-1 TO WS-CHECK-DATE                              DATEUTIL
009500     IF WS-CHK-CCYY NOT NUMERIC OR WS-CHK-CCYY < WS-MIN-YEAR      DATEUTIL
009600         MOVE 10 TO DP-RETURN-CODE                                DATEUTIL
009700     ELSE                                                         DATEUTIL
009800         PERFORM 8100-TEST-LEAP-YEAR                              DATEUTIL
009900         IF WS-LEAP-YEAR                                          DATEUTIL
010000             SET DP-RESULT-YES TO TRUE                            DATEUTIL
010100         ELSE                                                     DATEUTIL
010200             SET DP-RESULT-NO TO TRUE                             DATEUTIL
010300         END-IF                                                   DATEUTIL
010400     END-IF.                                                      DATEUTIL
010500*---------------------------------------------------------------- DATEUTIL
010600* 'D' - DAYS BETWEEN DATE 1 AND DATE 2 (NEGATIVE IF 2 < 1)        DATEUTIL
010700*---------------------------------------------------------------- DATEUTIL
010800 3000-DAYS-BETWEEN.                                               DATEUTIL
010900     MOVE DP-DATE-1 TO WS-CHECK-DATE                              DATEUTIL
011000     PERFORM 8000-CHECK-DATE                                      DATEUTIL
011100     IF WS-DATE-INVALID                                           DATEUTIL
011200         MOVE 10 TO DP-RETURN-CODE                                DATEUTIL
011300     ELSE                                                         DATEUTIL
011400         MOVE DP-DATE-2 TO WS-CHECK-DATE                          DATEUTIL
011500         PERFORM 8000-CHECK-DATE                                  DATEUTIL
011600         IF WS-DATE-INVALID                                       DATEUTIL
011700             MOVE 11 TO DP-RETURN-CODE                            DATEUTIL
011800         ELSE                                                     DATEUTIL
011900             COMPUTE WS-INT-1 = FUNCTION INTEGER-OF-DATE          DATEUTIL
012000                                              (DP-DATE-1)         DATEUTIL
012100             COMPUTE WS-INT-2 = FUNCTION INTEGER-OF-DATE          DATEUTIL
012200                                              (DP-DATE-2)         DATEUTIL
012300             COMPUTE DP-DAYS = WS-INT-2 - WS-INT-1                DATEUTIL
012400         END-IF                                                   DATEUTIL
012500     END-IF.                                                      DATEUTIL
012600*---------------------------------------------------------------- DATEUTIL
012700* 'A' - ADD DP-DAYS (MAY BE NEGATIVE) TO DATE 1 GIVING DATE 2     DATEUTIL
012800*---------------------------------------------------------------- DATEUTIL
012900 4000-ADD-DAYS.                                                   DATEUTIL
013000     MOVE DP-DATE-1 TO WS-CHECK-DATE                              DATEUTIL
013100     PERFORM 8000-CHECK-DATE                                      DATEUTIL
013200     IF WS-DATE-INVALID                                           DATEUTIL
013300         MOVE 10 TO DP-RETURN-CODE                                DATEUTIL
013400     ELSE                                                         DATEUTIL
013500         COMPUTE WS-INT-1 = FUNCTION INTEGER-OF-DATE (DP-DATE-1)  DATEUTIL
013600                          + DP-DAYS                               DATEUTIL
013700         IF WS-INT-1 < 1 OR WS-INT-1 > WS-MAX-INTEGER-DATE        DATEUTIL
013800             MOVE 12 TO DP-RETURN-CODE                            DATEUTIL
013900         ELSE                                                     DATEUTIL
014000             COMPUTE DP-DATE-2 =                                  DATEUTIL
014100                     FUNCTION DATE-OF-INTEGER (WS-INT-1)          DATEUTIL
014200         END-IF                                                   DATEUTIL
014300     END-IF.                                                      DATEUTIL
014400*---------------------------------------------------------------- DATEUTIL
014500* 'W' - DAY OF WEEK.  DAY 1 OF THE INTEGER DATE RANGE             DATEUTIL
014600*       (1601-01-01) WAS A MONDAY.                                DATEUTIL
014700*---------------------------------------------------------------- DATEUTIL
014800 5000-DAY-OF-WEEK.                                                DATEUTIL
014900     MOVE DP-DATE-1 TO WS-CHECK-DATE                              DATEUTIL
015000     PERFORM 8000-CHECK-DATE                                      DATEUTIL
015100     IF WS-DATE-INVALID                                           DATEUTIL
015200         MOVE 10 TO DP-RETURN-CODE                                DATEUTIL
015300     ELSE                                                         DATEUTIL
015400         COMPUTE WS-INT-1 = FUNCTION INTEGER-OF-DATE (DP-DATE-1)  DATEUTIL
015500         COMPUTE DP-DAYS = FUNCTION MOD (WS-INT-1 - 1, 7) + 1     DATEUTIL
015600     END-IF.                                                      DATEUTIL
015700*---------------------------------------------------------------- DATEUTIL
015800* CHECK WS-CHECK-DATE.  SETS WS-DATE-VALID / WS-DATE-INVALID.     DATEUTIL
015900*---------------------------------------------------------------- DATEUTIL
016000 8000-CHECK-DATE.                                                 DATEUTIL
016100     SET WS-DATE-INVALID TO TRUE                                  DATEUTIL
016200     IF WS-CHECK-DATE NUMERIC                                     DATEUTIL
016300         IF WS-CHK-CCYY NOT < WS-MIN-YEAR                         DATEUTIL
016400            AND WS-CHK-MM >= 1 AND WS-CHK-MM <= 12                DATEUTIL
016500             PERFORM 8100-TEST-LEAP-YEAR                          DATEUTIL
016600             MOVE WS-MONTH-DAYS (WS-CHK-MM) TO WS-MAX-DAY         DATEUTIL
016700             IF WS-CHK-MM = 2 AND WS-LEAP-YEAR                    DATEUTIL
016800                 MOVE 29 TO WS-MAX-DAY                            DATEUTIL
016900             END-IF                                               DATEUTIL
017000             IF WS-CHK-DD >= 1 AND WS-CHK-DD <= WS-MAX-DAY        DATEUTIL
017100                 SET WS-DATE-VALID TO TRUE                        DATEUTIL
017200             END-IF                                               DATEUTIL
017300         END-IF                                                   DATEUTIL
017400     END-IF.                                                      DATEUTIL
017500*---------------------------------------------------------------- DATEUTIL
017600* GREGORIAN RULE: DIVISIBLE BY 4, EXCEPT CENTURIES NOT            DATEUTIL
017700* DIVISIBLE BY 400.                                               DATEUTIL
017800*---------------------------------------------------------------- DATEUTIL
017900 8100-TEST-LEAP-YEAR.                                             DATEUTIL
018000     SET WS-NOT-LEAP-YEAR TO TRUE                                 DATEUTIL
018100     DIVIDE WS-CHK-CCYY BY 4                                      DATEUTIL
018200         GIVING WS-QUOTIENT REMAINDER WS-REM-4                    DATEUTIL
018300     DIVIDE WS-CHK-CCYY BY 100                                    DATEUTIL
018400         GIVING WS-QUOTIENT REMAINDER WS-REM-100                  DATEUTIL
018500     DIVIDE WS-CHK-CCYY BY 400                                    DATEUTIL
018600         GIVING WS-QUOTIENT REMAINDER WS-REM-400                  DATEUTIL
018700     IF WS-REM-400 = ZERO                                         DATEUTIL
018800        OR (WS-REM-4 = ZERO AND WS-REM-100 NOT = ZERO)            DATEUTIL
018900         SET WS-LEAP-YEAR TO TRUE                                 DATEUTIL
019000     END-IF.                                                      DATEUTIL
