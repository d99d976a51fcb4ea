"""`collect post-payment` and `collect post-payments` (SPEC 8, 11, 12)."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import typer

from collectcli.cli.context import parse_day, state
from collectcli.cli.payments_bulk import CHUNK, gc_paused, post_rows
from collectcli.cli.payments_csv import read_payments, write_rejects
from collectcli.cli.payments_pipeline import MIN_ROWS, Writer, usable
from collectcli.cli.plan_output import confirm_delete_prompt
from collectcli.cli.planrunner import make_context
from collectcli.cli.render import error_line, print_json, progress, show, table, warn
from collectcli.cli.root import app
from collectcli.domain.errors import InputError
from collectcli.domain.model import LogEntry
from collectcli.domain.money import D, fmt
from collectcli.engine.payments import describe, post_payment, transaction_kind
from collectcli.store.accounts import apply_workspace
from collectcli.store.payments_repo import debtor_files, load_for_payments, posted_refs
from collectcli.store.reference import write_log
from collectcli.store.session import unit_of_work

OUTCOMES = ("full", "under", "over", "nsf", "none")


def _summary(counts: Any, errors: list[dict[str, object]]) -> dict[str, object]:
    return {
        "payments": counts.get("payments", 0), "reversals": counts.get("reversals", 0),
        "promises": {o: counts.get(f"promise_{o}", 0) for o in OUTCOMES},
        "contacts_created": max(counts.get("contacts_created", 0), 0),
        "notes": counts.get("notes", 0), "plans_run": counts.get("plans_run", 0),
        "errors": errors,
    }


@app.command("post-payment")
def post_payment_cmd(
    ctx: typer.Context,
    file: int = typer.Option(..., "--file", help="File number of the debtor paying."),
    amount: str = typer.Option(..., "--amount", help="Amount, e.g. 150.00; ≤ 0 is an NSF."),
    on: str = typer.Option(None, "--date", help="Payment date YYYY-MM-DD (default: today)."),
    type_code: str = typer.Option(None, "--type", help="Transaction type (default: the "
                                  "default_payment_type setting, shipped 101)."),
    reverses: int = typer.Option(None, "--reverses", help="Id of the payment an NSF reverses."),
    yes: bool = typer.Option(False, "--yes", help="Answer yes when a plan (e.g. PRN) asks "
                             "before deleting pending contacts."),
    ref: str = typer.Option(None, "--ref", help="Your reference for this payment (e.g. the "
                            "bank's id): a payment with a ref already posted is not posted "
                            "again, so a retried command is safe."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Post one payment (or an NSF / reversal) and manage the debtor's promise."""
    st = state(ctx)
    money = D(amount)
    if ref is not None and _already_posted(st, ref.strip(), json_out):
        return
    ask = None if yes or json_out or not sys.stdin.isatty() else confirm_delete_prompt(
        progress(enabled=False))
    with unit_of_work(st.engine()) as uow:
        rc = make_context(uow.conn, st, confirm_delete=ask, assume_yes=yes)
        code = type_code or rc.settings.default_payment_type
        tt = transaction_kind(rc, code)
        paid_on = parse_day(on or None, "--date") or st.today
        nsf = money <= 0 or tt.kind == "reversal" or reverses is not None
        ws = load_for_payments(uow.conn, [file], rc.settings, [file] if nsf else [])
        out = post_payment(ws, file, money, paid_on, code, rc, reverses=reverses,
                           ref=None if ref is None else ref.strip())
        ids = apply_workspace(uow.conn, ws, st.now, st.operator)
        txn = ids.get(out.transaction, out.transaction)
        promise = None if out.promise is None else ids.get(out.promise, out.promise)
        write_log(uow.conn, st.now, st.operator, [LogEntry(
            "INFO", "PAYMENT", f"post-payment {fmt(money)} type {code}: " + describe(
                out).replace(str(out.transaction), str(txn), 1), file=file)])
        uow.commit()
    doc = _summary(ws.counts, []) | {
        "transaction": txn,
        "promise": {"id": promise, "outcome": out.outcome, "due_date": out.due_date,
                    "amount": out.amount},
    }
    if json_out:
        print_json(doc)
        return
    show(table(f"Payment on file {file}: transaction {txn}", ["", ""], [
        ("amount", fmt(money)), ("type", code), ("promise", promise or "none"),
        ("outcome", out.outcome), ("promise due", out.due_date),
        ("promise amount", out.amount), ("plans run", doc["plans_run"])]))


