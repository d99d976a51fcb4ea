"""Benchmark: `collect import-debtors` of N generated debtors, end to end (SPEC 14).

Generates the CSV in a temporary folder, runs `collect init` and then
`collect import-debtors` as subprocesses, and prints debtors/s (the import command's
wall time, process start included) and the peak memory of the child processes.

    python bench/import_debtors.py [--rows 1000000]
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


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(rows):
            cents = 5_000 + (i * 7_919) % 495_000
            out.writerow([i + 1, f"Debtor {i}", f"{cents // 100}.{cents % 100:02d}", "NEW",
                          ("JS", "MK", "ADMIN")[i % 3], "NY", "US", ZONES[i % 4],
                          f"d{i}@example.com", f"555-{i % 1000:03d}-{i % 10000:04d}",
                          f"G{i // 3}" if i % 10 < 3 else "", f"2026-02-{1 + i % 28:02d}"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    collect = [sys.executable, "-m", "collectcli.cli.app"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = folder / "debtors.csv"
        write_csv(data, args.rows)
        env = {**os.environ, "COLLECT_DB": str(folder / "bench.db"),
               "COLLECT_TODAY": "2026-03-10T10:00"}
        subprocess.run([*collect, "init", "--json"], env=env, check=True, capture_output=True)
        start = time.perf_counter()
        done = subprocess.run([*collect, "import-debtors", str(data), "--json"], env=env,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"import failed: {done.stderr}")
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"rows          {args.rows:,}")
        print(f"seconds       {seconds:.2f}")
        print(f"debtors/s     {args.rows / seconds:,.0f}")
        print(f"peak memory   {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
