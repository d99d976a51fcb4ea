"""Reading a plan's TOML keys into a Plan, naming file, event index and key of every problem."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from collectcli.domain.errors import CollectError, InputError, PlanFileError
from collectcli.domain.fields import resolve_field
from collectcli.domain.model import Condition, Event, Plan
from collectcli.domain.money import D
from collectcli.domain.types import Assign, ContactType, Repeat, parse_contact_type, type_label

PLAN_FLAGS = ("prompt_start_date", "delete_pending", "prompt_before_deleting", "skip_closed",
              "allow_all_users_to_delete", "sub_plan")
PLAN_KEYS = ("code", "description", *PLAN_FLAGS, "access", "events")
SCHEDULE_KEYS = ("immediately", "delay_days", "day_of_month", "next_month_same_day",
                 "delay_minutes")
EVENT_FLAGS = ("copy_on_repeat", "log_repeat_to_notes", "no_autocomplete",
               "no_autocomplete_promise", "no_autodelete", "mark_done", "delete_same_type",
               "same_description_only", "advance_overpayments")
EVENT_KEYS = ("type", "description", *SCHEDULE_KEYS, "assign", "operator", "priority",
              "sequence", "repeat", "repeat_days", "max_intervals", *EVENT_FLAGS,
              "record_history", "amount", "percent_of_owing", "class", "schedule_if")
CONDITION_KEYS = ("field", "op", "value", "value2")
CONDITION_OPS = ("=", ">", "<", "<>", "..", ">=", "<=")
REPEAT_ONLY = ("max_intervals", "copy_on_repeat", "log_repeat_to_notes")
NEEDS_DESCRIPTION = frozenset({ContactType.PLAN, ContactType.LETTER, ContactType.EMAIL,
                               ContactType.TEXT})
_CODE_RE = re.compile(r"^[A-Za-z0-9]{1,7}$")
_HMM_RE = re.compile(r"^(\d+):([0-5]\d)$")
_CUSTOM_RE = re.compile(r"^custom\s*(\d+)$", re.IGNORECASE)


@dataclass
class Reader:
    """Reads one plan's data, collecting every problem instead of stopping at the first."""

    source: str
    problems: list[PlanFileError]
    event: int | None = None

    def fail(self, key: str | None, message: str) -> None:
        self.problems.append(PlanFileError(self.source, message, self.event, key))

    def unknown_keys(self, data: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
        for key in data:
            if key not in known:
                near = difflib.get_close_matches(key, known, n=1)
                hint = f" (did you mean '{near[0]}'?)" if near else ""
                self.fail(key, f"unknown {where} key{hint}; known keys: {', '.join(known)}")

    def boolean(self, data: Mapping[str, Any], key: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, not {value!r}")
            return False
        return value

    def integer(self, data: Mapping[str, Any], key: str, lo: int, hi: int | None) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(key, f"must be a whole number, not {value!r}")
            return None
        if value < lo or (hi is not None and value > hi):
            span = f"{lo}-{hi}" if hi is not None else f"{lo} or more"
            self.fail(key, f"must be {span}, not {value}")
            return None
        return value

    def text(self, data: Mapping[str, Any], key: str, default: str | None = None) -> str | None:
        value = data.get(key, default)
        if value is None or isinstance(value, str):
            return value
        self.fail(key, f"must be a quoted string, not {value!r}")
        return default

    def amount(self, data: Mapping[str, Any], key: str) -> Decimal | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, float):
            self.fail(key, f"money must be a quoted string like \"{value}\" or an integer, "
                           "never a float")
            return None
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            self.fail(key, f"must be an amount like \"150.00\", not {value!r}")
            return None
        try:
            return D(value)
        except CollectError as exc:
            self.fail(key, str(exc))
            return None


def _contact_type(rd: Reader, value: Any) -> int | None:
    if value is None:
        rd.fail("type", "is missing (e.g. type = \"Letter\")")
        return None
    if isinstance(value, str) and (m := _CUSTOM_RE.match(value.strip())):
        value = int(m.group(1))
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        rd.fail("type", f"must be a contact type name like \"Review\", not {value!r}")
        return None
    try:
        return parse_contact_type(value)
    except CollectError as exc:
        rd.fail("type", str(exc))
        return None


def _minutes(rd: Reader, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and (m := _HMM_RE.match(value.strip())):
        return int(m.group(1)) * 60 + int(m.group(2))
    rd.fail("delay_minutes", f"must be minutes (40) or \"H:MM\" (\"1:30\"), not {value!r}")
    return None


def _condition(rd: Reader, value: Any) -> Condition | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        rd.fail("schedule_if",
                "must be a table like { field = \"owing\", op = \">\", value = \"0\" }")
        return None
    rd.unknown_keys(value, CONDITION_KEYS, "schedule_if")
    parts: dict[str, str | None] = {}
    for key in CONDITION_KEYS:
        raw = value.get(key)
        if isinstance(raw, float):
            rd.fail("schedule_if", f"'{key}' must be a quoted string, not the float {raw!r}")
            return None
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = str(raw)
        if raw is not None and not isinstance(raw, str):
            rd.fail("schedule_if", f"'{key}' must be a quoted string, not {raw!r}")
            return None
        parts[key] = raw
    field, op, val, val2 = (parts[k] for k in CONDITION_KEYS)
    if not field or op is None or val is None:
        missing = [k for k in ("field", "op", "value") if not parts[k]]
        rd.fail("schedule_if", f"needs {', '.join(missing)}")
        return None
    if op not in CONDITION_OPS:
        rd.fail("schedule_if", f"op '{op}' is not one of {' '.join(CONDITION_OPS)}")
        return None
    if op == ".." and val2 is None:
        rd.fail("schedule_if", "op '..' (within a range) needs value2, the top of the range")
        return None
    if op != ".." and val2 is not None:
        rd.fail("schedule_if", f"value2 is used only with op '..', not '{op}'")
        return None
    try:
        resolve_field(field)
    except InputError as exc:
        rd.fail("schedule_if", f"field: {exc}")
        return None
    return Condition(field.strip().lower(), op, val, val2)


def _is_set(value: Any) -> bool:
    """A key counts as given unless it is absent or false (0 is a value: delay_days = 0)."""
    return value is not None and value is not False


def _event(rd: Reader, data: Any) -> Event | None:
    if not isinstance(data, dict):
        rd.fail(None, "must be a table ([[events]])")
        return None
    before = len(rd.problems)
    rd.unknown_keys(data, EVENT_KEYS, "event")
    ctype = _contact_type(rd, data.get("type"))
    description = rd.text(data, "description", "") or ""
    immediately = rd.boolean(data, "immediately")
    next_month = rd.boolean(data, "next_month_same_day")
    delay_days = rd.integer(data, "delay_days", 0, None)
    day_of_month = rd.integer(data, "day_of_month", 1, 31)
    minutes = _minutes(rd, data.get("delay_minutes"))
    given = [k for k in SCHEDULE_KEYS if _is_set(data.get(k))]
    if not given:
        rd.fail("schedule", f"the event has no schedule: set one of {', '.join(SCHEDULE_KEYS)}")
    elif len(given) > 1 and set(given) != {"delay_days", "delay_minutes"}:
        rd.fail(given[1], f"two schedules ({' and '.join(given)}): keep one "
                          "(delay_minutes may accompany delay_days only)")
    assign_text = rd.text(data, "assign", "account") or "account"
    assign = Assign.ACCOUNT
    try:
        assign = Assign(assign_text.strip().lower())
    except ValueError:
        rd.fail("assign", f"'{assign_text}' is not one of account, current, specific")
    operator = rd.text(data, "operator")
    if assign is Assign.SPECIFIC and not operator:
        rd.fail("operator", "assign = \"specific\" needs operator = \"ID\"")
    if operator and assign is not Assign.SPECIFIC:
        rd.fail("operator", "operator is used only with assign = \"specific\"")
    repeat_text = rd.text(data, "repeat")
    repeat: Repeat | None = None
    if repeat_text is not None and repeat_text.strip().lower() not in ("", "none"):
        try:
            repeat = Repeat(repeat_text.strip().lower())
        except ValueError:
            rd.fail("repeat", f"'{repeat_text}' is not one of {', '.join(r.value for r in Repeat)}")
    repeat_days = rd.integer(data, "repeat_days", 1, None)
    if repeat is Repeat.CUSTOM and repeat_days is None and "repeat_days" not in data:
        rd.fail("repeat_days", "repeat = \"custom\" needs repeat_days (the interval in days)")
    if repeat_days is not None and repeat is not Repeat.CUSTOM:
        rd.fail("repeat_days", "repeat_days is used only with repeat = \"custom\"")
    flags = {k: rd.boolean(data, k) for k in EVENT_FLAGS}
    max_intervals = rd.integer(data, "max_intervals", 1, None)
    for key in REPEAT_ONLY:
        if repeat is None and _is_set(data.get(key)):
            rd.fail(key, f"{key} is used only with a repeat")
    if flags["same_description_only"] and not flags["delete_same_type"]:
        rd.fail("same_description_only", "works only with delete_same_type = true")
    record_history: bool | None = None
    if "record_history" in data:
        record_history = rd.boolean(data, "record_history")
    amount = rd.amount(data, "amount")
    percent = rd.amount(data, "percent_of_owing")
    if percent is not None and not Decimal(0) < percent <= Decimal(100):
        rd.fail("percent_of_owing", f"must be more than 0 and at most 100, not {percent}")
    if percent is not None and ctype is not None and ctype != ContactType.PROMISE:
        rd.fail("percent_of_owing", "is used only on a Promise event")
    if percent is not None and amount is not None:
        rd.fail("percent_of_owing", "give amount or percent_of_owing, not both")
    if ctype in NEEDS_DESCRIPTION and not description.strip():
        what = "the plan code to run" if ctype == ContactType.PLAN else "the letter template"
        rd.fail("description", f"a {type_label(ctype)} event needs {what} in description")
    if ctype == ContactType.PLAN:
        description = description.strip().upper()
    condition = _condition(rd, data.get("schedule_if"))
    priority = rd.integer(data, "priority", 1, 99)
    sequence = rd.integer(data, "sequence", 0, None)
    klass = rd.text(data, "class")
    if ctype is None or len(rd.problems) > before:
        return None
    return Event(
        type=ctype, description=description, immediately=immediately, delay_days=delay_days,
        day_of_month=day_of_month, next_month_same_day=next_month, delay_minutes=minutes,
        assign=assign, operator=operator, priority=priority,
        sequence=sequence, repeat=repeat, repeat_days=repeat_days,
        max_intervals=max_intervals, record_history=record_history, amount=amount,
        percent_of_owing=percent, klass=klass, schedule_if=condition, **flags,
    )


def _access(rd: Reader, value: Any) -> tuple[tuple[int, int], ...]:
    if value is None:
        return ()
    usage = "access must be up to 3 user-level ranges like [[1, 50], [90, 99]] (levels 1-99)"
    if not isinstance(value, list) or len(value) > 3:
        rd.fail("access", usage)
        return ()
    ranges: list[tuple[int, int]] = []
    for item in value:
        ok = (isinstance(item, list) and len(item) == 2
              and all(isinstance(v, int) and not isinstance(v, bool) for v in item))
        if not ok or not 1 <= item[0] <= item[1] <= 99:
            rd.fail("access", f"bad range {item!r}: {usage}")
            return ()
        ranges.append((item[0], item[1]))
    return tuple(ranges)


def read_plan(rd: Reader, data: Mapping[str, Any]) -> Plan | None:
    before = len(rd.problems)
    rd.unknown_keys(data, PLAN_KEYS, "plan")
    code = data.get("code")
    if not isinstance(code, str) or not _CODE_RE.match(code):
        rd.fail("code", f"must be 1-7 letters or digits (like \"PRB\"), not {code!r}")
    description = rd.text(data, "description", "") or ""
    flags = {k: rd.boolean(data, k) for k in PLAN_FLAGS}
    access = _access(rd, data.get("access"))
    raw_events = data.get("events", [])
    events: list[Event] = []
    if not isinstance(raw_events, list):
        rd.fail("events", "must be a list of [[events]] tables")
        raw_events = []
    for index, raw in enumerate(raw_events, start=1):
        rd.event = index
        event = _event(rd, raw)
        if event is not None:
            events.append(event)
    rd.event = None
    if len(rd.problems) > before or not isinstance(code, str):
        return None
    return Plan(code=code.upper(), description=description, access=access,
                events=tuple(events), **flags)


def check_references(rd: Reader, plan: Plan, known: Set[str]) -> None:
    """A Plan event must name a plan that exists (SPEC 3)."""
    for index, event in enumerate(plan.events, start=1):
        if event.type == ContactType.PLAN and event.description not in known | {plan.code}:
            rd.event = index
            rd.fail("description", f"Plan event names plan '{event.description}', which does "
                                   "not exist (import it too, or fix the code)")
    rd.event = None


