000100*****************************************************************
000200* COPYBOOK : TRANREC                                            *
000300* PURPOSE  : DAILY MONETARY TRANSACTION (80 BYTES), AS RECEIVED *
000400*            FROM THE CHANNEL GATEWAY.  FIELD NAMES CARRY THE   *
000500*            PREFIX :TAG:, SET BY THE COPY STATEMENT, E.G.      *
000600*              COPY TRANREC REPLACING ==:TAG:== BY ==XXXX==.    *
000700*            CODE IT UNDER A 01 LEVEL OF YOUR OWN.              *
000800* AUTHOR   : R. HALVORSEN                                       *
000900* DATE     : 1994-03-11                                         *
001000* CHANGES  : 2003-09-30 LDS  CHANNEL CODE ADDED                 *
001100*****************************************************************
001200     05  :TAG:-ID                    PIC X(10).
001300     05  :TAG:-ACCT-ID               PIC X(11).
001400     05  :TAG:-TYPE                  PIC X(2).
001500         88  :TAG:-DEPOSIT           VALUE 'DP'.
001600         88  :TAG:-WITHDRAWAL        VALUE 'WD'.
001700         88  :TAG:-PURCHASE          VALUE 'PU'.
001800         88  :TAG:-PAYMENT           VALUE 'PY'.
001900         88  :TAG:-FEE               VALUE 'FE'.
002000         88  :TAG:-CREDIT-TYPE       VALUE 'DP' 'PY'.
002100         88  :TAG:-DEBIT-TYPE        VALUE 'WD' 'PU' 'FE'.
002200         88  :TAG:-TYPE-VALID        VALUE 'DP' 'WD' 'PU'
002300                                           'PY' 'FE'.
002400     05  :TAG:-AMOUNT                PIC S9(9)V99
002500                                     SIGN IS LEADING SEPARATE.
002600     05  :TAG:-DATE                  PIC 9(8).
002700     05  :TAG:-CHANNEL               PIC X(3).
002800         88  :TAG:-FROM-ATM          VALUE 'ATM'.
002900         88  :TAG:-FROM-POS          VALUE 'POS'.
003000         88  :TAG:-FROM-BRANCH       VALUE 'BRN'.
003100         88  :TAG:-FROM-ONLINE       VALUE 'ONL'.
003200     05  :TAG:-DESC                  PIC X(30).
003300     05  FILLER                      PIC X(4).
