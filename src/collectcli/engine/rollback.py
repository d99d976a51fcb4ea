"""Per-debtor atomicity inside a Workspace that holds many debtors.

`snapshot` takes what a plan run can change for one debtor (its Account's debtor,
contacts and added rows, and the workspace's log, counters and exports); `restore`
puts it back after a failure, so the other debtors' effects in the same Workspace stay.
Copies are shallow: the records themselves are immutable.

`mark` / `undo` are the cheap pair for a plan whose events can only create contacts,
add notes, log, export, or replace the debtor record (SPEC 6 actions that touch no other
contact): instead of copying the account's contacts and sets, they remember the lengths
of the append-only lists and the debtor, and cut back to them.
"""

from __future__ import annotations

from typing import Any

from collectcli.engine.workspace import Account, Workspace

Saved = tuple[Any, ...]


def snapshot(ws: Workspace, acc: Account) -> Saved:
    return (
        acc.debtor, acc.contacts.copy(), acc.created.copy(), acc.changed.copy(),
        acc.deleted.copy(), len(acc.notes), acc.transactions.copy(),
        acc.changed_transactions.copy(), acc.history.copy(), len(ws.logs), dict(ws.counts),
        len(ws.exports),
    )  # fmt: skip


def restore(ws: Workspace, acc: Account, saved: Saved) -> None:
    (acc.debtor, acc.contacts, acc.created, acc.changed, acc.deleted, notes,
     acc.transactions, acc.changed_transactions, acc.history, logs, counts, exports) = saved
    del acc.notes[notes:]
    del ws.logs[logs:]
    del ws.exports[exports:]
    ws.counts.clear()
    ws.counts.update(counts)


def mark(ws: Workspace, acc: Account) -> Saved:
    """The append-only state of `acc` (for a plan that only appends; see `undo`)."""
    return (acc.debtor, len(acc.created), len(acc.notes), len(ws.logs), len(ws.exports),
            dict(ws.counts))


def undo(ws: Workspace, acc: Account, saved: Saved) -> None:
    """Cuts `acc` and `ws` back to `mark`: new contacts, notes, logs and exports removed,
    the debtor record and the counters put back."""
    acc.debtor, created, notes, logs, exports, counts = saved
    contacts = acc.contacts
    for cid in acc.created[created:]:
        del contacts[cid]
    del acc.created[created:]
    del acc.notes[notes:]
    del ws.logs[logs:]
    del ws.exports[exports:]
    ws.counts.clear()
    ws.counts.update(counts)
