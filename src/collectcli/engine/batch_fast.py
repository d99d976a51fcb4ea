"""The batch's fast path: due contacts as plain tuples, effects as lists of tuples.

Most of a night's due contacts are Notes and Status changes (SPEC 14: a million debtors
with a Note, a Status and a monthly repeat each). A debtor whose due contacts are all of
FAST_TYPES, and who holds no broken promise, needs no Workspace: `split_due` sets it
apart, `execute_due` runs its rows and `FastEffects.settle` settles them exactly as
engine/batch.settle would (done or forwarded on the anchor, the copy, the repeat note
line, max_intervals); the store writes the lists set-based. The letter batch
(engine/letters.py) settles its rows here too.

On PostgreSQL a claimed chunk is staged in the database instead
(store/batch_repo.stage_due): set-based SQL writes the Note lines and done markers and the
engine only sees the Status descriptions (`last_statuses`) and the repeating rows
(`settle_staged`), whose copies and repeat note lines it keys by their place in the due
order (SEQ).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from collectcli.domain.model import LogEntry
from collectcli.domain.types import ContactType, Repeat
from collectcli.engine.batch import COMPLETED, DONE, FAILED, FORWARDED, BatchFailure
from collectcli.engine.forwarding import next_step
from collectcli.engine.repeat_note import repeat_note

FAST_TYPES = frozenset({ContactType.NOTE, ContactType.STATUS})

# The columns of a due row, in this order (store/batch_repo.DUE_COLUMNS).
ID, FILE, TYPE, DESCRIPTION, DUE, REPEAT, REPEAT_DAYS, MAX, ANCHOR, OCC, COPY, LOG = range(12)
SEQ = 12  # a staged row's place in the chunk's due order (store/batch_repo.repeat_rows)

_REPEATS = {r.value: r for r in Repeat}
# (forward?, due processed, next due ISO, anchor ISO, occurrence, max left, skipped)
_Step = tuple[bool, "date | None", str, str, int, "int | None", int]


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


@dataclass
class FastEffects:
    """What a chunk's fast rows did, ready for the store's bulk statements."""

    now: datetime
    operator: str
    notes: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    statuses: dict[int, str | None] = field(default_factory=dict)
    validations: dict[int, str] = field(default_factory=dict)
    done: list[int] = field(default_factory=list)
    completed: list[int] = field(default_factory=list)
    forwards: list[tuple[str, str, int, int | None, int]] = field(default_factory=list)
    copies: list[int] = field(default_factory=list)
    copy_seqs: list[tuple[int, int]] = field(default_factory=list)  # staged: (seq, id)
    lines: list[tuple[int, str]] = field(default_factory=list)  # staged: (seq, note text)
    logs: list[LogEntry] = field(default_factory=list)
    counts: Counter[tuple[int, str]] = field(default_factory=Counter)
    failures: list[BatchFailure] = field(default_factory=list)
    skipped: int = 0
    _steps: dict[tuple[Any, ...], _Step] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.day = self.now.date().isoformat()
        self.clock = self.now.strftime("%H:%M:%S")

    def fail(self, row: Sequence[Any], message: str) -> None:
        """The contact stays pending; the failure is a value and a log line."""
        self.failures.append(BatchFailure(row[FILE], row[ID], message))
        self.counts[row[TYPE], FAILED] += 1
        self.logs.append(LogEntry("ERROR", "BATCH", f"contact {row[ID]} on file {row[FILE]} "
                                  f"failed: {message}", row[FILE], row[ID]))

    def settle(self, row: Sequence[Any]) -> None:
        """Mark an executed row done, or forward it (SPEC 7; same rule as batch.settle)."""
        repeat = row[REPEAT]
        if repeat is None:
            self.done.append(row[ID])
            self.counts[row[TYPE], DONE] += 1
            return
        key = (repeat, row[REPEAT_DAYS], row[ANCHOR], row[DUE], row[OCC], row[MAX])
        step = self._steps.get(key)
        if step is None:
            step = self._steps[key] = self._step(key)
        forward, due, next_due, anchor, k, left, skipped = step
        if not forward:
            self.completed.append(row[ID])
            self.counts[row[TYPE], COMPLETED] += 1
            return
        staged = len(row) > SEQ
        if row[COPY]:
            if staged:
                self.copy_seqs.append((row[SEQ], row[ID]))
            else:
                self.copies.append(row[ID])
        if row[LOG] and due is not None:
            text = repeat_note(row[TYPE], row[DESCRIPTION], due, self.operator)
            if staged:
                self.lines.append((row[SEQ], text))
            else:
                self.notes.append((row[FILE], self.day, self.clock, self.operator, text))
        self.forwards.append((next_due, anchor, k, left, row[ID]))
        self.counts[row[TYPE], FORWARDED] += 1
        if skipped:
            self.skipped += skipped
            self.logs.append(LogEntry("INFO", "BATCH", f"contact {row[ID]} forwarded to "
                                      f"{next_due}: {skipped} missed occurrence(s) not "
                                      "replayed", row[FILE], row[ID]))

    def _step(self, key: tuple[Any, ...]) -> _Step:
        repeat, days, anchor, due_text, occ, max_intervals = key
        due = _date(due_text)
        s = next_step(_REPEATS[repeat], days, _date(anchor), due, occ or 0, max_intervals,
                      self.now.date())
        if not s.forward or s.due is None or s.anchor is None:
            return (False, due, "", "", 0, 0, 0)
        return (True, due, s.due.isoformat(), s.anchor.isoformat(), s.occurrence, s.max_left,
                s.skipped)


def last_statuses(rows: Iterable[Sequence[Any]]) -> dict[int, str | None]:
    """(file, description) of Status rows in due order -> each debtor's final status:
    the last one executed wins; a blank description clears it (SPEC 6)."""
    return {file: description.strip() or None for file, description in rows}


def settle_staged(counts: Iterable[tuple[int, int, int]], repeats: Sequence[Sequence[Any]],
                  fx: FastEffects) -> None:
    """Count the staged rows without repeat as done ((type, repeats?, count) rows) and
    settle the repeating rows (DUE_COLUMNS then SEQ, executed by the store's SQL)."""
    for kind, rep, n in counts:
        if not rep:
            fx.counts[kind, DONE] += n
    settle = fx.settle
    for row in repeats:
        settle(row)


def split_due(rows: Sequence[Sequence[Any]], held: Collection[int]
              ) -> tuple[list[Sequence[Any]], list[int]]:
    """A chunk's due rows (DUE_COLUMNS, due order) -> the rows of debtors whose due
    contacts are all of FAST_TYPES and who are not `held`, and the other debtors (sorted):
    those go through the Workspace."""
    slow = set(held)
    slow.update(row[FILE] for row in rows if row[TYPE] not in FAST_TYPES)
    return [row for row in rows if row[FILE] not in slow], sorted(slow)


def execute_due(rows: Iterable[Sequence[Any]], fx: FastEffects) -> None:
    """Execute Note and Status rows in due order and settle each (SPEC 6, 7): a Note adds
    its description as a note; a Status sets the debtor's status, the last one executed
    winning and a blank one clearing it; then done or forwarded as `settle` says."""
    notes, statuses, settle = fx.notes, fx.statuses, fx.settle
    day, clock, operator = fx.day, fx.clock, fx.operator
    note = int(ContactType.NOTE)
    for row in rows:
        if row[TYPE] == note:
            notes.append((row[FILE], day, clock, operator, row[DESCRIPTION]))
        else:
            statuses[row[FILE]] = row[DESCRIPTION].strip() or None
        settle(row)
