"""`collect import-debtors`, `collect debtor show` and `collect debtor list`."""

from __future__ import annotations

import csv
import hashlib
import importlib
import importlib.util
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import typer

from collectcli.cli.context import state
from collectcli.cli.render import err, error_line, print_json, progress, show, table, warn
from collectcli.cli.root import app, debtor_app
from collectcli.cli.shapes import debtor_json
from collectcli.domain.debtor_csv import COLUMNS, RowValidator, read_header
from collectcli.domain.debtor_text import text_blocks
from collectcli.domain.errors import InputError, NotFound
from collectcli.domain.model import LogEntry
from collectcli.domain.money import fmt, from_cents
from collectcli.domain.where import parse_where
from collectcli.store import debtors_repo, imports_repo
from collectcli.store.bulk_import import ImportSummary, import_lines
from collectcli.store.import_worker import can_fork
from collectcli.store.reference import write_log
from collectcli.store.session import unit_of_work

PARALLEL_FROM_BYTES = 4_000_000
"""A CSV at least this big (about 40,000 rows) is checked in a second process while this
one inserts; below it the process start costs more than it saves."""


@debtor_app.command("show")
def show_debtor(ctx: typer.Context, file: int = typer.Argument(..., help="File number."),
                json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show one debtor account: financials, dates and the earliest pending promise."""
    with state(ctx).engine().connect() as conn:
        debtor = debtors_repo.get_debtor(conn, file)
        doc = debtor_json(debtor, debtors_repo.promise_date(conn, file))
    if json_out:
        print_json(doc)
        return
    show(table(f"Debtor {file}", ["field", "value"], doc.items()))


@debtor_app.command("list")
def list_debtors(
    ctx: typer.Context,
    where: str = typer.Option("", "--where", help="Filters joined by ',' (AND): "
                              "status=NEW,owing>100,listed>=2026-01-01,operator=JS."),
    limit: int = typer.Option(0, "--limit", min=0, help="At most this many (0: all)."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List debtors, by file number, optionally filtered with --where."""
    filters = parse_where(where)
    with state(ctx).engine().connect() as conn:
        docs = [debtor_json(d, p) for d, p in debtors_repo.list_debtors(conn, filters, limit)]
    if json_out:
        print_json(docs)
        return
    cols = ["file", "name", "mode", "status", "operator", "owing", "listed_date", "promise_date"]
    show(table(f"{len(docs)} debtor(s)", cols, ([d[c] for c in cols] for d in docs)))


@app.command("import-debtors")
def import_debtors(
    ctx: typer.Context,
    csv_file: Path = typer.Argument(..., metavar="FILE.csv", help="Debtors as CSV with a "
                                    f"header: {', '.join(COLUMNS)} (name, principal required)."),
    skip_invalid: Path = typer.Option(
        None, "--skip-invalid", metavar="REJECTS.csv",
        help="Import the good rows; write bad ones here with a reason."),
    plan: str = typer.Option(None, "--plan",
                             help="Run this contact plan on every imported debtor."),
    again: bool = typer.Option(False, "--again",
                               help="Import it even though this very file was imported "
                                    "before."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Import debtors from CSV in one transaction. Any bad row imports nothing and every
    bad row is listed (line, column, reason), unless --skip-invalid is given. A file
    already imported (same content) is not imported twice: its --plan run, if it was cut
    short, is finished instead."""
    hashing = _Hash(csv_file) if csv_file.is_file() else None  # while the database opens
    st = state(ctx)
    engine = st.engine()
    plan_code = plan.strip().upper() if plan else None
    if plan_code is not None:
        with engine.connect() as conn:
            if not debtors_repo.plan_exists(conn, plan_code):
                raise NotFound(f"--plan: no contact plan '{plan_code}' (see 'collect plans list')")
        _plan_runner()
    _check_input(csv_file, skip_invalid)
    assert hashing is not None  # the file exists
    content_hash = hashing.result()
    if not again and _already_imported(st, csv_file, content_hash, plan_code, json_out):
        return
    with ExitStack() as stack:
        src = stack.enter_context(csv_file.open(newline="", encoding="utf-8-sig",
                                                errors="surrogateescape"))
        lines = iter(src)
        header_reader = csv.reader(lines)
        try:
            header = next(header_reader)
        except (StopIteration, csv.Error):
            raise InputError(f"{csv_file}: there is no header line") from None
        validator = RowValidator(read_header(header), st.today)
        reject = _reject_sink(stack, skip_invalid, header) if skip_invalid else None
        bar = stack.enter_context(progress(enabled=not json_out))
        task = bar.add_task(f"importing {csv_file.name}", total=None)
        uow = stack.enter_context(unit_of_work(engine))
        summary = import_lines(
            uow.conn, text_blocks(src), header_reader.line_num + 1, validator, today=st.today,
            operator=st.operator, reject=reject, keep_files=plan_code is not None,
            progress=lambda n: bar.update(task, completed=n),
            parallel=csv_file.stat().st_size >= PARALLEL_FROM_BYTES and can_fork())
        if summary.failed and skip_invalid is None:
            uow.conn.rollback()
        else:
            imports_repo.record(uow.conn, content_hash, csv_file.name, st.now,
                                summary.imported, plan_code, summary.files)
        _log(uow.conn, st, csv_file, summary, skip_invalid)
        uow.commit()
    refused = summary.failed and skip_invalid is None
    plan_summary = None
    if plan_code is not None and summary.files and not refused:
        plan_summary = _plan_runner()(st, plan_code, summary.files, json_out=json_out)
    _report(csv_file, summary, skip_invalid, json_out, plan_summary)
    if refused:
        raise typer.Exit(1)


def _plan_runner() -> Any:
    """collectcli.cli.planrunner.run_plan_on_files, imported when --plan is used."""
    if importlib.util.find_spec("collectcli.cli.planrunner") is None:
        raise InputError("--plan: running plans is not available in this build")
    return importlib.import_module("collectcli.cli.planrunner").run_plan_on_files


class _Hash:
    """The SHA-256 of a file, computed on a thread from the start (hashlib lets go of the
    GIL) so that it overlaps opening the database. A daemon thread: a command that fails
    before it needs the hash does not wait for it."""

    def __init__(self, path: Path):
        self.value: str | None = None
        self.error: OSError | None = None
        self.thread = threading.Thread(target=self._run, args=(path,), daemon=True,
                                       name="collect-import-hash")
        self.thread.start()

    def _run(self, path: Path) -> None:
        try:
            self.value = _sha256(path)
        except OSError as exc:
            self.error = exc

    def result(self) -> str:
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _already_imported(st: Any, csv_file: Path, content_hash: str, plan_code: str | None,
                      json_out: bool) -> bool:
    """A file imported before (same bytes) is not imported again; a --plan run that was
    cut short is resumed on the very debtors of that import (the plan journal)."""
    with st.engine().connect() as conn:
        earlier = imports_repo.find(conn, content_hash)
    if earlier is None:
        return False
    warn(f"{csv_file} was already imported at {earlier.imported_at} ({earlier.rows} "
         "debtors): nothing imported again (--again imports it once more)")
    plan_summary = None
    if plan_code is not None and earlier.plan == plan_code and earlier.files:
        plan_summary = _plan_runner()(st, plan_code, earlier.files, json_out=json_out)
    if json_out:
        print_json({"file": str(csv_file), "read": 0, "imported": 0, "rejected": 0,
                    "principal": "0.00", "rejects_file": None, "errors": [],
                    "already_imported": True, "plan": plan_summary})
    return True


def _check_input(csv_file: Path, rejects: Path | None) -> None:
    if not csv_file.is_file():
        raise InputError(f"{csv_file}: no such file")
    if csv_file.stat().st_size == 0:
        raise InputError(f"{csv_file} is empty: the first line must be a header "
                         f"({', '.join(COLUMNS)})")
    if rejects is not None and rejects.resolve() == csv_file.resolve():
        raise InputError("--skip-invalid must name a different file than the input")
    if rejects is not None and not rejects.parent.resolve().is_dir():
        raise InputError(f"--skip-invalid {rejects}: the folder does not exist")


def _reject_sink(stack: ExitStack, path: Path, header: list[str]) -> Any:
    fh = stack.enter_context(path.open("w", newline="", encoding="utf-8",
                                       errors="surrogateescape"))
    out = csv.writer(fh)
    out.writerow([*header, "reason"])
    return lambda line, row, reason: out.writerow([*row, f"line {line}: {reason}"])


def _log(conn: Any, st: Any, csv_file: Path, s: ImportSummary, rejects: Path | None) -> None:
    if s.failed and rejects is None:
        entry = LogEntry("WARNING", "IMPORT", f"import-debtors {csv_file.name}: refused, "
                         f"{s.rejected} bad row(s) of {s.read}; nothing imported")
    else:
        entry = LogEntry("INFO", "IMPORT", f"import-debtors {csv_file.name}: imported "
                         f"{s.imported} debtor(s), principal {fmt(from_cents(s.principal_cents))}"
                         + (f"; rejected {s.rejected} to {rejects}" if s.rejected else ""))
    write_log(conn, st.now, st.operator, [entry])


def _report(csv_file: Path, s: ImportSummary, rejects: Path | None, json_out: bool,
            plan_summary: Any = None) -> None:
    refused = s.failed and rejects is None
    if refused:
        for p in s.problems:
            where = "" if p.column == "*" else f", column {p.column}"
            err.print(f"{csv_file}, line {p.line}{where}: {p.reason}", highlight=False,
                      markup=False, soft_wrap=True)
    if json_out:
        print_json({
            "file": str(csv_file), "read": s.read, "imported": 0 if refused else s.imported,
            "rejected": s.rejected,
            "principal": fmt(from_cents(0 if refused else s.principal_cents)),
            "rejects_file": None if rejects is None else str(rejects),
            "errors": [{"file": None, "contact": None, "line": p.line, "column": p.column,
                        "message": p.reason} for p in s.problems],
            "already_imported": False, "plan": plan_summary,
        })
    if refused:
        error_line(f"{s.rejected} bad row(s) of {s.read} in {csv_file}: nothing imported "
                   "(fix them, or use --skip-invalid REJECTS.csv to import the rest)")
    elif not json_out:
        rows = [("read", s.read), ("imported", s.imported), ("rejected", s.rejected),
                ("principal", fmt(from_cents(s.principal_cents)))]
        show(table(f"Imported {csv_file.name}", ["", "count"], rows), to_stderr=True)
        if s.rejected:
            err.print(f"{s.rejected} row(s) rejected to {rejects}", highlight=False)
