      ******************************************************************
      * DCLGEN TABLE(CUSTOMER)                                         *
      *        LIBRARY(CARDSYS.PROD.DCLGEN(DCLCUST))                   *
      *        ACTION(REPLACE)                                         *
      *        LANGUAGE(COBOL)                                         *
      *        STRUCTURE(DCLCUSTOMER)                                  *
      *        APOST                                                   *
      *        INDVAR(YES)                                             *
      * ... IS THE DCLGEN COMMAND THAT MADE THE FOLLOWING STATEMENTS   *
      ******************************************************************
           EXEC SQL DECLARE CUSTOMER TABLE
           ( CUST_ID                        DECIMAL(9, 0) NOT NULL,
             LAST_NAME                      CHAR(20) NOT NULL,
             FIRST_NAME                     CHAR(15) NOT NULL,
             CUST_STATUS                    CHAR(1) NOT NULL,
             RISK_SCORE                     SMALLINT NOT NULL,
             CREDIT_LIMIT                   DECIMAL(11, 2) NOT NULL,
             LAST_REVIEW_DATE               DATE,
             UPDATED_TS                     TIMESTAMP NOT NULL
           ) END-EXEC.
      ******************************************************************
      * COBOL DECLARATION FOR TABLE CUSTOMER                           *
      ******************************************************************
       01  DCLCUSTOMER.
      *                       CUST_ID
           10 CUST-ID              PIC S9(9)V USAGE COMP-3.
      *                       LAST_NAME
           10 LAST-NAME            PIC X(20).
      *                       FIRST_NAME
           10 FIRST-NAME           PIC X(15).
      *                       CUST_STATUS
           10 CUST-STATUS          PIC X(1).
      *                       RISK_SCORE
           10 RISK-SCORE           PIC S9(4) USAGE COMP.
      *                       CREDIT_LIMIT
           10 CREDIT-LIMIT         PIC S9(9)V9(2) USAGE COMP-3.
      *                       LAST_REVIEW_DATE
           10 LAST-REVIEW-DATE     PIC X(10).
      *                       UPDATED_TS
           10 UPDATED-TS           PIC X(26).
      ******************************************************************
      * INDICATOR VARIABLE STRUCTURE                                   *
      ******************************************************************
       01  ICUSTOMER.
           10 INDSTRUC           PIC S9(4) USAGE COMP OCCURS 8 TIMES.
      ******************************************************************
      * THE NUMBER OF COLUMNS DESCRIBED BY THIS DECLARATION IS 8       *
      ******************************************************************
