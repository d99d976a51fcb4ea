"""Running a contact plan on many accounts: the loop behind `run-plan` and
`import-debtors --plan` (SPEC 5).

The run refuses before it writes anything: an unknown plan or operator, an operator whose
level is outside the plan's access ranges, a sub-plan run directly, a plan that prompts
for a start date with none given and no terminal to ask. Then, chunk by chunk of debtors
(file order): load the chunk (two queries), run the plan on each debtor in memory, write
the chunk's effects in bulk and commit. A plan that only creates the same contacts on
every debtor (engine/plan_compile.py decides) skips the loading and the engine: each
chunk is one `INSERT ... SELECT FROM debtors` per event (store/plan_sql.py), with the
very rows, log lines and summary the per-debtor path gives. `--dry-run` always shows the
per-debtor path.

Crash safety: each chunk commits atomically, together with the run journal's marker of
how far the run got (store/plan_runs.py), and a debtor's effects all live in its chunk.
So a run that is killed leaves every debtor either wholly done or not touched, and the
same command started again the same business day resumes after the last finished chunk:
nothing is done twice (a second NEW would schedule a second letter). A run that finished
is not repeated that day unless asked (`again`).
A debtor whose plan fails is left as it was, reported as {file, contact: null, message}
in "errors" and in the application log, and the run goes on.
"""

from __future__ import annotations

import gc
import hashlib
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from collectcli.cli.context import State, parse_day
from collectcli.cli.plan_output import (
    Preview,
    append_exports,
    confirm_delete_prompt,
    print_preview,
    print_summary,
)
from collectcli.cli.render import progress, warn
from collectcli.cli.run_context import load_context
from collectcli.domain.errors import CollectError, InputError
from collectcli.domain.model import LogEntry, Plan
from collectcli.domain.where import parse_where
from collectcli.engine.context import ConfirmDelete, RunContext
from collectcli.engine.plan_compile import CompiledPlan, compile_plan
from collectcli.engine.plans import check_access, run_plan
from collectcli.engine.workspace import Workspace
from collectcli.store import accounts, plan_runs, plan_sql, plans_repo
from collectcli.store.reference import write_log
from collectcli.store.session import UnitOfWork, unit_of_work
from collectcli.store.where_sql import compile_where

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Connection

CHUNK = 5000
SET_CHUNK = 50_000
"""Debtors per transaction of a set-based run: a few statements each, no rows in memory."""
DEFAULT_EXPORT_DIR = Path("exports")


def is_terminal() -> bool:
    """True when a person can answer prompts (stdin is a terminal)."""
    return sys.stdin.isatty()


def make_context(conn: Connection, st: State, *, start_date: date | None = None,
                 confirm_delete: ConfirmDelete | None = None,
                 assume_yes: bool = False) -> RunContext:
    """The RunContext of one command: business clock, operator, settings, plans, types."""
    return load_context(conn, st.now, st.operator, start_date=start_date,
                        confirm_delete=confirm_delete, assume_yes=assume_yes)


def resolve_start_date(plan: Plan, start_date: date | None) -> date | None:
    """Seed 001: a 'Prompt for start date' plan asks once for the whole batch."""
    if not plan.prompt_start_date:
        if start_date is not None:
            warn(f"plan {plan.code} does not prompt for a start date: --start-date is ignored "
                 "and its dates count from today (seed 001)")
        return None
    if start_date is not None:
        return start_date
    if not is_terminal():
        raise InputError(f"plan {plan.code} asks for a start date: give --start-date YYYY-MM-DD")
    text = typer.prompt(f"Start date for plan {plan.code} (YYYY-MM-DD)", err=True)
    return parse_day(text, "start date")


def _chunks(conn: Connection, files: list[int] | None, where: ColumnElement[bool] | None,
            size: int) -> Iterator[list[int]]:
    if files is not None:
        for i in range(0, len(files), size):
            yield files[i:i + size]
    else:
        yield from accounts.iter_file_chunks(conn, where, size)


