"""Coverage accounting: every procedure statement is in a rule unit, or is plumbing for a stated
reason, or is listed as unexplained.

The reasons (the keys of :attr:`Coverage.plumbing_by_reason`):

=====================  ======================================================================
reason                 statements
=====================  ======================================================================
file housekeeping      OPEN, CLOSE, START; EXEC SQL OPEN/CLOSE of a cursor; report writer
                       INITIATE/TERMINATE/SUPPRESS; communication ENABLE/DISABLE/PURGE
sequential read        READ NEXT or of a sequential file, RETURN of a sort file, FETCH, CICS
                       STARTBR/READNEXT/READPREV/ENDBR/RESETBR, whose phrases hold no rule
loop control           PERFORM ... UNTIL/VARYING/TIMES (the loop itself, not its body); end-
                       of-file switches set in AT END; moves to items only loops test
control flow           PERFORM and GO TO with no condition of their own, STOP RUN, GOBACK,
                       EXIT PROGRAM, EXEC CICS RETURN without TRANSID, ALTER, ENTRY, CANCEL
display/trace          DISPLAY, and moves to items that are only displayed
error boilerplate      statements of a fatal-error paragraph (one that never returns and is
                       named as an error or ends the run abnormally), moves to items only such
                       paragraphs read, EXEC CICS ABEND, a CALL of an abend routine
EXIT/CONTINUE          EXIT, EXIT PARAGRAPH/SECTION/PERFORM, CONTINUE
counters               ADD/SUBTRACT of a numeric literal to working-storage items
initialisation         constants (literals, figurative constants, TRUE) moved to working-
                       storage items, INITIALIZE of working storage
transaction control    EXEC SQL COMMIT/ROLLBACK, EXEC CICS SYNCPOINT/UNLOCK
system services        ACCEPT FROM DATE/TIME/DAY, EXEC CICS ASKTIME/FORMATTIME/ASSIGN and
                       the like
declarations           EXEC SQL INCLUDE/DECLARE/WHENEVER written in the procedure division
never read             moves to working-storage items no statement of the program reads
=====================  ======================================================================

A statement in a rule unit is never counted as plumbing, whatever its verb.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

HOUSEKEEPING = "file housekeeping"
SEQUENTIAL_READ = "sequential read"
LOOP = "loop control"
FLOW = "control flow"
DISPLAY = "display/trace"
ERROR = "error boilerplate"
EXIT = "EXIT/CONTINUE"
COUNTERS = "counters"
INITIALISATION = "initialisation"
TRANSACTION = "transaction control"
SYSTEM = "system services"
DECLARATIONS = "declarations"
UNUSED = "never read"

REASONS = (HOUSEKEEPING, SEQUENTIAL_READ, LOOP, FLOW, DISPLAY, ERROR, EXIT, COUNTERS,
           INITIALISATION, TRANSACTION, SYSTEM, DECLARATIONS, UNUSED)


@dataclass(slots=True)
class Coverage:
    """How a program's statements are accounted for (nested statements count one each)."""

    statements: int = 0
    in_units: int = 0
    plumbing: int = 0
    plumbing_by_reason: dict[str, int] = field(default_factory=dict)
    unexplained: list[str] = field(default_factory=list)  # statement IDs

    @classmethod
    def count(cls, all_ids: list[str], in_units: set[str], plumbing: dict[str, str]
              ) -> Coverage:
        """Coverage of ``all_ids`` (every statement, in source order) given the statements in
        units and the plumbing reasons of the others."""
        reasons: Counter[str] = Counter()
        unexplained = []
        units = plumb = 0
        for sid in all_ids:
            if sid in in_units:
                units += 1
            elif sid in plumbing:
                plumb += 1
                reasons[plumbing[sid]] += 1
            else:
                unexplained.append(sid)
        return cls(len(all_ids), units, plumb, dict(sorted(reasons.items())), unexplained)
