000100*****************************************************************
000200* COPYBOOK : ABENDPRC                                           *
000300* PURPOSE  : COMMON FATAL-ERROR PARAGRAPH FOR BATCH PROGRAMS.   *
000400*            REQUIRES CARDWS.  ENDS THE RUN WITH RETURN CODE    *
000500*            ABEND-RETURN-CODE (DEFAULT 16).                    *
000600* AUTHOR   : R. HALVORSEN                                       *
000700* DATE     : 1994-03-11                                         *
000800*****************************************************************
000900 9999-ABEND.
001000     DISPLAY '*** ' WS-PROGRAM-NAME ' ABNORMAL END ***'
001100     DISPLAY '*** PARAGRAPH : ' ABEND-PARAGRAPH
001200     DISPLAY '*** FILE      : ' ABEND-FILE-NAME
001300             ' STATUS ' ABEND-FILE-STATUS
001400     DISPLAY '*** MESSAGE   : ' ABEND-MESSAGE
001500     MOVE ABEND-RETURN-CODE TO RETURN-CODE
001600     STOP RUN.
