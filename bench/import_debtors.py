"""Benchmark: `collect import-debtors` of N generated debtors, end to end (SPEC 14).

Generates the CSV in a temporary folder, runs `collect init` and then
`collect import-debtors` as subprocesses, and prints debtors/s (the import command's
wall time, process start included), the CPU time the import's processes used (user +
system, the checker process included), the cores the import may use, and the peak
memory of the largest child process. Other work on the machine slows the wall time;
the CPU time says how much of it was ours.

    python bench/import_debtors.py [--rows 1000000] [--into-rows N] [--runs 1]
                                   [--keep DIR] [--profile OUT.prof] [--no-bytecode-cache]

--into-rows N first imports N other debtors, to time an import into a table that
already holds rows (the indexes are then kept, not rebuilt).
--runs N repeats the import N times (a fresh database each time; the CSV is generated
once) and prints every run and the best.
--keep DIR generates the CSV into DIR and reuses it on later runs with the same rows.
--profile OUT.prof runs the import under cProfile (the importing process only) and
writes the profile there; its figures are then not the product's.

The commands run with their compiled bytecode cached (PYTHONPYCACHEPREFIX, filled by the
`init` run), as an installed package has it, even where PYTHONDONTWRITEBYTECODE is set;
--no-bytecode-cache leaves the environment as it is (then, with PYTHONDONTWRITEBYTECODE
set, every start compiles the package's modules again: about 0.2 s more).
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


def _csv(folder: Path, name: str, rows: int, first: int) -> Path:
    path = folder / f"{name}-{first}-{rows}.csv"
    if not path.exists():
        part = path.with_suffix(".part")
        write_csv(part, rows, first)
        part.rename(path)
    return path


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(collect: list[str], folder: Path, data: Path, before: Path | None,
         profile: str | None, pycache: Path | None) -> tuple[float, float]:
    db = folder / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "COLLECT_DB": str(db), "COLLECT_TODAY": "2026-03-10T10:00"}
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    subprocess.run([*collect, "init", "--json"], env=env, check=True, capture_output=True)
    if before is not None:
        subprocess.run([*collect, "import-debtors", str(before), "--json"], env=env,
                       check=True, capture_output=True)
    command = [*collect, "import-debtors", str(data), "--json"]
    if profile:
        command = [sys.executable, "-m", "cProfile", "-o", profile, "-m",
                   "collectcli.cli.app", *command[3:]]
    cpu_before = _cpu()
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    cpu = _cpu() - cpu_before
    if done.returncode != 0:
        sys.exit(f"import failed: {done.stderr}")
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--into-rows", type=int, default=0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR")
    parser.add_argument("--profile", default=None, metavar="OUT.prof")
    parser.add_argument("--no-bytecode-cache", action="store_true")
    args = parser.parse_args()
    collect = [sys.executable, "-m", "collectcli.cli.app"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        keep = args.keep or folder
        keep.mkdir(parents=True, exist_ok=True)
        data = _csv(keep, "debtors", args.rows, args.into_rows + 1)
        before = _csv(keep, "before", args.into_rows, 1) if args.into_rows else None
        pycache = None if args.no_bytecode_cache else keep / "pycache"
        runs = [_run(collect, folder, data, before, args.profile, pycache)
                for _ in range(args.runs)]
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        print(f"rows          {args.rows:,}" + (f" (into {args.into_rows:,})" if args.into_rows
                                                else ""))
        if len(runs) > 1:
            for i, (seconds, cpu) in enumerate(runs, 1):
                print(f"run {i}         {seconds:.2f} s wall, {cpu:.2f} s cpu, "
                      f"{args.rows / seconds:,.0f} debtors/s")
        seconds, cpu = min(runs)
        print(f"seconds       {seconds:.2f}" + (" (best)" if len(runs) > 1 else ""))
        print(f"debtors/s     {args.rows / seconds:,.0f}")
        print(f"cpu seconds   {cpu:.2f} (user + system, all import processes)")
        print(f"cores         {cores} available; cpu/wall {cpu / seconds:.2f}")
        print(f"peak memory   {peak_mb:,.0f} MB (largest child process)")
        print("bytecode      " + ("as the environment has it" if pycache is None
                                  else f"cached in {pycache}"))


if __name__ == "__main__":
    main()
