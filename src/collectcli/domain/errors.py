"""Errors a user can cause. Each carries one line that says what was wrong and how to fix it.

The CLI prints `str(error)` on stderr and exits 1; none of these ever shows a traceback.
"""

from __future__ import annotations


class CollectError(Exception):
    """Base of every error a user can cause."""


class InputError(CollectError):
    """A value given on the command line or in a file is not acceptable."""


class NotFound(CollectError):
    """A debtor, plan, contact, operator or transaction that was named does not exist."""


class AccessDenied(CollectError):
    """The operator's user level or rights do not allow the action."""


class PlanFileError(CollectError):
    """A plan file is invalid; the message names the file, the event index and the key."""

    def __init__(self, file: str, message: str, event: int | None = None, key: str | None = None):
        where = file
        if event is not None:
            where += f", event {event}"
        if key is not None:
            where += f", key '{key}'"
        super().__init__(f"{where}: {message}")
        self.file, self.event, self.key = file, event, key


class PlanRunError(CollectError):
    """A plan failed on a debtor; nothing was written for that debtor."""


class DatabaseBusy(CollectError):
    """Another collect process holds the database's write lock."""