def _already_posted(st: Any, ref: str, json_out: bool) -> bool:
    if not ref:
        raise InputError("--ref must not be blank")
    with st.engine().connect() as conn:
        found = posted_refs(conn, [ref]).get(ref)
    if found is None:
        return False
    warn(f"a payment with ref '{ref}' was already posted (transaction {found}): "
         "nothing posted again")
    if json_out:
        print_json({"payments": 0, "reversals": 0, "already_posted": True,
                    "transaction": found, "promise": None, "errors": []})
    return True


@app.command("post-payments")
def post_payments_cmd(
    ctx: typer.Context,
    csv_path: Path = typer.Argument(..., metavar="FILE.csv",
                                    help="CSV with columns file,amount[,date,type,ref]."),
    skip_invalid: Path = typer.Option(None, "--skip-invalid", metavar="REJECTS.csv",
                                      help="Write bad rows here and post the rest."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    yes: bool = typer.Option(False, "--yes", help="Answer yes when a plan (e.g. PRN) asks "
                             "before deleting pending contacts (else it is cancelled and "
                             "logged)."),
    chunk: int = typer.Option(CHUNK, "--chunk", min=1, hidden=True,
                              help="Payments per database transaction."),
    db_process: bool = typer.Option(None, "--db-process/--no-db-process", hidden=True,
                                    help="SQLite: do the database work in a second process "
                                    "(default: when there are enough rows)."),
) -> None:
    """Post many payments from a CSV. Every row is checked first: any bad row posts nothing
    (unless --skip-invalid). Re-running the same file posts nothing twice."""
    st = state(ctx)
    engine = st.engine()
    with unit_of_work(engine) as uow:
        rc = make_context(uow.conn, st, assume_yes=yes)
        files = debtor_files(uow.conn)
    with gc_paused():
        rows, bad, header = read_payments(csv_path, files, rc.transaction_types,
                                          rc.settings.default_payment_type, st.today)
    if bad and skip_invalid is None:
        for b in bad:
            error_line(b.describe(csv_path))
        raise InputError(f"{csv_path}: {len(bad)} bad row(s), nothing was posted (fix them, "
                         "or use --skip-invalid REJECTS.csv to post the good rows)")
    if bad:
        write_rejects(skip_invalid, header, bad)
        if not json_out:
            warn(f"{len(bad)} bad row(s) written to {skip_invalid}")
    use_writer = usable(engine, len(rows)) if db_process is None else (
        db_process and usable(engine, MIN_ROWS))
    with Writer(engine, rows, rc) if use_writer else nullcontext() as writer, \
            progress(enabled=not json_out) as bar:  # the writer forks before the bar's thread
        task = bar.add_task("posting payments", total=len(rows))
        result = post_rows(engine, rows, rc, lambda n: bar.advance(task, n), chunk,
                           writer=writer)
    c = result.counts
    with unit_of_work(engine) as uow:
        write_log(uow.conn, st.now, st.operator, [LogEntry(
            "WARNING" if result.errors or bad else "INFO", "PAYMENT",
            f"post-payments {csv_path.name}: {c['posted']} posted, {c['already_posted']} "
            f"already posted, {len(bad)} rejected, {c['failed']} failed")])
        uow.commit()
    doc = {"rows": len(rows) + len(bad), "posted": c["posted"],
           "already_posted": c["already_posted"], "rejected": len(bad), "failed": c["failed"],
           **_summary(c, result.errors)}
    if json_out:
        print_json(doc)
        return
    show(table(f"Payments from {csv_path.name}", ["", "count"], [
        (k, v) for k, v in doc.items() if k not in ("promises", "errors")]
        + [(f"promise {o}", n) for o, n in doc["promises"].items()]))  # type: ignore[attr-defined]
    for e in result.errors:
        warn(f"line {e['line']}, file {e['file']}: {e['message']}")
