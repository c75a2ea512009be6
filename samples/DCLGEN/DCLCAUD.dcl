      ******************************************************************
      * DCLGEN TABLE(CUST_AUDIT)                                       *
      *        LIBRARY(CARDSYS.PROD.DCLGEN(DCLCAUD))                   *
      *        ACTION(REPLACE)                                         *
      *        LANGUAGE(COBOL)                                         *
      *        STRUCTURE(DCLCUST-AUDIT)                                *
      *        APOST                                                   *
      * ... IS THE DCLGEN COMMAND THAT MADE THE FOLLOWING STATEMENTS   *
      ******************************************************************
           EXEC SQL DECLARE CUST_AUDIT TABLE
           ( AUDIT_TS                       TIMESTAMP NOT NULL,
             CUST_ID                        DECIMAL(9, 0) NOT NULL,
             CHANGE_TYPE                    CHAR(4) NOT NULL,
             OLD_VALUE                      VARCHAR(40),
             NEW_VALUE                      VARCHAR(40),
             CHANGED_BY                     CHAR(8) NOT NULL
           ) END-EXEC.
      ******************************************************************
      * COBOL DECLARATION FOR TABLE CUST_AUDIT                         *
      ******************************************************************
       01  DCLCUST-AUDIT.
      *                       AUDIT_TS
           10 AUDIT-TS             PIC X(26).
      *                       CUST_ID
           10 CUST-ID              PIC S9(9)V USAGE COMP-3.
      *                       CHANGE_TYPE
           10 CHANGE-TYPE          PIC X(4).
           10 OLD-VALUE.
      *                       OLD_VALUE LENGTH
              49 OLD-VALUE-LEN     PIC S9(4) USAGE COMP.
      *                       OLD_VALUE
              49 OLD-VALUE-TEXT    PIC X(40).
           10 NEW-VALUE.
      *                       NEW_VALUE LENGTH
              49 NEW-VALUE-LEN     PIC S9(4) USAGE COMP.
      *                       NEW_VALUE
              49 NEW-VALUE-TEXT    PIC X(40).
      *                       CHANGED_BY
           10 CHANGED-BY           PIC X(8).
      ******************************************************************
      * THE NUMBER OF COLUMNS DESCRIBED BY THIS DECLARATION IS 6       *
      ******************************************************************
