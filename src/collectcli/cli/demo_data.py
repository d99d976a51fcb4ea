"""The bundled demonstration sample: a deterministic set of debtors written as a CSV."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

_FIRST = ["Ava", "Ben", "Cora", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea",
          "Max", "Nia", "Oli", "Pia", "Quin", "Rosa", "Sam", "Tia", "Uma", "Vic", "Wes", "Zoe"]
_LAST = ["Abbott", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito",
         "Jones", "Khan", "Lopez", "Moreau", "Nguyen", "Okafor", "Patel", "Quinn", "Rossi",
         "Silva", "Tanaka", "Usman", "Varga", "Weber", "Young"]
_PLACES = [("NY", "America/New_York"), ("CA", "America/Los_Angeles"), ("TX", "America/Chicago"),
           ("CO", "America/Denver"), ("FL", "America/New_York"), ("WA", "America/Los_Angeles")]
COLUMNS = ["file", "name", "principal", "status", "operator", "state", "country", "timezone",
           "email", "phone", "group", "listed"]


def write_sample(path: Path, count: int, today: date, seed: int = 2026) -> Path:
    """Write `count` demonstration debtors (file numbers from 1001) to a CSV at `path`."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for i in range(count):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            state, tz = rng.choice(_PLACES)
            cents = rng.randrange(5_000, 500_000)
            group = f"G{i // 3}" if i % 10 < 3 else ""
            out.writerow([
                1001 + i, f"{first} {last}", f"{cents // 100}.{cents % 100:02d}", "NEW",
                rng.choice(["JS", "MK", "ADMIN"]), state, "US", tz,
                f"{first.lower()}.{last.lower()}@example.com",
                f"555-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}", group,
                (today - timedelta(days=rng.randrange(0, 30))).isoformat(),
            ])
    return path
