"""The next chunk's due contacts read on the second core while this chunk writes (SQLite).

SQLite has one writer, but in WAL mode a second connection reads a snapshot while the
writer writes. `Prefetcher` runs a thread that reads chunk i+1's due rows and computes its
fast effects (engine/batch_fast.py) while the main thread writes chunk i.

A prefetched chunk is used only if it is exactly what the writer would read itself:
- the request is made inside chunk i's transaction, so its snapshot holds everything
  committed before chunk i began, and perhaps chunk i's own writes;
- chunk i writes only its own debtors (the Workspace of a chunk holds only that chunk's
  files), so those writes do not change what chunk i+1 reads;
- the shell compares PRAGMA data_version at the start of chunks i and i+1: if another
  process committed in between, the prefetched chunk is dropped and read again.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine

from collectcli.engine.batch_fast import FastEffects, execute_slim
from collectcli.store import batch_repo
from collectcli.store.session import page_cache, reader

READER_CACHE_MIB = 192  # the reader's page cache (the writer's: cli/batch_run.WRITER_CACHE_MIB)


@dataclass
class ChunkRead:
    """A chunk's due work: the fast effects computed, the debtors for the Workspace, and
    how many debtors had due work (or a broken promise)."""

    fx: FastEffects
    slow: list[int]
    debtors: int


def read_chunk(conn: Connection, part: Sequence[int], held: Sequence[int],
               types: frozenset[int], now: datetime, operator: str) -> ChunkRead:
    """Read chunk `part`'s due rows and compute the fast debtors' effects."""
    rows = batch_repo.slim_rows(conn, part[0], part[-1], types, now)
    fx = FastEffects(now, operator)
    slow = execute_slim(rows, held, fx)
    return ChunkRead(fx, slow, len(with_work(rows, held)))


def with_work(rows: Sequence[Sequence[Any]], held: Sequence[int]) -> list[int]:
    """The chunk's debtors with due rows (file is a row's second value) or a broken
    promise (`held`), sorted."""
    return sorted({row[1] for row in rows}.union(held))


class Prefetcher:
    """`request(part, held)` starts reading a chunk on the reader thread; `take()` returns
    it (or raises what the reader raised). One request at a time."""

    def __init__(self, engine: Engine, types: frozenset[int], now: datetime, operator: str):
        self.engine, self.types, self.now, self.operator = engine, types, now, operator
        self._requests: queue.Queue[tuple[Sequence[int], Sequence[int]] | None] = queue.Queue()
        self._results: queue.Queue[ChunkRead | BaseException] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="batch-prefetch", daemon=True)

    def __enter__(self) -> Prefetcher:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._requests.put(None)
        self._thread.join()

    def request(self, part: Sequence[int], held: Sequence[int]) -> None:
        self._requests.put((part, held))

    def take(self) -> ChunkRead:
        result = self._results.get()
        if isinstance(result, BaseException):
            raise result
        return result

    def _run(self) -> None:
        with reader(self.engine) as conn, page_cache(conn, READER_CACHE_MIB):
            while (job := self._requests.get()) is not None:
                try:
                    with conn.begin():
                        result: ChunkRead | BaseException = read_chunk(
                            conn, job[0], job[1], self.types, self.now, self.operator)
                except BaseException as exc:  # handed to the main thread by take()
                    result = exc
                self._results.put(result)
