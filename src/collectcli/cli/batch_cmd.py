"""`collect batch` and `collect letters`: the nightly batches (SPEC 7), for cron.

Both exit 0 when the batch ran, even with failed contacts (they are in the summary and
the application log); exit 1 only when the batch could not run (e.g. another batch holds
the database: one line on stderr, never a traceback).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from collectcli.cli.batch_run import BATCH_CHUNK, CHUNK, Summary, log_doc, log_summary, run_batch
from collectcli.cli.batch_workers import refuse_sqlite, run_workers, worker_tick
from collectcli.cli.context import state
from collectcli.cli.letters_run import run_letters
from collectcli.cli.render import print_json, progress, show, table, warn
from collectcli.cli.root import app
from collectcli.domain.types import AUTOMATIC_TYPES, parse_contact_type, type_label

MAX_ERRORS_SHOWN = 20


@contextmanager
def _ticker(label: str, enabled: bool) -> Iterator[Callable[[int, int], None]]:
    with progress(enabled=enabled) as bar:
        task = bar.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield tick


def _types(values: list[str] | None) -> frozenset[int]:
    if not values:
        return frozenset(AUTOMATIC_TYPES)
    codes = frozenset(parse_contact_type(v) for v in values)
    if bad := sorted(type_label(c) for c in codes if c not in AUTOMATIC_TYPES):
        raise typer.BadParameter(f"{', '.join(bad)} is not an automatic contact type "
                                 "(Letter/Email/Text go through 'collect letters')",
                                 param_hint="--type")
    return codes


def _report(title: str, summary: Summary, doc: dict[str, Any], extra: list[tuple[str, Any]]
            ) -> None:
    rows = [(name, v["processed"], v["forwarded"], v["completed"], v["failed"], v["held"])
            for name, v in doc["by_type"].items()]
    rows.append(("total", doc["processed"], doc["forwarded"], doc["completed"], doc["failed"],
                 doc["held"]))
    show(table(title, ["type", "processed", "forwarded", "completed", "failed", "held"], rows))
    show(table("", ["", ""], [("debtors", doc["debtors"]), *extra,
                              ("missed occurrences skipped", doc["skipped_occurrences"])]))
    for f in summary.failures[:MAX_ERRORS_SHOWN]:
        warn(f"file {f.file}, contact {f.contact}: {f.message}")
    if len(summary.failures) > MAX_ERRORS_SHOWN:
        warn(f"... and {len(summary.failures) - MAX_ERRORS_SHOWN} more failures "
             "(see 'collect log --level ERROR')")


@app.command()
def batch(
    ctx: typer.Context,
    type_: list[str] = typer.Option(None, "--type", help="Process only contacts of this "
                                    "automatic type (repeatable): 'selected contacts only'."),
    broken_promises: bool = typer.Option(False, "--broken-promises", help="Process broken "
                                         "promises (alone, or with the --type selection)."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes on this host "
                                "(PostgreSQL only; SQLite has one writer). Workers, and "
                                "batches on other hosts, claim chunks of debtors in the "
                                "database."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    chunk: int = typer.Option(BATCH_CHUNK, "--chunk-size", min=1, hidden=True,
                              help="Debtors per transaction."),
    worker_process: bool = typer.Option(False, "--worker-process", hidden=True,
                                        help="Run as one worker of --workers N."),
) -> None:
    """Process automatic contacts previously scheduled (Note, Status, Plan, Close, ...) that
    are due, and run the Promise Broken plan on broken promises. Safe to kill and re-run:
    nothing is ever done twice. On PostgreSQL any number of batches (--workers N here,
    `collect batch` on other hosts) share the work. The letters (`collect letters`) run
    in one process."""
    st = state(ctx)
    selected = bool(type_) or broken_promises
    types = _types(type_) if type_ or not selected else frozenset()
    do_broken = broken_promises or not selected
    engine = st.engine()
    refuse_sqlite(engine, workers)
    if worker_process:
        summary = run_batch(engine, st.now, st.operator, types, do_broken, worker_tick, chunk,
                            count=False)
        print_json(summary.as_json(st.today.isoformat()))
        return
    warnings: list[str] = []
    with _ticker("batch", not json_out) as tick:
        if workers > 1:
            doc, summary, warnings = run_workers(
                engine, st.db, st.now, st.operator, list(type_ or []), types,
                broken_promises, do_broken, workers, chunk, tick)
        else:
            summary = run_batch(engine, st.now, st.operator, types, do_broken, tick, chunk)
            doc = summary.as_json(st.today.isoformat())
    log_doc(engine, st.now, st.operator, "batch", doc)
    for line in warnings:
        warn(line)
    if json_out:
        print_json(doc)
        return
    _report(f"Batch {st.today.isoformat()}", summary, doc,
            [("broken promises (plan runs)", doc["broken_promises"])])


@app.command()
def letters(
    ctx: typer.Context,
    outbox: Path = typer.Option(Path("outbox"), "--outbox", help="Folder the letters are "
                                "written to, as OUTBOX/DATE/TYPE/FILE-CONTACT.txt."),
    templates: Path = typer.Option(Path("letters"), "--templates", help="Folder of NAME.txt "
                                   "templates (Jinja2), searched before the shipped letters."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    chunk: int = typer.Option(CHUNK, "--chunk-size", min=1, hidden=True,
                              help="Debtors per transaction."),
) -> None:
    """The daily letter batch: render every due Letter, Email and Text contact from its
    template into the outbox, then mark it done or forward it. Contact control may hold a
    letter; a missing template fails that contact only."""
    st = state(ctx)
    engine = st.engine()
    with _ticker("letters", not json_out) as tick:
        summary = run_letters(engine, st.now, st.operator, outbox, templates, tick, chunk)
    log_summary(engine, st.now, st.operator, "letters", summary)
    doc = {**summary.as_json(st.today.isoformat()), "letters": summary.letters,
           "outbox": str(outbox / st.today.isoformat())}
    if json_out:
        print_json(doc)
        return
    _report(f"Letters {st.today.isoformat()}", summary, doc,
            [("letters written", summary.letters), ("outbox", doc["outbox"])])
