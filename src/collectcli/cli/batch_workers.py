"""`collect batch --workers N`: N worker processes on this host, one summary (SPEC 13).

Each worker is the same command run as a child process (`python -m collectcli.cli.app
batch --worker-process --json`, the database URL in COLLECT_DB so no password shows in
the process list) with this run's business clock and operator. The workers claim chunks
of debtors in the database (cli/batch_claimed.py), so they split the work among
themselves, and with `collect batch` processes on other hosts. Each prints its JSON
summary; they are added up into one. A worker that dies loses nothing: the others pick up
what it held; if it died after they had finished, this process claims what is left itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

from sqlalchemy import Engine

from collectcli.cli.batch_claimed import run_claimed
from collectcli.cli.batch_run import Summary, Tick
from collectcli.domain.errors import InputError
from collectcli.engine.batch import BatchFailure
from collectcli.store.session import is_sqlite

PROGRESS = "@progress "  # a worker's progress line on stderr: '@progress DONE TOTAL'
_SUMS = ("debtors", "processed", "forwarded", "completed", "failed", "held",
         "broken_promises", "skipped_occurrences")


def refuse_sqlite(engine: Engine, workers: int) -> None:
    """SQLite has one writer: more than one worker is refused before anything runs."""
    if workers > 1 and is_sqlite(engine):
        raise InputError(f"--workers {workers}: SQLite allows one writer at a time; run "
                         "the batch with one worker, or use PostgreSQL (--db "
                         "postgresql+psycopg://...) to split it across processes")


def worker_tick(done: int, total: int) -> None:
    """A worker process reports its progress to the parent on stderr."""
    sys.stderr.write(f"{PROGRESS}{done} {total}\n")
    sys.stderr.flush()


def _command(now: datetime, operator: str, types: Iterable[str], broken: bool,
             chunk: int) -> list[str]:
    args = [sys.executable, "-m", "collectcli.cli.app", "--today",
            now.isoformat(timespec="seconds"), "--operator", operator, "batch", "--json",
            "--worker-process", "--chunk-size", str(chunk)]
    for t in types:
        args += ["--type", t]
    return args + (["--broken-promises"] if broken else [])


class _Worker:
    """One child process; a thread reads its stderr (progress lines, error text)."""

    def __init__(self, args: list[str], db: str, on_progress: Any):
        env = {**os.environ, "COLLECT_DB": db}
        env.pop("COLLECT_TODAY", None)
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.done = 0
        self.errors: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(self.proc.stderr,
                                                                on_progress), daemon=True)
        self.thread.start()

    def _read(self, stream: IO[str], on_progress: Any) -> None:
        for line in stream:
            if line.startswith(PROGRESS):
                self.done = int(line.split()[1])
                on_progress()
            elif line.strip():
                self.errors.append(line.strip())

    def result(self) -> dict[str, Any] | None:
        """The worker's JSON summary, None when it did not finish."""
        out = self.proc.communicate()[0]
        self.thread.join()
        if self.proc.returncode != 0:
            return None
        doc: dict[str, Any] = json.loads(out)
        return doc


def merge(docs: list[dict[str, Any]], today: str) -> dict[str, Any]:
    """The workers' JSON summaries added up into one (same keys as one worker's)."""
    out: dict[str, Any] = {"date": today, **{k: sum(d[k] for d in docs) for k in _SUMS},
                           "by_type": {}, "errors": [e for d in docs for e in d["errors"]]}
    for doc in docs:
        for name, counts in doc["by_type"].items():
            into = out["by_type"].setdefault(name, dict.fromkeys(counts, 0))
            for key, n in counts.items():
                into[key] = into.get(key, 0) + n
    out["by_type"] = dict(sorted(out["by_type"].items()))
    out = {k: out[k] for k in ("date", "debtors", "processed", "forwarded", "completed",
                               "failed", "held", "broken_promises", "skipped_occurrences",
                               "by_type", "errors")}
    return out


def run_workers(engine: Engine, db: str, now: datetime, operator: str,
                type_args: list[str], types: frozenset[int], broken_arg: bool, broken: bool,
                workers: int, chunk: int, tick: Tick) -> tuple[dict[str, Any], Summary,
                                                               list[str]]:
    """Run the batch in `workers` processes: (merged JSON summary, its failures as a
    Summary, one warning line per worker that did not finish)."""
    from collectcli.store.batch_claim import broken_limit, count_with_work
    from collectcli.store.reference import load_settings
    from collectcli.store.session import unit_of_work

    with unit_of_work(engine) as uow:
        grace = load_settings(uow.conn).promise_grace_days if broken else None
        total = count_with_work(uow.conn, types, now, broken_limit(now.date(), grace))
    tick(0, total)
    args = _command(now, operator, type_args, broken_arg, chunk)
    lock = threading.Lock()
    pool: list[_Worker] = []

    def progress() -> None:
        with lock:
            done = sum(w.done for w in pool)
        tick(min(done, total), total)

    for _ in range(workers):
        pool.append(_Worker(args, db, progress))
    docs, warnings = [], []
    for number, worker in enumerate(pool, 1):
        doc = worker.result()
        if doc is None:
            why = worker.errors[-1] if worker.errors else f"exit {worker.proc.returncode}"
            warnings.append(f"worker {number} stopped ({why}); its work was picked up")
        else:
            docs.append(doc)
    if warnings:  # claim what a worker that died after the others had finished still held
        rest = run_claimed(engine, now, operator, types, broken, lambda d, t: None, chunk,
                           True)
        docs.append(rest.as_json(now.date().isoformat()))
    tick(total, total)
    doc = merge(docs, now.date().isoformat())
    summary = Summary(failures=[BatchFailure(e["file"], e["contact"], e["message"])
                                for e in doc["errors"]])
    return doc, summary, warnings
