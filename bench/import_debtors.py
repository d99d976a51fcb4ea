"""Benchmark: `collect import-debtors` of N generated debtors, end to end (SPEC 14).

Generates the CSV in a temporary folder, runs `collect init` and then
`collect import-debtors` as subprocesses, and prints debtors/s (the import command's
wall time, process start included), the CPU time the import's processes used (user +
system, the checker process included), the cores the import may use, and the peak
memory of the largest child process. Other work on the machine slows the wall time;
the CPU time says how much of it was ours.

    python bench/import_debtors.py [--rows 1000000] [--into-rows N]

--into-rows N first imports N other debtors, to time an import into a table that
already holds rows (the indexes are then kept, not rebuilt).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
HEADER = ["file", "name", "principal", "status", "operator", "state", "country", "timezone",
          "email", "phone", "group", "listed"]


def write_csv(path: Path, rows: int, first: int = 1) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(first - 1, first - 1 + rows):
            cents = 5_000 + (i * 7_919) % 495_000
            out.writerow([i + 1, f"Debtor {i}", f"{cents // 100}.{cents % 100:02d}", "NEW",
                          ("JS", "MK", "ADMIN")[i % 3], "NY", "US", ZONES[i % 4],
                          f"d{i}@example.com", f"555-{i % 1000:03d}-{i % 10000:04d}",
                          f"G{i // 3}" if i % 10 < 3 else "", f"2026-02-{1 + i % 28:02d}"])


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--into-rows", type=int, default=0)
    args = parser.parse_args()
    collect = [sys.executable, "-m", "collectcli.cli.app"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = folder / "debtors.csv"
        write_csv(data, args.rows, first=args.into_rows + 1)
        env = {**os.environ, "COLLECT_DB": str(folder / "bench.db"),
               "COLLECT_TODAY": "2026-03-10T10:00"}
        subprocess.run([*collect, "init", "--json"], env=env, check=True, capture_output=True)
        if args.into_rows:
            before = folder / "before.csv"
            write_csv(before, args.into_rows)
            subprocess.run([*collect, "import-debtors", str(before), "--json"], env=env,
                           check=True, capture_output=True)
        cpu_before = _cpu()
        start = time.perf_counter()
        done = subprocess.run([*collect, "import-debtors", str(data), "--json"], env=env,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
        cpu = _cpu() - cpu_before
        if done.returncode != 0:
            sys.exit(f"import failed: {done.stderr}")
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        print(f"rows          {args.rows:,}" + (f" (into {args.into_rows:,})" if args.into_rows
                                                else ""))
        print(f"seconds       {seconds:.2f}")
        print(f"debtors/s     {args.rows / seconds:,.0f}")
        print(f"cpu seconds   {cpu:.2f} (user + system, all import processes)")
        print(f"cores         {cores} available; cpu/wall {cpu / seconds:.2f}")
        print(f"peak memory   {peak_mb:,.0f} MB (largest child process)")


if __name__ == "__main__":
    main()
