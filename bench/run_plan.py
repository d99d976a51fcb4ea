"""Benchmark: `collect run-plan CODE --all` (NEW by default) on N debtors.

SPEC 14: NEW on 1,000,000 debtors ≥ 100,000 debtors/s, peak memory < 500 MB, SQLite,
2 cores.

    python bench/run_plan.py [--debtors 1000000] [--plan NEW] [--db /tmp/bench_run_plan.db]
                             [--keep] [--profile out.prof]

Builds the database with `collect init` and one bulk insert of debtors (direct SQL: the
set-up is not what is measured), then runs the plan as a subprocess and prints debtors/s on
the wall clock, the child's CPU time (user + system: other work on the machine slows the
wall clock, not this), contacts created and the child's peak memory (ru_maxrss). With
--profile the child runs under cProfile and the top functions are printed.
Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

TODAY = "2026-03-10T10:00:00"
STATUSES = ("NEW", "NEW", "NEW", "OLD")


def collect(db: Path, *args: str, profile: Path | None = None) -> subprocess.CompletedProcess[str]:
    base = [sys.executable]
    if profile is not None:
        base += ["-m", "cProfile", "-o", str(profile)]
    cmd = [*base, "-m", "collectcli.cli.app", "--db", str(db), "--today", TODAY, *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=True,
                          env={**os.environ, "COLUMNS": "100"})


def build(db: Path, debtors: int) -> float:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    collect(db, "init")
    start = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    sql = ("INSERT INTO debtors (file, name, mode, status, operator, principal, fees, interest,"
           " paid, manage_group_promises, listed_date) VALUES (?, ?, 'ACTIVE', ?, 'JS', ?, 0,"
           " 0, 0, 0, '2026-03-01')")
    step = 50_000
    for lo in range(1, debtors + 1, step):
        hi = min(lo + step, debtors + 1)
        conn.executemany(sql, ((f, f"Debtor {f}", STATUSES[f % 4], 10_000 + f % 90_000)
                               for f in range(lo, hi)))
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--debtors", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/bench_run_plan.db"))
    ap.add_argument("--plan", default="NEW", help="the plan to run (plans/ holds the demo plans)")
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument("--profile", type=Path, help="run the child under cProfile into this file")
    args = ap.parse_args()

    setup = build(args.db, args.debtors)
    print(f"set-up: {args.debtors:,} debtors inserted in {setup:.1f}s")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = collect(args.db, "run-plan", args.plan, "--all", "--json", profile=args.profile)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    summary = json.loads(result.stdout)
    peak_mb = after.ru_maxrss / 1024
    n = summary["accounts"]
    print(f"run-plan {args.plan} --all: {n:,} debtors in {elapsed:.2f}s wall "
          f"= {n / elapsed:,.0f} debtors/s (target ≥ 100,000)")
    print(f"child CPU time (user + system): {cpu:.2f}s = {n / cpu:,.0f} debtors per CPU second")
    print(f"contacts created: {summary['contacts_created']:,}; failed: {summary['failed']}")
    print(f"peak memory of the child: {peak_mb:,.0f} MB (target < 500 MB)")
    if args.profile is not None:
        pstats.Stats(str(args.profile)).sort_stats("tottime").print_stats(25)
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
