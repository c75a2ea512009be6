      *----------------------------------------------------------------
      * SYMBOLIC MAP CSACS - GENERATED FROM MAPSET CSACS
      * DO NOT CHANGE: REASSEMBLE THE MAPSET WITH SYSPARM=DSECT
      *----------------------------------------------------------------
       01  CSACM1I.
           02  FILLER PIC X(12).
           02  FUNCDSCL    COMP  PIC  S9(4).
           02  FUNCDSCF    PICTURE X.
           02  FILLER REDEFINES FUNCDSCF.
             03 FUNCDSCA    PICTURE X.
           02  FUNCDSCI  PIC X(10).
           02  ACCTIDL    COMP  PIC  S9(4).
           02  ACCTIDF    PICTURE X.
           02  FILLER REDEFINES ACCTIDF.
             03 ACCTIDA    PICTURE X.
           02  ACCTIDI  PIC X(11).
           02  CUSTIDL    COMP  PIC  S9(4).
           02  CUSTIDF    PICTURE X.
           02  FILLER REDEFINES CUSTIDF.
             03 CUSTIDA    PICTURE X.
           02  CUSTIDI  PIC X(9).
           02  ACCTNML    COMP  PIC  S9(4).
           02  ACCTNMF    PICTURE X.
           02  FILLER REDEFINES ACCTNMF.
             03 ACCTNMA    PICTURE X.
           02  ACCTNMI  PIC X(25).
           02  BRANCHL    COMP  PIC  S9(4).
           02  BRANCHF    PICTURE X.
           02  FILLER REDEFINES BRANCHF.
             03 BRANCHA    PICTURE X.
           02  BRANCHI  PIC X(4).
           02  ACCTTYPL    COMP  PIC  S9(4).
           02  ACCTTYPF    PICTURE X.
           02  FILLER REDEFINES ACCTTYPF.
             03 ACCTTYPA    PICTURE X.
           02  ACCTTYPI  PIC X(2).
           02  ACSTATL    COMP  PIC  S9(4).
           02  ACSTATF    PICTURE X.
           02  FILLER REDEFINES ACSTATF.
             03 ACSTATA    PICTURE X.
           02  ACSTATI  PIC X(1).
           02  BALANCEL    COMP  PIC  S9(4).
           02  BALANCEF    PICTURE X.
           02  FILLER REDEFINES BALANCEF.
             03 BALANCEA    PICTURE X.
           02  BALANCEI  PIC X(18).
           02  CRLIMITL    COMP  PIC  S9(4).
           02  CRLIMITF    PICTURE X.
           02  FILLER REDEFINES CRLIMITF.
             03 CRLIMITA    PICTURE X.
           02  CRLIMITI  PIC X(12).
           02  LASTACTL    COMP  PIC  S9(4).
           02  LASTACTF    PICTURE X.
           02  FILLER REDEFINES LASTACTF.
             03 LASTACTA    PICTURE X.
           02  LASTACTI  PIC X(10).
           02  ACCRINTL    COMP  PIC  S9(4).
           02  ACCRINTF    PICTURE X.
           02  FILLER REDEFINES ACCRINTF.
             03 ACCRINTA    PICTURE X.
           02  ACCRINTI  PIC X(15).
           02  MSGL    COMP  PIC  S9(4).
           02  MSGF    PICTURE X.
           02  FILLER REDEFINES MSGF.
             03 MSGA    PICTURE X.
           02  MSGI  PIC X(79).
       01  CSACM1O REDEFINES CSACM1I.
           02  FILLER PIC X(12).
           02  FILLER PICTURE X(3).
           02  FUNCDSCO  PIC X(10).
           02  FILLER PICTURE X(3).
           02  ACCTIDO  PIC X(11).
           02  FILLER PICTURE X(3).
           02  CUSTIDO  PIC X(9).
           02  FILLER PICTURE X(3).
           02  ACCTNMO  PIC X(25).
           02  FILLER PICTURE X(3).
           02  BRANCHO  PIC X(4).
           02  FILLER PICTURE X(3).
           02  ACCTTYPO  PIC X(2).
           02  FILLER PICTURE X(3).
           02  ACSTATO  PIC X(1).
           02  FILLER PICTURE X(3).
           02  BALANCEO  PIC X(18).
           02  FILLER PICTURE X(3).
           02  CRLIMITO  PIC X(12).
           02  FILLER PICTURE X(3).
           02  LASTACTO  PIC X(10).
           02  FILLER PICTURE X(3).
           02  ACCRINTO  PIC X(15).
           02  FILLER PICTURE X(3).
           02  MSGO  PIC X(79).
