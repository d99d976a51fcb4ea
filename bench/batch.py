"""Benchmark `collect batch` (SPEC 14): N debtors, each with a Note and a Status contact due
today, a monthly repeating Note due today with copy_on_repeat, and a Phone contact due in
30 days that the batch must leave alone. Prints due contacts/s and peak memory.

    /work/venv/bin/python bench/batch.py --debtors 1000000 [--keep DIR] [--runs N] [--profile]
    /work/venv/bin/python bench/batch.py --db postgresql+psycopg://USER@HOST/DB \
        --debtors 1000000 --workers 1,2,4

On PostgreSQL (SPEC 13) the workload is built once in a template database named after
the size (collect_bench_<debtors>, kept) on the server of --db; each worker count runs
`collect batch --workers N` on a fresh copy and prints its throughput, and the cost of one
chunk (BATCH_CHUNK debtors) measured with one worker.

The database is built with bulk SQL (recursive CTEs) once per folder and size (kept as a
template with --keep) and copied for each run; the batch runs as a subprocess. The figures
are the wall time and the child's CPU time (user + system): on a shared machine the CPU
time says what the batch costs, the wall time what it took.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
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


CONTACTS = ((7, "'Batch note'", TODAY, "NULL", 0), (2, "'BAT'", TODAY, "NULL", 0),
            (7, "'Monthly reminder'", TODAY, "'monthly'", 1),
            (1, "'Call the debtor'", "2026-04-09", "NULL", 0))


def build_pg(url: str, debtors: int) -> None:
    """The same workload as build(), with generate_series, in an initialised database."""
    from sqlalchemy import create_engine

    subprocess.run([*COLLECT, "--db", url, "--today", TODAY, "init", "--json"],
                   check=True, capture_output=True)
    engine = create_engine(url)
    cols = "file, type, description, due_date, priority, repeat, anchor_date, copy_on_repeat"
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO debtors (file, name, mode, status, operator, principal) SELECT n, "
            f"'Debtor ' || n, 'ACTIVE', 'NEW', 'ADMIN', 100000 "
            f"FROM generate_series(1, {debtors}) n")
        for kind, desc, due, repeat, copy in CONTACTS:
            anchor = f"DATE '{due}'" if repeat != "NULL" else "NULL"
            conn.exec_driver_sql(
                f"INSERT INTO contacts ({cols}) SELECT n, {kind}, {desc}, DATE '{due}', 50, "
                f"{repeat}, {anchor}, {bool(copy)} FROM generate_series(1, {debtors}) n")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


def main_pg(url: str, debtors: int, workers: list[int], chunk: int) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    template, copy = f"collect_bench_{debtors}", f"collect_bench_{debtors}_run"
    name = base.set(database=copy).render_as_string(hide_password=False)
    with admin.connect() as conn:
        if not conn.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s",
                                    (template,)).first():
            t0 = time.perf_counter()
            conn.exec_driver_sql(f'CREATE DATABASE "{template}"')
            build_pg(base.set(database=template).render_as_string(hide_password=False),
                     debtors)
            print(f"built {debtors:,} debtors, {4 * debtors:,} contacts in "
                  f"{time.perf_counter() - t0:.1f} s (template {template})")
    due, chunks, per_chunk = 3 * debtors, -(-debtors // chunk), 0.0
    for n in workers:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{copy}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"')
        cmd = [*COLLECT, "--db", name, "--today", f"{TODAY}T10:00:00", "batch", "--json",
               "--workers", str(n), "--chunk-size", str(chunk)]
        usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (usage.ru_utime + usage.ru_stime) - (usage0.ru_utime + usage0.ru_stime)
        if done.returncode != 0:
            sys.exit(f"batch --workers {n} failed: {done.stderr}")
        if n == 1:
            per_chunk = elapsed / chunks
        print(f"postgres --workers {n}: {debtors:,} debtors, {due:,} due contacts in "
              f"{elapsed:.1f} s = {due / elapsed:,.0f} due contacts/s, "
              f"{debtors / elapsed:,.0f} debtors/s; workers' CPU {cpu:.1f} s (the rest is "
              "the server's)")
    if per_chunk:
        print(f"one chunk of {chunk:,} debtors ({3 * chunk:,} due contacts) costs "
              f"{per_chunk:.2f} s with one worker")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{copy}"')
    admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--debtors", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, help="build the database in this folder and keep it")
    ap.add_argument("--profile", action="store_true", help="run the batch under cProfile")
    ap.add_argument("--runs", type=int, default=1,
                    help="SQLite: run N times on fresh copies and print the median too")
    ap.add_argument("--db", help="a PostgreSQL URL: benchmark there with --workers")
    ap.add_argument("--workers", default="1,2,4", help="worker counts (PostgreSQL)")
    ap.add_argument("--chunk", type=int, default=20_000, help="debtors per chunk")
    args = ap.parse_args()
    if args.db:
        main_pg(args.db, args.debtors, [int(n) for n in args.workers.split(",")], args.chunk)
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="collect-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    template = folder / f"template-{args.debtors}.db"
    if not template.exists():
        t0 = time.perf_counter()
        build(template, args.debtors)
        print(f"built {args.debtors:,} debtors, {4 * args.debtors:,} contacts "
              f"in {time.perf_counter() - t0:.1f} s")
    due = 3 * args.debtors
    walls = []
    for _ in range(args.runs):
        elapsed, cpu, peak = run_sqlite(folder / "bench.db", template, args.profile)
        walls.append(elapsed)
        print(f"batch: {due:,} due contacts in {elapsed:.1f} s wall = {due / elapsed:,.0f} "
              f"due contacts/s; CPU {cpu:.1f} s = {due / cpu:,.0f} due contacts/CPU-s; "
              f"peak memory {peak:,.0f} MB")
    if len(walls) > 1:
        print(f"median of {len(walls)} runs: {due / statistics.median(walls):,.0f} due "
              "contacts/s")


def run_sqlite(db: Path, template: Path, profile: bool) -> tuple[float, float, float]:
    """One batch on a fresh copy of `template`: (wall s, CPU s, peak MB); checks that
    nothing due is left pending and that the Phone contacts due later are untouched."""
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, db)
    os.sync()  # the copy written out now, not by the kernel during the timed run
    cmd = [*COLLECT, "--db", str(db), "--today", f"{TODAY}T10:00:00", "batch", "--json"]
    if profile:
        cmd = [*PROFILED, *cmd[3:]]
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"batch failed: {done.stderr}")
    if profile:
        print(done.stderr)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage.ru_utime + usage.ru_stime) - (usage0.ru_utime + usage0.ru_stime)
    con = sqlite3.connect(db)
    left = con.execute("SELECT count(*) FROM contacts WHERE status = 'pending' AND "
                       "due_date <= ?", (TODAY,)).fetchone()[0]
    phones = con.execute("SELECT count(*) FROM contacts WHERE type = 1 AND "
                         "status = 'pending'").fetchone()[0]
    con.close()
    if left or phones != len_phones(template):
        sys.exit(f"wrong result: {left} due contacts left pending, {phones:,} phones pending")
    return elapsed, cpu, usage.ru_maxrss / 1024


def len_phones(template: Path) -> int:
    con = sqlite3.connect(template)
    try:
        return int(con.execute("SELECT count(*) FROM contacts WHERE type = 1").fetchone()[0])
    finally:
        con.close()

if __name__ == "__main__":
    main()
