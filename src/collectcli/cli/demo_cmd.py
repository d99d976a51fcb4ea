"""`collect demo`: a demonstration agency, run for a month exactly as cron would run it.

Every step is a real `collect` command (with --json), so the demo shows what the
commands do and exercises the same code a nightly job does.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter
from contextlib import redirect_stdout
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import typer

from collectcli.cli.context import state
from collectcli.cli.demo_data import write_sample
from collectcli.cli.render import err, show, table
from collectcli.cli.root import app
from collectcli.domain.errors import CollectError
from collectcli.domain.money import from_cents
from collectcli.store import debtors_repo
from collectcli.store.session import open_engine


class _Agency:
    """Runs collect commands in-process against the demo database and keeps their output."""

    def __init__(self, db: Path, operator: str):
        self.db, self.operator = db, operator

    def run(self, day: date, *args: str) -> Any:
        argv = ["--db", str(self.db), "--today", f"{day.isoformat()}T09:00:00",
                "--operator", self.operator, *args, "--json"]
        buf = io.StringIO()
        with redirect_stdout(buf):
            code = app(argv, standalone_mode=False)
        if code not in (None, 0):
            raise CollectError(f"demo step 'collect {' '.join(args)}' failed (exit {code})")
        return json.loads(buf.getvalue())


def _promises_due(db: Path, day: date) -> list[tuple[int, int, int]]:
    """(file, contact id, amount in cents) of pending promises due on `day`."""
    with open_engine(str(db)).connect() as conn:
        return debtors_repo.promises_due_on(conn, day)


def _payments_file(folder: Path, day: date, due: list[tuple[int, int, int]],
                   rng: random.Random) -> tuple[Path, Counter[str], list[tuple[int, int]]]:
    """Today's payments: most promises paid in full, some short, some over, some missed.

    Returns the file, what happened per kind, and the (file, cents) paid in full."""
    kinds: Counter[str] = Counter()
    full: list[tuple[int, int]] = []
    path = folder / f"payments-{day.isoformat()}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["file", "amount", "date", "type", "ref"])
        for file, _cid, cents in due:
            roll = rng.random()
            if roll < 0.20:
                kinds["missed"] += 1
                continue
            kind, pay = (("partial", cents // 2) if roll < 0.35 else
                         ("over", cents * 2) if roll < 0.45 else ("full", cents))
            kinds[kind] += 1
            if kind == "full":
                full.append((file, pay))
            out.writerow([file, f"{from_cents(pay)}", day.isoformat(), "101",
                          f"demo-{day.isoformat()}-{file}"])
    return path, kinds, full


@app.command()
def demo(
    ctx: typer.Context,
    debtors: int = typer.Option(200, "--debtors", min=10, max=100_000,
                                help="How many sample debtors to create."),
    days: int = typer.Option(30, "--days", min=1, max=366, help="How many days to simulate."),
    path: Path = typer.Option(Path("demo.db"), "--path",
                              help="Demo database file (rebuilt every time)."),
    outbox: Path = typer.Option(Path("demo-outbox"), "--outbox", help="Where letters go."),
) -> None:
    """Build a demo agency (a bundled sample of debtors), run NEW on them, set up promises,
    then simulate a month of payments, nightly batches and letter runs, and show the result."""
    st = state(ctx)
    start = st.today
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    work = path.parent / f"{path.stem}-files"
    work.mkdir(exist_ok=True)
    agency = _Agency(path, st.operator)
    rng = random.Random(7)

    err.rule("[bold]collect demo[/]")
    agency.run(start, "init")
    sample = write_sample(work / "debtors.csv", debtors, start)
    imported = agency.run(start, "import-debtors", str(sample), "--plan", "NEW")
    err.print(f"Imported {imported.get('imported', debtors)} debtors and ran plan NEW on them "
              "(a letter today, a review in 10 days).")
    promised = [1001 + i for i in range(debtors) if i % 3 == 0]
    agency.run(start, "run-plan", "PRA", *[a for f in promised for a in ("--file", str(f))])
    err.print(f"Plan PRA set up a monthly promise on {len(promised)} accounts.")

    totals: Counter[str] = Counter()
    with err.status("simulating") as status:
        for offset in range(days):
            day = start + timedelta(days=offset)
            status.update(f"simulating {day.isoformat()} ({offset + 1}/{days})")
            due = _promises_due(path, day)
            csv_path, kinds, full = _payments_file(work, day, due, rng)
            totals.update(kinds)
            posted = agency.run(day, "post-payments", str(csv_path), "--yes")
            totals["plans"] += posted.get("plans_run", 0)
            if full and not totals["nsf"]:
                # One cheque bounces: the NSF reversal restores that promise exactly.
                file, cents = full[0]
                agency.run(day, "post-payment", "--file", str(file), "--amount",
                           f"-{from_cents(cents)}", "--type", "105", "--yes")
                totals["nsf"] += 1
            batch = agency.run(day, "batch")
            totals["broken"] += batch.get("broken_promises", 0)
            letters = agency.run(day, "letters", "--outbox", str(outbox))
            totals["letters"] += letters.get("processed", 0)

    statuses = Counter(d["status"] or "-" for d in agency.run(start + timedelta(days=days - 1),
                                                                 "debtor", "list"))
    err.print(f"\n[bold]{days} days of collections[/], {start} to "
              f"{start + timedelta(days=days - 1)}:")
    show(table("What happened",
               ["what", "count"],
               [("promised payments paid in full", totals["full"]),
                ("paid short (underpayment)", totals["partial"]),
                ("paid over (overpayment)", totals["over"]),
                ("payments returned NSF", totals["nsf"]),
                ("missed", totals["missed"]),
                ("broken promises caught by the batch", totals["broken"]),
                ("promise plans run on payments (PRF/PRU/PRO)", totals["plans"]),
                ("letters written to " + str(outbox), totals["letters"])]))
    show(table("Statuses at the end", ["status", "debtors"], statuses.most_common()))
    err.print(f"\nThe demo database is [bold]{path}[/]; try:\n"
              f"  collect --db {path} plans list\n  collect --db {path} debtor show 1001\n"
              f"  collect --db {path} contacts 1001 --all\n  collect --db {path} log")
