//CARDLOAD JOB (CARD,1001),'ACCT MASTER LOAD',CLASS=A,MSGCLASS=X,       00000100
//             MSGLEVEL=(1,1),NOTIFY=&SYSUID                            00000200
//********************************************************************* 00000300
//* CARDLOAD - REBUILD THE CARDSYS ACCOUNT AND CUSTOMER MASTERS         00000400
//*   DELDEF  : DELETE AND DEFINE THE ACCOUNT MASTER KSDS (IDCAMS)      00000500
//*   LOAD    : LOAD IT FROM THE ACCOUNT FEED          (PROC LOADPRC)   00000600
//*   CUSTCNV : CONVERT THE CUSTOMER FEED              (PROC BATCHRUN)  00000700
//* AUTHOR : R. HALVORSEN   DATE : 1994-03-18                           00000800
//* CHANGES: 2003-09-30 LDS  CUSTOMER CONVERSION STEP ADDED             00000900
//********************************************************************* 00001000
//         SET ENV=PROD                                                 00001100
//         SET HLQ=CARDSYS.&ENV                                         00001200
//PROCLIBS JCLLIB ORDER=(CARDSYS.PROD.PROCLIB,SYS1.PROCLIB)             00001300
//*                                                                     00001400
//DELDEF   EXEC PGM=IDCAMS                                              00001500
//SYSPRINT DD SYSOUT=*                                                  00001600
//SYSIN    DD *                                                         00001700
  DELETE CARDSYS.PROD.ACCT.MASTER CLUSTER PURGE                         00001800
  SET MAXCC = 0                                                         00001900
  DEFINE CLUSTER (NAME(CARDSYS.PROD.ACCT.MASTER)        -               00002000
                  INDEXED                               -               00002100
                  KEYS(11 0)                            -               00002200
                  RECORDSIZE(200 200)                   -               00002300
                  FREESPACE(10 10)                      -               00002400
                  SHAREOPTIONS(2 3)                     -               00002500
                  CYLINDERS(5 1))                       -               00002600
         DATA    (NAME(CARDSYS.PROD.ACCT.MASTER.DATA)   -               00002700
                  CONTROLINTERVALSIZE(4096))            -               00002800
         INDEX   (NAME(CARDSYS.PROD.ACCT.MASTER.INDEX))                 00002900
/*                                                                      00003000
//LOAD     EXEC LOADPRC,COND=(8,LT,DELDEF)                              00003100
//*                                                                     00003200
//CUSTCNV  EXEC BATCHRUN,PGM=CUSTCONV,COND=(8,LT)                       00003300
//RUN.CUSTIN  DD PATH='/u/cardsys/feeds/custfeed.csv',                  00003400
//            PATHOPTS=(ORDONLY),FILEDATA=TEXT                          00003500
//RUN.CUSTOUT DD DSN=&HLQ..CUST.MASTER,                                 00003600
//            DISP=(NEW,CATLG,DELETE),                                  00003700
//            UNIT=SYSDA,SPACE=(TRK,(10,5),RLSE),                       00003800
//            DCB=(RECFM=FB,LRECL=160,BLKSIZE=0)                        00003900
