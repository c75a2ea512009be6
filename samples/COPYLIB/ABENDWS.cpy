000100*****************************************************************
000200* COPYBOOK : ABENDWS                                            *
000300* PURPOSE  : FIELDS DESCRIBING A FATAL ERROR, FILLED IN BEFORE  *
000400*            PERFORM 9999-ABEND.  NESTED IN CARDWS.             *
000500* AUTHOR   : R. HALVORSEN                                       *
000600* DATE     : 1994-03-11                                         *
000700*****************************************************************
000800 01  ABEND-WORK-AREA.
000900     05  ABEND-PARAGRAPH             PIC X(30) VALUE SPACES.
001000     05  ABEND-FILE-NAME             PIC X(8)  VALUE SPACES.
001100     05  ABEND-FILE-STATUS           PIC X(2)  VALUE SPACES.
001200     05  ABEND-MESSAGE               PIC X(60) VALUE SPACES.
001300     05  ABEND-RETURN-CODE           PIC S9(4) COMP VALUE +16.
