"""Engine time of run_plan for a NEW-like plan (a Letter now + a Review in 10 days).

Prints microseconds per debtor for the pure core only (no database): the workspaces are
built before the clock starts. Usage: python bench/bench_engine_plans.py [N]
"""

from __future__ import annotations

import gc
import sys
import time
from datetime import datetime
from decimal import Decimal

from collectcli.domain.model import Debtor, Event, Operator, Plan
from collectcli.domain.settings import Settings
from collectcli.domain.types import ContactType
from collectcli.engine.context import RunContext
from collectcli.engine.plans import run_plan
from collectcli.engine.workspace import Workspace


def main(n: int) -> None:
    plan = Plan("NEW", "New account", events=(
        Event(int(ContactType.LETTER), "L1", immediately=True),
        Event(int(ContactType.REVIEW), "New account review", delay_days=10),
    ))  # fmt: skip
    ctx = RunContext(datetime(2026, 3, 10, 10, 0), Operator("ADMIN", level=99,
                     can_delete_contacts=True), Settings(), {"NEW": plan}, {})
    debtors = [Debtor(f, f"Debtor {f}", operator="JS", principal=Decimal("100.00"))
               for f in range(1, n + 1)]
    one = Workspace([(d, []) for d in debtors])
    each = [Workspace([(d, [])]) for d in debtors]
    runs = (("one workspace, N debtors, gc on", one, [(one, d.file) for d in debtors]),
            ("one workspace per debtor, gc off", None,
             [(w, d.file) for w, d in zip(each, debtors, strict=True)]))
    for label, _, pairs in runs:
        gc.collect()
        if "gc off" in label:
            gc.disable()
        start = time.perf_counter()
        for ws, file in pairs:
            run_plan(ws, file, "NEW", ctx)
        spent = time.perf_counter() - start
        gc.enable()
        print(f"{label}: {n} debtors in {spent:.3f} s = {spent / n * 1e6:.2f} µs/debtor "
              f"({n / spent:,.0f} debtors/s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
