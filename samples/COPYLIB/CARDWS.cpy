000100*****************************************************************
000200* COPYBOOK : CARDWS                                             *
000300* PURPOSE  : STANDARD WORKING-STORAGE FOR CARDSYS BATCH         *
000400*            PROGRAMS.  BRINGS IN THE ABEND WORK AREA (ABENDWS) *
000500*            USED BY PARAGRAPH 9999-ABEND (COPY ABENDPRC).      *
000600* AUTHOR   : R. HALVORSEN                                       *
000700* DATE     : 1994-03-11                                         *
000800*****************************************************************
000900 01  CARD-STANDARD-WS.
001000     05  WS-PROGRAM-NAME             PIC X(8)  VALUE SPACES.
001100     05  WS-CURRENT-DATE-TIME.
001200         10  WS-CURR-DATE            PIC 9(8).
001300         10  WS-CURR-TIME            PIC 9(8).
001400         10  FILLER                  PIC X(5).
001500     05  WS-CONTROL-CARD             PIC X(80) VALUE SPACES.
001600     05  WS-CONTROL-FIELDS REDEFINES WS-CONTROL-CARD.
001700         10  WS-CC-RUN-DATE          PIC 9(8).
001800         10  FILLER                  PIC X(72).
001900 COPY ABENDWS.
