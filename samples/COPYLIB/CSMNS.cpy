      *----------------------------------------------------------------
      * SYMBOLIC MAP CSMNS - GENERATED FROM MAPSET CSMNS
      * DO NOT CHANGE: REASSEMBLE THE MAPSET WITH SYSPARM=DSECT
      *----------------------------------------------------------------
       01  CSMNM1I.
           02  FILLER PIC X(12).
           02  MNDATEL    COMP  PIC  S9(4).
           02  MNDATEF    PICTURE X.
           02  FILLER REDEFINES MNDATEF.
             03 MNDATEA    PICTURE X.
           02  MNDATEI  PIC X(10).
           02  MNTIMEL    COMP  PIC  S9(4).
           02  MNTIMEF    PICTURE X.
           02  FILLER REDEFINES MNTIMEF.
             03 MNTIMEA    PICTURE X.
           02  MNTIMEI  PIC X(8).
           02  OPTNL    COMP  PIC  S9(4).
           02  OPTNF    PICTURE X.
           02  FILLER REDEFINES OPTNF.
             03 OPTNA    PICTURE X.
           02  OPTNI  PIC X(1).
           02  MSGL    COMP  PIC  S9(4).
           02  MSGF    PICTURE X.
           02  FILLER REDEFINES MSGF.
             03 MSGA    PICTURE X.
           02  MSGI  PIC X(79).
       01  CSMNM1O REDEFINES CSMNM1I.
           02  FILLER PIC X(12).
           02  FILLER PICTURE X(3).
           02  MNDATEO  PIC X(10).
           02  FILLER PICTURE X(3).
           02  MNTIMEO  PIC X(8).
           02  FILLER PICTURE X(3).
           02  OPTNO  PIC X(1).
           02  FILLER PICTURE X(3).
           02  MSGO  PIC X(79).
