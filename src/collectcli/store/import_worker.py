"""Checking the debtor CSV in a second process while this one inserts (SPEC 14).

`checked_in_child` forks one checker process that runs `domain.debtor_stream.check_chunks`
and sends each `Checked` chunk back through a pipe, in file order. The pipe is the bound
on memory: the child runs at most one chunk ahead and then waits until this process takes
the chunk. The child writes nothing anywhere: the database stays with this process and
its one transaction.

If this process dies (even by SIGKILL) the pipe's reading end closes and the child's next
send fails, so it ends too. An InputError raised while checking (a broken quote) comes
back through the pipe and is raised here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

from collectcli.domain.debtor_stream import Checked

_END = "end"
_FAILED = "failed"


def can_fork() -> bool:
    """True where a checker process helps: fork exists and there is a second core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return "fork" in multiprocessing.get_all_start_methods() and (cores or 1) > 1


def checked_in_child(make: Callable[[], Iterator[Checked]]) -> Iterator[Checked]:
    """The chunks of `make()`, computed in a forked child process, in order."""
    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(make, reader, writer), daemon=True,
                        name="collect-import-check")
    child.start()
    writer.close()
    try:
        while True:
            try:
                item = reader.recv()
            except EOFError:
                raise RuntimeError("the import's checking process ended unexpectedly "
                                   f"(exit code {child.exitcode})") from None
            if isinstance(item, Checked):
                yield item
            elif item[0] == _END:
                return
            else:
                raise item[1]
    finally:
        reader.close()  # a child still sending gets EPIPE and ends
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()


def _child(make: Callable[[], Iterator[Checked]], reader: Connection,
           writer: Connection) -> None:
    reader.close()  # so that the parent's death closes the pipe
    try:
        for item in make():
            writer.send(item)
        writer.send((_END, None))
    except (BrokenPipeError, ConnectionResetError):
        return  # the importing process is gone or gave up
    except Exception as exc:  # handed to the parent, which raises it
        _send_failure(writer, exc)


def _send_failure(writer: Connection, exc: Exception) -> None:
    failure: Any = exc
    try:
        writer.send((_FAILED, failure))
    except (BrokenPipeError, ConnectionResetError):
        return
    except Exception:  # an exception that does not pickle
        writer.send((_FAILED, RuntimeError(f"import check failed: {exc!r}")))
