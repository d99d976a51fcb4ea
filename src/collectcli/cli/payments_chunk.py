"""One chunk of a payments file inside its transaction, up to the plain payments.

`open_chunk` leaves out the rows already posted (their idempotency keys are in
`transactions.ref`), locks the debtors (PostgreSQL), reads what the bulk path needs of
the debtors it may post on, posts every other row through the engine
(engine.payments.post_payment on a Workspace, written by apply_workspace) and reserves
the ids of the plain payments' transactions. What is left — the plain payments and the
rows read for them — is posted by engine/payments_fast.py, in this process
(cli/payments_bulk.py) or beside it (cli/payments_pipeline.py), in the same transaction.

A row the engine refuses (nothing to reverse, a plan error) is reported and the
Workspace redone without it, so no half-applied payment is ever written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from collectcli.cli.payments_csv import PaymentRow
from collectcli.domain.errors import CollectError
from collectcli.domain.model import LogEntry
from collectcli.domain.types import TxnKind
from collectcli.engine.context import RunContext
from collectcli.engine.payments import post_payment
from collectcli.engine.payments_plans import PaymentPlans
from collectcli.engine.workspace import Workspace
from collectcli.store.accounts import apply_workspace
from collectcli.store.payments_load import Db, FastRows, plain_files, read_fast_rows
from collectcli.store.payments_repo import (
    load_for_payments,
    lock_debtors,
    posted_between,
    posted_refs,
)
from collectcli.store.payments_write import reserve_transaction_ids
from collectcli.store.reference import write_log

_REVERSAL = TxnKind.REVERSAL.value


@dataclass
class BulkResult:
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, object]] = field(default_factory=list)

    def add(self, other: BulkResult) -> None:
        self.counts.update(other.counts)
        self.errors.extend(other.errors)


@dataclass
class Plain:
    """A chunk's plain payments (in CSV order), the rows read for them — the debtors';
    their promises' are read by the caller (`read_promise_rows`), at once or a slice of
    debtors at a time — and their transactions' ids, in posting order."""

    rows: list[PaymentRow]
    read: FastRows
    txn_ids: list[int]


def chunk_bounds(count: int, chunk: int) -> list[tuple[int, int]]:
    """(start, end) of each chunk of `count` rows: `chunk` rows each, but the last fifth of
    a chunk's rows in a chunk of their own. On SQLite a chunk's pages are copied from the
    WAL into the database beside the next chunk (store/wal.py); the last
    chunk's are copied at the end with nothing beside them, so it is best small."""
    if count <= chunk:
        return [(0, count)] if count else []
    head = count - max(1, chunk // 5)
    bounds = [(start, min(start + chunk, head)) for start in range(0, head, chunk)]
    return [*bounds, (head, count)]


def is_reversal(row: PaymentRow, ctx: RunContext) -> bool:
    return row.amount <= 0 or ctx.transaction_types[row.type].kind == _REVERSAL


def open_chunk(conn: Connection, part: Sequence[PaymentRow], ctx: RunContext,
               plans: PaymentPlans | None, result: BulkResult,
               read_debtors: bool = True) -> Plain:
    """Everything of `part` but its plain payments, which are returned (see the module)
    with their debtors' rows — unless `read_debtors` is False: then the caller reads them
    (cli/payments_pipeline.py, on a connection of its own, while this transaction holds
    the write lock)."""
    done = _posted(conn, part)
    todo = [r for r in part if r.key not in done]
    result.counts["already_posted"] += len(part) - len(todo)
    if not todo:
        return Plain([], FastRows([], [], set()), [])
    lock_debtors(conn, {r.file for r in todo})
    read = FastRows([], [], set())
    fast: set[int] = set()
    if plans is not None and plans.ok:
        files, groups = {r.file for r in todo}, ctx.settings.manage_group_promises
        if read_debtors:
            read = read_fast_rows(Db.of(conn), files, groups, promises=False)
            fast = {d[0] for d in read.debtors}
        else:
            fast = plain_files(Db.of(conn), files, groups)
        fast -= {r.file for r in todo if is_reversal(r, ctx) or not plans.type_ok(r.type)}
    ws = _post_chunk(conn, todo, ctx, result, fast)
    if ws is not None:
        apply_workspace(conn, ws, ctx.now, ctx.operator.id)
        result.counts.update({k: v for k, v in ws.counts.items() if v > 0})
    rows = [r for r in todo if r.file in fast]
    if not rows:
        return Plain([], FastRows([], [], set()), [])
    read = FastRows([d for d in read.debtors if d[0] in fast], [], set())
    return Plain(rows, read, reserve_transaction_ids(conn, len(rows)))


def _posted(conn: Connection, part: Sequence[PaymentRow]) -> dict[str, int]:
    """The keys of `part` already posted. A file's content-hash keys (no `ref` column)
    are its hash and a line number: the lines of a chunk with as many digits are one range
    of the ref index (a range may hold other lines' keys too, which do no harm); refs are
    looked up one by one."""
    first = part[0].key
    prefix = first[:first.rfind(":") + 1] if first.startswith("sha256:") else ""
    if not prefix or not all(r.key == f"{prefix}{r.line}" for r in part):
        return posted_refs(conn, (r.key for r in part))
    by_width: dict[int, list[int]] = {}
    for r in part:
        by_width.setdefault(len(str(r.line)), []).append(r.line)
    found: dict[str, int] = {}
    for lines in by_width.values():
        found.update(posted_between(conn, f"{prefix}{min(lines)}", f"{prefix}{max(lines)}"))
    return found


def _post_chunk(conn: Connection, rows: list[PaymentRow], ctx: RunContext,
                result: BulkResult, fast: set[int]) -> Workspace | None:
    """The workspace of the rows not on a `fast` debtor, with every row that succeeds;
    failed rows are left out.

    A debtor that the workspace has to load (a group member, the holder of a promise a
    reversal restores) is taken out of `fast` and its payments posted here, so no debtor
    is written by both paths.
    """
    dropped: set[int] = set()
    while True:
        todo = [r for r in rows if r.file not in fast and r.line not in dropped]
        if not todo:
            return None
        files = [r.file for r in todo]
        reversals = [r.file for r in todo if is_reversal(r, ctx)]
        ws = load_for_payments(conn, files, ctx.settings, reversals)
        shared = fast & ws.accounts.keys()
        if shared:
            fast -= shared
            continue
        failed = None
        for row in todo:
            try:
                post_payment(ws, row.file, row.amount, row.date, row.type, ctx, ref=row.key)
            except CollectError as exc:
                failed = (row, str(exc))
                break
        if failed is None:
            result.counts["posted"] += len(todo)
            return ws
        row, message = failed
        result.errors.append({"file": row.file, "contact": None, "line": row.line,
                              "message": message})
        result.counts["failed"] += 1
        dropped.add(row.line)
        _log_failure(conn, ctx.now, ctx.operator.id, row, message)


def _log_failure(conn: Connection, now: datetime, operator: str, row: PaymentRow,
                 message: str) -> None:
    write_log(conn, now, operator, [LogEntry(
        "ERROR", "PAYMENT", f"line {row.line}: payment of {row.amount} not posted: {message}",
        file=row.file)])
