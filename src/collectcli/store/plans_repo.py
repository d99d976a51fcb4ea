"""Contact plans in the database: table `plans` (code, description, sub_plan, definition).

`definition` holds the plan as JSON of its TOML keys (planfile.plan_to_dict), so a stored
plan reads back through the same validation as a file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Connection, delete, insert, select, update

from collectcli.domain.errors import NotFound
from collectcli.domain.model import Plan
from collectcli.planfile import plan_from_dict, plan_to_dict
from collectcli.store import tables as t


def _row(plan: Plan) -> dict[str, object]:
    return {"code": plan.code, "description": plan.description, "sub_plan": plan.sub_plan,
            "definition": json.dumps(plan_to_dict(plan))}


def _plan(code: str, definition: str) -> Plan:
    return plan_from_dict(json.loads(definition), f"plan {code} in the database", None)


def known_codes(conn: Connection) -> set[str]:
    """Codes of every plan in the database."""
    return set(conn.execute(select(t.plans.c.code)).scalars())


def save(conn: Connection, plan: Plan) -> bool:
    """Insert the plan, or replace the one with its code; True when it was new."""
    row = _row(plan)
    changed = conn.execute(update(t.plans).where(t.plans.c.code == plan.code).values(**row))
    if changed.rowcount:
        return False
    conn.execute(insert(t.plans).values(**row))
    return True


def insert_missing(conn: Connection, plans: Iterable[Plan]) -> int:
    """Insert the plans whose code is not in the database yet; returns how many (init)."""
    have = known_codes(conn)
    rows = [_row(p) for p in plans if p.code not in have]
    if rows:
        conn.execute(insert(t.plans), rows)
    return len(rows)


def definitions(conn: Connection) -> dict[str, dict[str, object]]:
    """Every stored plan's raw definition (its TOML keys), by code, for `plans check`."""
    rows = conn.execute(select(t.plans.c.code, t.plans.c.definition).order_by(t.plans.c.code))
    return {r.code: json.loads(r.definition) for r in rows}


def get(conn: Connection, code: str) -> Plan:
    """The plan with this code (any case); NotFound names the code."""
    key = code.strip().upper()
    row = conn.execute(select(t.plans.c.definition).where(t.plans.c.code == key)).first()
    if row is None:
        raise NotFound(f"unknown contact plan '{key}' (see 'collect plans list --all')")
    return _plan(key, row.definition)


def all_plans(conn: Connection) -> dict[str, Plan]:
    """Every plan, by code."""
    rows = conn.execute(select(t.plans.c.code, t.plans.c.definition).order_by(t.plans.c.code))
    return {r.code: _plan(r.code, r.definition) for r in rows}


def list_plans(conn: Connection) -> list[Plan]:
    """Every plan, ordered by code."""
    return list(all_plans(conn).values())


def delete_plan(conn: Connection, code: str) -> None:
    """Remove a plan; NotFound when there is none with this code."""
    key = code.strip().upper()
    if not conn.execute(delete(t.plans).where(t.plans.c.code == key)).rowcount:
        raise NotFound(f"unknown contact plan '{key}'")
