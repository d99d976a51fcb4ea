"""Benchmark: `collect post-payments` of N payments against N monthly repeating promises.

SPEC 14 target: ≥ 20,000 payments/s on the 2-core development machine with SQLite.
Builds a fresh database (collect init, then N debtors each with a monthly Promise written
straight with sqlite3), writes a CSV of N payments (full, under and over payments mixed),
times `collect post-payments` as a subprocess and prints payments/s.

    python bench/post_payments.py [--payments 100000] [--no-plans] [--inline] [--chunk N]
                                  [--keep DIR] [--profile F]

Prints wall time and the child's CPU time (user + system, from getrusage, its writer
process included), since other work on the machine can stretch the wall time. The
target is wall time: on SQLite the command spreads its work over two processes
(cli/payments_pipeline.py), so its CPU time exceeds its wall time on an idle machine.
`--profile F` runs the child under cProfile and writes its stats to F (read them with
`python -m pstats F`; the writer process is not profiled: add `--inline`).

`--no-plans` clears the promise plan settings first (promise management only); by default
the shipped PRF/PRU/PRO plans run on every payment, as they would in production.
`--inline` keeps the database work in the command's own process (no writer process,
cli/payments_pipeline.py); `--chunk N` sets the payments per transaction.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLLECT = str(Path(sys.executable).with_name("collect"))
TODAY = "2026-03-10T10:00:00"


def build(db: Path, n: int, env: dict[str, str]) -> None:
    subprocess.run([COLLECT, "init"], env=env, check=True, capture_output=True)
    con = sqlite3.connect(db)
    with con:
        con.executemany(
            "INSERT INTO debtors (file, name, mode, principal, fees, interest, paid, "
            "manage_group_promises) VALUES (?, ?, 'ACTIVE', ?, 0, 0, 0, 0)",
            ((f, f"Debtor {f}", 120_000) for f in range(1, n + 1)))
        con.executemany(
            "INSERT INTO contacts (id, file, type, description, due_date, anchor_date, "
            "priority, amount, promised, repeat, occurrence, status, copy_on_repeat, "
            "log_repeat_to_notes, advance_overpayments) VALUES "
            "(?, ?, 3, 'Monthly promise', '2026-03-15', '2026-03-15', 50, 10000, 10000, "
            "'monthly', 0, 'pending', ?, ?, ?)",
            ((f, f, f % 5 == 0, f % 7 == 0, f % 3 == 0) for f in range(1, n + 1)))
    con.close()


def write_csv(path: Path, n: int) -> None:
    amounts = ("100.00", "100.00", "60.00", "250.00")  # full, full, under, over
    with path.open("w", encoding="utf-8") as fh:
        fh.write("file,amount,date,type\n")
        for f in range(1, n + 1):
            fh.write(f"{f},{amounts[f % 4]},2026-03-15,101\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--payments", type=int, default=100_000)
    ap.add_argument("--no-plans", action="store_true")
    ap.add_argument("--inline", action="store_true", help="no writer process")
    ap.add_argument("--chunk", type=int, help="payments per transaction")
    ap.add_argument("--keep", type=Path, help="build the database in this folder and keep it")
    ap.add_argument("--profile", type=Path, help="run the child under cProfile, stats here")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-payments-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        run(args, folder)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: Path) -> None:
    db, csv_path = folder / "bench.db", folder / "payments.csv"
    for p in (db, csv_path):
        p.unlink(missing_ok=True)
    env = {**os.environ, "COLLECT_DB": str(db), "COLLECT_TODAY": TODAY}
    t0 = time.perf_counter()
    build(db, args.payments, env)
    write_csv(csv_path, args.payments)
    if args.no_plans:
        con = sqlite3.connect(db)
        with con:
            con.execute("UPDATE settings SET value = '' WHERE key IN ('promise_full_plan', "
                        "'promise_under_plan', 'promise_over_plan')")
        con.close()
    print(f"setup: {args.payments:,} debtors with monthly promises in "
          f"{time.perf_counter() - t0:.1f}s")
    command = [COLLECT, "post-payments", str(csv_path), "--json"]
    if args.inline:
        command.append("--no-db-process")
    if args.chunk:
        command += ["--chunk", str(args.chunk)]
    if args.profile:
        command = [sys.executable, "-m", "cProfile", "-o", str(args.profile), *command]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t1 = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t1
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        sys.exit(f"post-payments failed ({done.returncode}): {done.stderr.strip()}")
    doc = json.loads(done.stdout)
    print(f"post-payments: {doc['posted']:,} payments in {elapsed:.2f}s wall = "
          f"{doc['posted'] / elapsed:,.0f} payments/s; CPU {cpu:.2f}s = "
          f"{doc['posted'] / cpu:,.0f} payments/s of CPU "
          f"(promises {doc['promises']}, plans run {doc['plans_run']:,}, "
          f"contacts created {doc['contacts_created']:,})")


if __name__ == "__main__":
    main()
