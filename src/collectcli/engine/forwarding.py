"""What happens to a contact after it executes: completed, or forwarded on its anchor.

SPEC 7: without repeat the contact is marked done; with repeat it is forwarded to its
next occurrence after today (missed occurrences are not replayed, only counted);
`max_intervals` counts down and the contact is completed when it reaches 0.
Occurrences come from the anchor (SPEC 4), so month ends never drift.

`next_step` works on plain values so both the Workspace path (engine/batch.py) and the
tuple fast path (engine/batch_fast.py) share one rule; it is cached because a batch
forwards many contacts that share an anchor and a repeat.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from collectcli.domain.types import Repeat
from collectcli.scheduler import next_occurrence_after


class Step(NamedTuple):
    """The contact's fate: `forward` False means mark it done (completed)."""

    forward: bool
    anchor: date | None
    occurrence: int
    due: date | None
    skipped: int
    max_left: int | None


@lru_cache(maxsize=65536)
def _next(anchor: date, repeat: Repeat, repeat_days: int | None, k: int,
          today: date) -> tuple[int, date, int]:
    return next_occurrence_after(anchor, repeat, repeat_days, k, today)


def next_step(repeat: Repeat | None, repeat_days: int | None, anchor: date | None,
              due: date | None, occurrence: int, max_intervals: int | None,
              today: date) -> Step:
    """The step after one execution of a contact due on `due` (occurrence k of `anchor`).

    A contact with no anchor yet is anchored on its due date (occurrence 0).
    """
    if repeat is None or due is None:
        return Step(False, anchor, occurrence, due, 0, max_intervals)
    left = None if max_intervals is None else max_intervals - 1
    if left is not None and left <= 0:
        return Step(False, anchor, occurrence, due, 0, 0)
    if anchor is None:
        anchor, occurrence = due, 0
    k, next_due, skipped = _next(anchor, repeat, repeat_days, occurrence, today)
    return Step(True, anchor, k, next_due, skipped, left)
