"""Random debtors, promises and payment files for the tests that compare the ways of
posting payments (test_payments_plain_path.py, test_payments_pipeline.py), and the
canonical dump of a database they compare."""

from __future__ import annotations

import json
import random
import re
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.backend_db import execute, fetch_dicts, insert_many
from tests.cli.runplan_support import add_plan
from tests.conftest import Cli

NOW = datetime(2026, 3, 10, 10, 17, 42)
TYPE_PLAN = """
code = "TTP"
sub_plan = true
[[events]]
type = "Review"
description = "Check the payment"
delay_days = 3
assign = "account"
[[events]]
type = "Note"
description = "Payment by card"
immediately = true
record_history = true
"""
DEFAULT_PLAN = """
code = "DEF"
[[events]]
type = "Letter"
description = "Balance low"
immediately = true
"""
STATUS_PLAN = """
code = "STA"
sub_plan = true
[[events]]
type = "Status"
description = "PAID"
immediately = true
"""

SETTINGS: dict[str, dict[str, str]] = {
    "shipped": {},
    "no_plans": {"promise_full_plan": "", "promise_under_plan": "", "promise_over_plan": ""},
    "tolerances_and_early_skip": {"under_tolerance": "5.00", "over_tolerance": "10.00",
                                  "early_payment_skip_days": "7"},
    "no_payment_date": {"write_payment_date": "false"},
    "groups": {"manage_group_promises": "true"},
    "default_plan": {"default_plan": "DEF", "default_plan_below": "1500.00"},
    "default_plan_always": {"default_plan": "DEF"},
    "not_compiled": {"promise_under_plan": "STA"},
    "not_managed": {"auto_manage_promises": "false"},
}


def _seed(db: str, rnd: random.Random, debtors: int, settings: dict[str, str]) -> None:
    """Plans, a typed payment with a plan, `settings`, random debtors and promises."""
    for toml in (TYPE_PLAN, DEFAULT_PLAN, STATUS_PLAN):
        add_plan(db, toml)
    insert_many(db, "transaction_types", [{"code": "102", "description": "Card payment",
                                           "kind": "payment", "plan": "TTP"}])
    for key, value in settings.items():
        execute(db, "UPDATE settings SET value = :v WHERE key = :k", v=value, k=key)
    insert_many(db, "debtors", [
        {"file": f, "name": f"Debtor {f}", "mode": "CLOSED" if rnd.random() < 0.05 else "ACTIVE",
         "operator": rnd.choice([None, "JS", "AB"]),
         "group_key": f"G{f % 3}" if rnd.random() < 0.2 else None,
         "manage_group_promises": rnd.random() < 0.5,
         "principal": rnd.choice([0, 5_000, 30_000, 150_000, 400_000]),
         "fees": rnd.choice([0, 0, 1_250]), "paid": rnd.choice([0, 0, 2_000]),
         "last_payment_date": rnd.choice([None, "2026-03-01", "2026-03-20"])}
        for f in range(1, debtors + 1)])
    contacts: list[dict[str, Any]] = []
    for f in range(1, debtors + 1):
        for _ in range(rnd.choice([0, 1, 1, 1, 2])):
            due = date(2026, 1, 31) + timedelta(days=rnd.randint(0, 80))
            amount = rnd.choice([2_500, 10_000, 12_345])
            repeat = rnd.choice(["monthly", "monthly", "weekly", "custom", None])
            contacts.append({
                "id": len(contacts) + 1, "file": f, "type": 3,
                "description": f"Promise {len(contacts) + 1}", "due_date": due,
                "anchor_date": None if rnd.random() < 0.1 else due,
                "priority": rnd.randint(1, 99), "collector": rnd.choice([None, "JS"]),
                "amount": None if rnd.random() < 0.05 else amount, "promised": amount,
                "repeat": repeat, "repeat_days": 10 if repeat == "custom" else None,
                "max_intervals": rnd.choice([None, None, 1, 3]),
                "occurrence": rnd.choice([0, 0, 2]), "copy_on_repeat": rnd.random() < 0.3,
                "log_repeat_to_notes": rnd.random() < 0.3,
                "advance_overpayments": rnd.random() < 0.5,
                "no_autocomplete_promise": rnd.random() < 0.2, "status": "pending",
                "originator": "JS", "created_date": date(2026, 1, 2),
                "created_time": "09:30:00", "class": rnd.choice([None, "vip"]),
                "plan": "PRA"})
        if rnd.random() < 0.3:
            contacts.append({"id": len(contacts) + 1, "file": f, "type": 5,
                             "description": "Review", "due_date": date(2026, 3, 12),
                             "anchor_date": None, "priority": 50, "collector": None,
                             "amount": None, "promised": None, "repeat": None,
                             "repeat_days": None, "max_intervals": None, "occurrence": 0,
                             "copy_on_repeat": False, "log_repeat_to_notes": False,
                             "advance_overpayments": False, "no_autocomplete_promise": False,
                             "status": "pending", "originator": None, "created_date": None,
                             "created_time": None, "class": None, "plan": None})
    insert_many(db, "contacts", contacts)


