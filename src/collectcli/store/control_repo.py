"""Contact control rules, the contacts they count, the WIP query and recording a call."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, insert, or_, select

from collectcli.domain.control import KEYS, ControlRule, rule_from_table
from collectcli.domain.errors import NotFound
from collectcli.domain.model import Contact, Debtor
from collectcli.domain.types import CUSTOM_TYPE_MIN, ContactType
from collectcli.store import tables as t
from collectcli.store.rows import contact_from_row, db_time, debtor_from_row

_CSV_KEYS = ("attempt_results", "rpc_results")


def rule_to_row(rule: ControlRule) -> dict[str, Any]:
    """Every column of the rule (None where unset; result lists as comma-separated text)."""
    doc = rule.to_dict()
    row: dict[str, Any] = {key: doc.get(key) for key in KEYS}
    row["description"] = rule.description
    for key in _CSV_KEYS:
        row[key] = ",".join(doc[key]) if key in doc else None
    return row


def rule_from_row(row: Any) -> ControlRule:
    table = {k: v for k, v in row._mapping.items() if k != "id" and v is not None}
    return rule_from_table(table, "control_rules", row.id)


def list_rules(conn: Connection) -> list[ControlRule]:
    return [rule_from_row(r) for r in conn.execute(select(t.control_rules).order_by(
        t.control_rules.c.id))]


def add_rules(conn: Connection, rules: Sequence[ControlRule], *, replace: bool) -> dict[str, int]:
    """Insert rules; `replace` deletes every rule first. A rule identical to one already
    there is skipped, so importing the same file twice changes nothing."""
    removed = conn.execute(delete(t.control_rules)).rowcount if replace else 0
    have = set(list_rules(conn))
    new = []
    for rule in rules:
        if rule not in have:
            have.add(rule)
            new.append(rule)
    if new:
        conn.execute(insert(t.control_rules), [rule_to_row(r) for r in new])
    return {"imported": len(new), "skipped": len(rules) - len(new), "removed": removed}


def get_debtor(conn: Connection, file: int) -> Debtor:
    row = conn.execute(select(t.debtors).where(t.debtors.c.file == file)).mappings().first()
    if row is None:
        raise NotFound(f"no debtor with file number {file} (see 'collect debtor list')")
    return debtor_from_row(dict(row))


def done_history(conn: Connection, debtors: Iterable[Debtor], since: date, until: date
                 ) -> dict[int, list[Contact]]:
    """file -> the done contacts of that debtor and its group members, done in
    [since, until] (what contact control counts)."""
    debtors = list(debtors)
    groups = {d.group_key for d in debtors if d.group_key}
    members: dict[str, list[int]] = {}
    for chunk in _chunks(sorted(groups)):
        for file, key in conn.execute(select(t.debtors.c.file, t.debtors.c.group_key)
                                      .where(t.debtors.c.group_key.in_(chunk))):
            members.setdefault(key, []).append(file)
    files = {d.file for d in debtors} | {f for fs in members.values() for f in fs}
    by_file: dict[int, list[Contact]] = {}
    for chunk in _chunks(sorted(files)):
        query = select(t.contacts).where(
            t.contacts.c.file.in_(chunk), t.contacts.c.status == "done",
            t.contacts.c.done_date >= since, t.contacts.c.done_date <= until)
        for row in conn.execute(query).mappings():
            by_file.setdefault(row["file"], []).append(contact_from_row(dict(row)))
    out: dict[int, list[Contact]] = {}
    for d in debtors:
        group = members.get(d.group_key, [d.file]) if d.group_key else [d.file]
        out[d.file] = [c for f in group for c in by_file.get(f, [])]
    return out


def _chunks(values: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def wip_candidates(conn: Connection, operator: str, types: Iterable[int], custom_types: bool,
                   until: date) -> list[tuple[Contact, Debtor]]:
    """The operator's pending contacts of those types (custom ≥ 50 when asked) due by
    `until` or undated, each with its debtor."""
    kinds: list[ColumnElement[bool]] = [t.contacts.c.type.in_(sorted(types))]
    if custom_types:
        kinds.append(t.contacts.c.type >= CUSTOM_TYPE_MIN)
    query = (
        select(t.contacts, *[c.label(f"d_{c.name}") for c in t.debtors.c])
        .join(t.debtors, t.debtors.c.file == t.contacts.c.file)
        .where(t.PENDING_CONTACT, t.contacts.c.collector == operator, or_(*kinds),
               or_(t.contacts.c.due_date.is_(None), t.contacts.c.due_date <= until))
    )
    debtors: dict[int, Debtor] = {}
    out = []
    for row in conn.execute(query).mappings():
        file = row["file"]
        if file not in debtors:
            debtors[file] = debtor_from_row({c.name: row[f"d_{c.name}"] for c in t.debtors.c})
        out.append((contact_from_row(dict(row)), debtors[file]))
    return out


def record_call(conn: Connection, file: int, result: str, description: str, operator: str,
                now: datetime) -> int:
    """Insert a done Phone contact with its call result, done by the operator at `now`."""
    day, clock = now.date(), db_time(now.time().replace(microsecond=0))
    row = {"file": file, "type": int(ContactType.PHONE), "description": description,
           "due_date": day, "due_time": clock, "priority": 50, "collector": operator,
           "status": "done", "done_date": day, "done_time": clock, "done_by": operator,
           "originator": operator, "created_date": day, "created_time": clock,
           "call_result": result}
    key = conn.execute(insert(t.contacts).values(**row)).inserted_primary_key
    assert key is not None
    return int(key[0])


def has_rules(conn: Connection) -> bool:
    return conn.execute(select(t.control_rules.c.id).limit(1)).first() is not None

