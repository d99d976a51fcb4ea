"""Real-kill test support: start a command, SIGKILL it at chosen points, run it to the end."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable


def run_to_end(args: list[str], done: Callable[[], int], kills: list[tuple[int, float]],
               poll: float = 0.01) -> list[int]:
    """For each (target, extra) in `kills`: start the command, wait until `done()` reaches
    `target`, wait `extra` seconds more (so the kill lands inside the next chunk), SIGKILL
    it. Then run it to the end, which must succeed. Returns `done()` seen after each kill."""
    seen = []
    for target, extra in kills:
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while proc.poll() is None and done() < target:
            time.sleep(poll)
        time.sleep(extra)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        seen.append(done())
    finished = subprocess.run(args, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    return seen
