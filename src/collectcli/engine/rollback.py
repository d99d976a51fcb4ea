"""Per-debtor atomicity inside a Workspace that holds many debtors.

`snapshot` takes what a plan run can change for one debtor (its Account's debtor,
contacts and added rows, and the workspace's log, counters and exports); `restore`
puts it back after a failure, so the other debtors' effects in the same Workspace stay.
Copies are shallow: the records themselves are immutable.
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