def run_plan_on_files(
    st: State, code: str, files: Iterable[int] | None, *, where: str | None = None,
    start_date: date | None = None, yes: bool = False, dry_run: bool = False,
    json_out: bool = False, via: str = "user", export_dir: Path | None = None,
    chunk: int = CHUNK, again: bool = False,
) -> dict[str, Any]:
    """Run plan `code` on `files` (None: every debtor, or those matching `where`).

    Returns the summary (SPEC 11): counts and "errors". Prints the Rich summary table on
    stderr unless `json_out`; printing the JSON document is the caller's (so that
    `import-debtors --plan` can embed the summary in its own).
    """
    file_list = None if files is None else sorted(set(files))
    clause = None if where is None else compile_where(parse_where(where))
    summary: dict[str, Any] = {
        "plan": code.strip().upper(), "accounts": 0, "run": 0, "skipped": 0, "failed": 0,
        "cancelled": 0, "contacts_created": 0, "events_executed": 0, "exported": 0,
        "dry_run": dry_run, "resumed_after": None, "already_done": False, "errors": [],
    }
    previews: list[dict[str, Any]] = []
    with unit_of_work(st.engine()) as uow, progress(enabled=not json_out) as bar:
        conn = uow.conn
        plan = plans_repo.get(conn, code)
        ctx0 = make_context(conn, st)
        check_access(plan, ctx0.operator, via, True)
        if file_list is not None:
            accounts.check_files(conn, file_list)
        confirm = None if yes or not is_terminal() else confirm_delete_prompt(bar)
        ctx = replace(ctx0, start_date=resolve_start_date(plan, start_date),
                      confirm_delete=confirm, assume_yes=yes)
        run = None
        if not dry_run:
            run = _journal(uow, st, plan.code, via, _selection(file_list, where),
                           ctx.start_date, again, summary)
            if run is None:
                return _done(summary, json_out)
            if run.last_file is not None:
                file_list, clause = _after(file_list, clause, run.last_file)
        total = len(file_list) if file_list is not None else accounts.count_debtors(conn, clause)
        task = bar.add_task(f"plan {plan.code}", total=total)
        compiled = None if dry_run else compile_plan(plan, ctx)
        advance: Callable[[int], None] = partial(bar.advance, task)
        if compiled is not None and run is not None:
            size = SET_CHUNK if chunk == CHUNK else chunk
            _run_set_based(uow, st, compiled, file_list, clause, size, summary, advance,
                           run.id)
        else:
            with _quiet_gc():
                for part in _chunks(conn, file_list, clause, chunk):
                    ws = accounts.load_workspace(conn, part)
                    preview = Preview(ws) if dry_run else None
                    _run_chunk(ws, plan.code, ctx, via, summary, preview)
                    advance(len(part))
                    if preview is not None:
                        previews.extend(preview.entries)
                        if not json_out:
                            print_preview(preview.entries)
                        continue
                    accounts.apply_workspace(conn, ws, st.now, st.operator)
                    if run is not None:
                        plan_runs.progress(conn, run.id, part[-1])
                    uow.commit()
                    gc.collect(0)
                    if ws.exports:
                        summary["exported"] += append_exports(
                            export_dir or DEFAULT_EXPORT_DIR, st.today, ws.exports)
        if run is not None:
            plan_runs.finish(conn, run.id, st.now)
            _finish(uow, st, summary, via)
    if dry_run:
        summary["preview"] = previews
    if not json_out:
        print_summary(summary)
    return summary


@contextmanager
def _quiet_gc() -> Iterator[None]:
    """The per-debtor loop makes millions of short-lived objects and no reference cycles
    worth collecting: freeze what exists (settings, plans, modules) and collect only
    by hand between chunks, where each chunk's workspace has become garbage."""
    gc.collect()
    gc.freeze()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _selection(files: list[int] | None, where: str | None) -> str:
    """What a run was asked to run on, as the journal keys it."""
    if files is not None:
        return "files:" + hashlib.sha256(",".join(map(str, files)).encode()).hexdigest()
    return "all" if where is None else f"where:{where.strip()}"


