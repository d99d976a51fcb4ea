"""Benchmark `collect batch` (SPEC 14): N debtors, each with a Note and a Status contact due
today, a monthly repeating Note due today with copy_on_repeat, and a Phone contact due in
30 days that the batch must leave alone. Prints due contacts/s and peak memory.

    /work/venv/bin/python bench/batch.py --debtors 1000000 [--keep DIR] [--profile]

The database is built with bulk SQL (recursive CTEs) once per folder and size (kept as a
template with --keep) and copied for each run; the batch runs as a subprocess. The figures
are the wall time and the child's CPU time (user + system): on a shared machine the CPU
time says what the batch costs, the wall time what it took.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = "2026-03-10"
# `collect`, with the batch commands registered even before cli/app.py imports them
COLLECT = [sys.executable, "-c",
           "from collectcli.cli import batch_cmd; from collectcli.cli.app import main; main()"]
# the same under cProfile, the 40 costliest functions (own time) on stderr
PROFILED = [sys.executable, "-c", """\
import cProfile, pstats, sys
from collectcli.cli import batch_cmd
from collectcli.cli.app import main
profile = cProfile.Profile()
try:
    profile.runcall(main)
except SystemExit:
    pass
pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(40)
"""]


def build(db: Path, debtors: int) -> None:
    subprocess.run([*COLLECT, "--db", str(db), "--today", TODAY, "init", "--json"],
                   check=True, capture_output=True)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = OFF")
    seq = f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {debtors})"
    con.execute(f"{seq} INSERT INTO debtors (file, name, mode, status, operator, principal) "
                "SELECT n, 'Debtor ' || n, 'ACTIVE', 'NEW', 'ADMIN', 100000 FROM s")
    cols = "file, type, description, due_date, priority, repeat, anchor_date, copy_on_repeat"
    for kind, desc, due, repeat, copy in (
        (7, "'Batch note'", f"'{TODAY}'", "NULL", 0),
        (2, "'BAT'", f"'{TODAY}'", "NULL", 0),
        (7, "'Monthly reminder'", f"'{TODAY}'", "'monthly'", 1),
        (1, "'Call the debtor'", "'2026-04-09'", "NULL", 0),
    ):
        anchor = due if repeat != "NULL" else "NULL"
        con.execute(f"{seq} INSERT INTO contacts ({cols}) SELECT n, {kind}, {desc}, {due}, 50, "
                    f"{repeat}, {anchor}, {copy} FROM s")
    con.commit()
    con.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--debtors", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, help="build the database in this folder and keep it")
    ap.add_argument("--profile", action="store_true", help="run the batch under cProfile")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="collect-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db, template = folder / "bench.db", folder / f"template-{args.debtors}.db"
    if not template.exists():
        t0 = time.perf_counter()
        build(template, args.debtors)
        print(f"built {args.debtors:,} debtors, {4 * args.debtors:,} contacts "
              f"in {time.perf_counter() - t0:.1f} s")
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, db)
    cmd = [*COLLECT, "--db", str(db), "--today", f"{TODAY}T10:00:00", "batch", "--json"]
    if args.profile:
        cmd = [*PROFILED, *cmd[3:]]
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0 = usage0.ru_utime + usage0.ru_stime
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"batch failed: {done.stderr}")
    if args.profile:
        print(done.stderr)
    due = 3 * args.debtors
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime - cpu0
    con = sqlite3.connect(db)
    left = con.execute("SELECT count(*) FROM contacts WHERE status = 'pending' AND "
                       "due_date <= ?", (TODAY,)).fetchone()[0]
    phones = con.execute("SELECT count(*) FROM contacts WHERE type = 1 AND "
                         "status = 'pending'").fetchone()[0]
    print(f"batch: {due:,} due contacts in {elapsed:.1f} s wall = {due / elapsed:,.0f} due "
          f"contacts/s; CPU {cpu:.1f} s = {due / cpu:,.0f} due contacts/CPU-s; "
          f"peak memory {peak:,.0f} MB; due left pending {left}; phones untouched {phones:,}")


if __name__ == "__main__":
    main()
