"""The batch's fast path: due contacts as plain tuples, effects as lists of tuples.

Most of a night's due contacts are Notes and Status changes (SPEC 14: a million debtors
with a Note, a Status and a monthly repeat each). A debtor whose due contacts are all of
FAST_TYPES, and who holds no broken promise, needs no Workspace: `execute_slim` sets the
others apart, runs its rows and settles them exactly as engine/batch.settle would (done or
forwarded on the anchor, the copy, the repeat note line, max_intervals); the store writes
the lists set-based. The batch reads its rows slim (store/batch_repo.SLIM_COLUMNS: a
Note's text is not read at all, the store copies it from the contact); the letter batch
(engine/letters.py) settles its full rows (DUE_COLUMNS) here too.

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
# A slim row (store/batch_repo.SLIM_COLUMNS): id, file, type, the description (Status rows
# and repeating rows that log to notes, else None), the repeat key (None without repeat):
# repeat, repeat days, max intervals, anchor, due, occurrence, copy, log, joined by KEY_SEP.
KEY_SEP = "\x1f"

_REPEATS = {r.value: r for r in Repeat}
# (forward?, due processed, next due ISO, anchor ISO, occurrence, max left, skipped)
_Step = tuple[bool, "date | None", str, str, int, "int | None", int]
# a slim row's step and its (copy on repeat, log repeat to notes) flags
_SlimStep = tuple[_Step, bool, bool]


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


@dataclass
class FastEffects:
    """What a chunk's fast rows did, ready for the store's bulk statements."""

    now: datetime
    operator: str
    # in order: a contact id (the note is that contact's description) or (file, text)
    notes: list[int | tuple[int, str]] = field(default_factory=list)
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
    _slim: dict[str, _SlimStep] = field(default_factory=dict, repr=False)

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
        if row[REPEAT] is None:
            self.done.append(row[ID])
            self.counts[row[TYPE], DONE] += 1
            return
        key = (row[REPEAT], row[REPEAT_DAYS], row[ANCHOR], row[DUE], row[OCC], row[MAX])
        step = self._steps.get(key)
        if step is None:
            step = self._steps[key] = self._step(key)
        seq = row[SEQ] if len(row) > SEQ else None
        self._repeat(row[ID], row[FILE], row[TYPE], row[DESCRIPTION], step, row[COPY],
                     row[LOG], seq)

    def settle_slim(self, cid: int, file: int, kind: int, text: str | None, key: str) -> None:
        """`settle` for a repeating slim row (KEY_SEP-joined repeat key)."""
        slim = self._slim.get(key)
        if slim is None:
            repeat, days, left, anchor, due, occ, copy, log = key.split(KEY_SEP)
            step = self._step((repeat, int(days) if days else None, anchor or None, due,
                               int(occ), int(left) if left else None))
            slim = self._slim[key] = (step, copy == "1", log == "1")
        self._repeat(cid, file, kind, text, slim[0], slim[1], slim[2], None)

    def _repeat(self, cid: int, file: int, kind: int, text: str | None, step: _Step,
                copy: Any, log: Any, seq: int | None) -> None:
        """A repeating contact: completed, or forwarded with its copy and note line
        (`seq`: a staged row's place in the due order, which keys both)."""
        forward, due, next_due, anchor, k, left, skipped = step
        if not forward:
            self.completed.append(cid)
            self.counts[kind, COMPLETED] += 1
            return
        if copy:
            if seq is not None:
                self.copy_seqs.append((seq, cid))
            else:
                self.copies.append(cid)
        if log and due is not None:
            line = repeat_note(kind, text or "", due, self.operator)
            if seq is not None:
                self.lines.append((seq, line))
            else:
                self.notes.append((file, line))
        self.forwards.append((next_due, anchor, k, left, cid))
        self.counts[kind, FORWARDED] += 1
        if skipped:
            self.skipped += skipped
            self.logs.append(LogEntry("INFO", "BATCH", f"contact {cid} forwarded to "
                                      f"{next_due}: {skipped} missed occurrence(s) not "
                                      "replayed", file, cid))

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


def execute_slim(rows: Sequence[Sequence[Any]], held: Collection[int],
                 fx: FastEffects) -> list[int]:
    """Execute a chunk's slim rows (due order) of debtors whose due contacts are all of
    FAST_TYPES and who are not `held`, and settle each (SPEC 6, 7): a Note adds its
    description as a note (the store copies it: `fx.notes` holds the contact id); a Status
    sets the debtor's status, the last one executed winning and a blank one clearing it.
    Returns the other debtors (sorted): those go through the Workspace."""
    slow = set(held)
    slow.update(row[1] for row in rows if row[2] not in FAST_TYPES)
    notes, statuses, done, settle = fx.notes, fx.statuses, fx.done, fx.settle_slim
    note = int(ContactType.NOTE)
    plain: Counter[int] = Counter()
    for cid, file, kind, text, key in rows:
        if slow and file in slow:
            continue
        if kind == note:
            notes.append(cid)
        else:
            statuses[file] = (text or "").strip() or None
        if key is None:
            done.append(cid)
            plain[kind] += 1
        else:
            settle(cid, file, kind, text, key)
    for kind, n in plain.items():
        fx.counts[kind, DONE] += n
    return sorted(slow)