def _journal(uow: UnitOfWork, st: State, code: str, via: str, selection: str,
             start_date: date | None, again: bool, summary: dict[str, Any]) -> Any:
    """The journal entry this run continues or starts; None when the same run already
    finished today and `again` was not asked for."""
    key = plan_runs.run_key(code, via, selection, st.today, start_date)
    last = plan_runs.latest(uow.conn, key)
    if last is not None and last.finished and not again:
        summary["already_done"] = True
        warn(f"plan {code} already ran on this selection today (started {last.started_at}); "
             "nothing done. Use --again to run it once more.")
        return None
    if last is not None and not last.finished:
        summary["resumed_after"] = last.last_file
        warn(f"resuming the run of plan {code} started {last.started_at}, which stopped "
             + ("before its first chunk" if last.last_file is None
                else f"after file {last.last_file}"))
        return last
    run = plan_runs.start(uow.conn, key, code, selection, st.today, st.now, st.operator)
    uow.commit()
    return run


def _after(files: list[int] | None, clause: ColumnElement[bool] | None,
           last_file: int) -> tuple[list[int] | None, ColumnElement[bool] | None]:
    """The part of the selection a resumed run still has to do."""
    if files is not None:
        return [f for f in files if f > last_file], clause
    return None, plan_runs.after_file(clause, last_file)


def _done(summary: dict[str, Any], json_out: bool) -> dict[str, Any]:
    if not json_out:
        print_summary(summary)
    return summary


def _run_set_based(uow: UnitOfWork, st: State, compiled: CompiledPlan,
                   files: list[int] | None, clause: ColumnElement[bool] | None, size: int,
                   summary: dict[str, Any], advance: Callable[[int], None],
                   run_id: int) -> None:
    """A plan that only creates contacts (engine/plan_compile.py): one INSERT ... SELECT
    per event and chunk, each chunk committed as the per-debtor path commits it."""
    conn = uow.conn
    chunks = (plan_sql.list_chunks(conn, files, size) if files is not None
              else plan_sql.range_chunks(conn, clause, size))
    for part in chunks:
        counts = plan_sql.apply_compiled(conn, compiled, part, now=st.now, operator=st.operator)
        plan_runs.progress(conn, run_id, part.hi)
        uow.commit()
        for key, value in counts.items():
            summary[key] += value
        advance(part.accounts)


def _finish(uow: UnitOfWork, st: State, summary: dict[str, Any], via: str) -> None:
    write_log(uow.conn, st.now, st.operator, [_summary_line(summary, via)])
    uow.commit()


def _run_chunk(ws: Workspace, code: str, ctx: RunContext, via: str,
               summary: dict[str, Any], preview: Preview | None) -> None:
    counts = {"ran": "run", "skipped_closed": "skipped", "cancelled": "cancelled"}
    before: Callable[[int], None] = preview.before if preview is not None else _noop
    after: Callable[[int], None] = preview.after if preview is not None else _noop
    for file in list(ws.accounts):
        summary["accounts"] += 1
        before(file)
        try:
            outcome = run_plan(ws, file, code, ctx, primary=True, via=via)
        except CollectError as exc:
            summary["failed"] += 1
            summary["errors"].append({"file": file, "contact": None, "message": str(exc)})
            ws.log(LogEntry("ERROR", "PLAN", f"plan {code} failed on file {file}: {exc}",
                            file=file))
            continue
        summary[counts.get(outcome.status, "run")] += 1
        summary["contacts_created"] += outcome.contacts_created
        summary["events_executed"] += outcome.events_executed
        after(file)


def _noop(_file: int) -> None:
    return None


def _summary_line(s: dict[str, Any], via: str) -> LogEntry:
    level = "WARNING" if s["failed"] or s["cancelled"] else "INFO"
    return LogEntry(level, "PLAN", (
        f"run-plan {s['plan']} ({via}): {s['accounts']} accounts, {s['run']} run, "
        f"{s['skipped']} skipped, {s['failed']} failed, {s['cancelled']} cancelled, "
        f"{s['contacts_created']} contacts created, {s['events_executed']} events executed"))