def random_payments(rnd: random.Random, debtors: int, payments: int, path: Path) -> Path:
    lines = ["file,amount,date,type"]
    for _ in range(payments):
        f = rnd.randint(1, debtors)
        amount = rnd.choice(["100.00", "100.00", "25.00", "123.45", "60.00", "250.00",
                             "3000.00", "4200.00", "-100.00", "-25.00", "0"])
        day = rnd.choice(["", "2026-02-27", "2026-03-15", "2026-03-05", "2026-04-02"])
        code = rnd.choice(["", "101", "101", "102", "105"]) if amount[0] == "-" else (
            rnd.choice(["", "101", "101", "102"]))
        lines.append(f"{f},{amount},{day},{code}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def two_dbs(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    """seed(rnd, debtors, settings) -> (engine db, plain db): two initialised databases of
    the test's backend (conftest `backend`) holding the same random debtors (SQLite: one
    seeded, then copied; PostgreSQL: two fresh databases, each seeded from the same random
    sequence)."""

    def seed(rnd: random.Random, debtors: int, settings: dict[str, str]) -> tuple[str, str]:
        if backend == "postgres":
            server = request.getfixturevalue("pg_server")
            dbs = []
            state = rnd.getstate()
            for _ in range(2):
                db = server.create()
                request.addfinalizer(lambda db=db: server.drop(db))
                rnd.setstate(state)
                _seed(db, rnd, debtors, settings)
                dbs.append(db)
            return dbs[0], dbs[1]
        first = tmp_path / "engine.db"
        Cli(first).ok("init")
        _seed(str(first), rnd, debtors, settings)
        src, dst = sqlite3.connect(first), sqlite3.connect(tmp_path / "plain.db")
        src.backup(dst)
        src.close()
        dst.close()
        return str(first), str(tmp_path / "plain.db")

    return seed


def table_rows(db: str, table: str) -> list[dict[str, Any]]:
    key = "file" if table == "debtors" else "id"
    return fetch_dicts(db, f"SELECT * FROM {table} ORDER BY {key}")


def canonical(db: str) -> dict[str, Any]:
    """Every table, each id replaced by (file, rank of the id among that file's rows):
    the two paths may number the rows of different debtors in another order."""
    out: dict[str, Any] = {"debtors": table_rows(db, "debtors")}
    tables = {name: table_rows(db, name) for name in ("contacts", "transactions", "notes")}
    ids: dict[str, dict[int, tuple[int, int]]] = {}
    for name, rows in tables.items():
        rank: dict[int, int] = {}
        ids[name] = {}
        for r in rows:
            rank[r["file"]] = rank.get(r["file"], 0) + 1
            ids[name][r["id"]] = (r["file"], rank[r["file"]])
    c, t = ids["contacts"], ids["transactions"]

    def swap(row: dict[str, Any], refs: dict[str, dict[int, tuple[int, int]]]) -> dict[str, Any]:
        return {k: (refs[k].get(v, ("missing", v)) if k in refs and v is not None else v)
                for k, v in row.items()}

    out["contacts"] = sorted((swap(r, {"id": c, "copy_of": c, "made_by_txn": t})
                              for r in tables["contacts"]), key=lambda r: r["id"])
    txns = []
    for r in tables["transactions"]:
        row = swap(r, {"id": t, "reverses": t, "reversed_by": t, "promise_id": c,
                       "contact_id": c})
        if row["promise_before"] is not None:
            before = json.loads(row["promise_before"])
            before["contact"]["id"] = c.get(before["contact"]["id"], "gone")
            row["promise_before"] = before
        txns.append(row)
    out["transactions"] = sorted(txns, key=lambda r: r["id"])
    out["notes"] = sorted((swap(r, {"id": ids["notes"]}) for r in tables["notes"]),
                          key=lambda r: r["id"])

    def message(text: str) -> str:  # ids named in a log line
        text = re.sub(r"transaction (\d+)", lambda m: f"transaction {t.get(int(m[1]))}", text)
        return re.sub(r"promise (\d+)", lambda m: f"promise {c.get(int(m[1]))}", text)

    out["app_log"] = [{k: message(v) if k == "message" else v for k, v in r.items()
                       if k != "id"} for r in table_rows(db, "app_log")]
    return out




def post_file(db: str, csv_path: Path, chunk: int, **options: Any) -> dict[str, Any]:
    """Post a payments CSV through `post_rows` (the options go to it, e.g. plain=False or
    writer=...; `writer=True` runs a Writer process around it): counts and errors."""
    from collectcli.cli.payments_bulk import post_rows
    from collectcli.cli.payments_csv import read_payments
    from collectcli.cli.payments_pipeline import Writer
    from collectcli.cli.run_context import load_context
    from collectcli.store.session import open_engine, unit_of_work

    engine = open_engine(db)
    with unit_of_work(engine) as uow:
        ctx = load_context(uow.conn, NOW, "ADMIN", assume_yes=True)
        files = {r[0] for r in uow.conn.exec_driver_sql("SELECT file FROM debtors")}
    rows, bad, _ = read_payments(csv_path, files, ctx.transaction_types,
                                 ctx.settings.default_payment_type, NOW.date())
    assert not bad
    if options.pop("writer", False):
        with Writer(engine, rows, ctx) as w:
            result = post_rows(engine, rows, ctx, lambda n: None, chunk, writer=w, **options)
        assert not w.process.is_alive() and w.process.exitcode == 0
    else:
        result = post_rows(engine, rows, ctx, lambda n: None, chunk, **options)
    engine.dispose()
    return {"counts": dict(result.counts), "errors": result.errors}
