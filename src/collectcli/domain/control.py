"""Contact control rules (SPEC 9, seed 003): the record, the call results, the TOML format.

A rule file holds one `[[control]]` table per rule. Errors name the file, the control's
1-based index and the key, like plan files do. Nothing here reads the clock or a database.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from collectcli.domain.errors import InputError
from collectcli.domain.types import ContactType

CONTROL_TYPES: dict[str, int] = {
    "Letter": ContactType.LETTER,
    "Phone": ContactType.PHONE,
    "Email": ContactType.EMAIL,
    "Text": ContactType.TEXT,
}
"""Rule types (seed 003: 'The options are Letter, Phone, Email, and Text') and their codes."""

PERIODS = ("week", "month")

CALL_RESULTS: dict[str, str] = {
    "0": "None specified",
    "1": "Left Message on Machine",
    "2": "Left message with person",
    "3": "Debtor not in - call back. No message.",
    "4": "Spoke to debtor. Verified right party.",
    "5": "Wrong number / debtor unknown.",
    "6": "NIS",
    "101": "Manual dial: right party contact",
    "102": "Manual dial: pick up, hung up",
    "103": "Manual dial: debtor in, unavailable",
    "104": "Manual dial: debtor not in, call back",
    "105": "Manual dial: machine answer, left msg",
    "106": "Manual dial: machine answer, no message",
    "107": "Manual dial: left message with person",
    "108": "Manual dial: no answer",
    "109": "Manual dial: busy",
    "110": "Manual dial: call did not go through",
    "111": "Manual dial: wrong number/debtor unknown",
    "112": "Manual dial: not in service",
    "113": "Dialer: transfer to operator",
    "114": "Dialer: unknown call result",
    "115": "Dialer: transfer-operator, wrong number",
    "116": "Dialer: answered, hung up",
    "117": "Dialer: answered, system terminated",
    "118": "Dialer: answered, voice mail",
    "119": "Dialer: no answer",
    "120": "Dialer: busy, no machine",
    "121": "Dialer: machine, delivered",
    "122": "Dialer: machine, not delivered",
    "123": "Dialer: fax machine detected",
    "124": "Dialer: cancelled, incomplete number",
    "125": "Dialer: cancelled, compliance reasons",
    "126": "Dialer: cancelled, do not call",
    "127": "Dialer: call failed, technical reasons",
    "128": "Dialer: cancelled broadcast or blank num",
}
"""Seed 003, 'Default Call Results On Contact Form': code -> text."""

RPC_RESULTS = ("4", "101")
"""The default results that are right-party contacts (a conversation with the debtor)."""

ATTEMPT_RESULTS = tuple(
    code for code in CALL_RESULTS
    if code not in RPC_RESULTS and code not in {"0", "124", "125", "126", "128"}
)
"""Default attempts: every call actually placed. Left out: 0 (nothing recorded) and the
dialer cancellations 124, 125, 126, 128, where no call was placed."""

_PHONE_KEYS = {"hold_days", "attempt_results", "rpc_results", "call_from", "call_to"}
_LETTER_KEYS = {"validation_letter", "validation_business_days", "validation_calendar_days"}
_TEXT_KEYS = {"sms_reauth_days"}
_COMMON_KEYS = {"type", "description", "state", "country", "max_total", "period",
                "apply_to_group"}
KEYS = (
    "type", "description", "state", "country", "max_total", "period", "apply_to_group",
    "hold_days", "attempt_results", "rpc_results", "call_from", "call_to",
    "validation_letter", "validation_business_days", "validation_calendar_days",
    "sms_reauth_days",
)  # fmt: skip
"""Every key of a `[[control]]` table, in file order."""


class ControlFileError(InputError):
    """A contact control file is invalid; the message names the file, control and key."""

    def __init__(self, file: str, message: str, index: int | None = None,
                 key: str | None = None):
        where = file
        if index is not None:
            where += f", control {index}"
        if key is not None:
            where += f", key '{key}'"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class ControlRule:
    """One Contact Control record (seed 003). `max_total` is required on every rule."""

    type: str
    max_total: int
    description: str = ""
    state: str | None = None
    country: str | None = None
    period: str = "week"
    apply_to_group: bool = False
    hold_days: int | None = None
    attempt_results: frozenset[str] = frozenset()
    rpc_results: frozenset[str] = frozenset()
    call_from: time | None = None
    call_to: time | None = None
    validation_letter: str | None = None
    validation_business_days: int | None = None
    validation_calendar_days: int | None = None
    sms_reauth_days: int | None = None

    @property
    def type_code(self) -> int:
        return CONTROL_TYPES[self.type]

    def to_dict(self) -> dict[str, Any]:
        """The rule as its TOML keys (unset keys left out; result lists sorted)."""
        out: dict[str, Any] = {}
        for key in KEYS:
            value = getattr(self, key)
            if isinstance(value, frozenset):
                value = sorted(value, key=_code_order) if value else None
            elif isinstance(value, time):
                value = value.strftime("%H:%M")
            if value is not None and not (key == "description" and value == ""):
                out[key] = value
        return out


def _code_order(code: str) -> tuple[int, int | str]:
    return (0, int(code)) if code.isdigit() else (1, code)


def parse_hhmm(text: str) -> time:
    """'HH:MM' (24-hour) as a time; anything else is an InputError."""
    parts = text.strip().split(":")
    if len(parts) == 2 and all(p.isdigit() and len(p) == 2 for p in parts):
        hour, minute = int(parts[0]), int(parts[1])
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise InputError(f"'{text}' is not a time (write HH:MM, 24-hour, e.g. 08:00)")


def parse_controls(text: str, file: str) -> list[ControlRule]:
    """Every `[[control]]` table of a rule file; the first error raises ControlFileError."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ControlFileError(file, f"TOML syntax error: {exc}") from None
    extra = sorted(set(doc) - {"control"})
    if extra:
        raise ControlFileError(file, f"unknown top-level key '{extra[0]}' (write each rule "
                               "as a [[control]] table)")
    tables = doc.get("control", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ControlFileError(file, "'control' must be [[control]] tables")
    return [rule_from_table(table, file, i) for i, table in enumerate(tables, start=1)]


def rule_from_table(table: Mapping[str, Any], file: str, index: int) -> ControlRule:
    """One rule from its TOML keys (also used for rules read back from the database)."""

    def fail(key: str | None, message: str) -> ControlFileError:
        return ControlFileError(file, message, index, key)

    unknown = [k for k in table if k not in KEYS]
    if unknown:
        raise fail(unknown[0], f"unknown key (known keys: {', '.join(KEYS)})")
    kind = table.get("type")
    if kind is None:
        raise fail("type", "required: one of Letter, Phone, Email, Text")
    match = {k.lower(): k for k in CONTROL_TYPES}.get(str(kind).strip().lower())
    if match is None:
        raise fail("type", f"'{kind}' is not a control type (Letter, Phone, Email or Text)")
    allowed = _COMMON_KEYS | {"Phone": _PHONE_KEYS, "Text": _LETTER_KEYS | _TEXT_KEYS}.get(
        match, _LETTER_KEYS)
    for key in table:
        if key not in allowed:
            raise fail(key, f"does not apply to a {match} rule (seed 003: "
                       f"{_owner(key)} rules only)")
    if "max_total" not in table:
        raise fail("max_total", "required on every rule (seed 003: 'MAX TOTAL CONTACTS ... "
                   "is a required field and must be filled in on all Contact Controls')")
    period = str(table.get("period", "week")).strip().lower()
    if period not in PERIODS:
        raise fail("period", f"'{table['period']}' is not a period (week or month)")
    times = {k: _time(table, k, fail) for k in ("call_from", "call_to")}
    if (times["call_from"] is None) != (times["call_to"] is None):
        raise fail("call_to" if times["call_to"] is None else "call_from",
                   "call_from and call_to go together")
    if times["call_from"] and times["call_to"] and times["call_from"] > times["call_to"]:
        raise fail("call_to", "call_to is earlier than call_from")
    rule = ControlRule(
        type=match,
        max_total=_count(table, "max_total", fail) or 0,
        description=_text(table, "description", fail) or "",
        state=_text(table, "state", fail),
        country=_text(table, "country", fail),
        period=period,
        apply_to_group=_flag(table, "apply_to_group", fail),
        hold_days=_count(table, "hold_days", fail),
        attempt_results=_codes(table, "attempt_results", fail),
        rpc_results=_codes(table, "rpc_results", fail),
        call_from=times["call_from"],
        call_to=times["call_to"],
        validation_letter=_text(table, "validation_letter", fail),
        validation_business_days=_count(table, "validation_business_days", fail),
        validation_calendar_days=_count(table, "validation_calendar_days", fail),
        sms_reauth_days=_count(table, "sms_reauth_days", fail),
    )
    both = rule.attempt_results & rule.rpc_results
    if both:
        raise fail("rpc_results", f"result {sorted(both)[0]} is also in attempt_results")
    return rule


def _owner(key: str) -> str:
    if key in _PHONE_KEYS:
        return "Phone"
    return "Text" if key in _TEXT_KEYS else "Letter, Email and Text"


Fail = Any  # the local `fail(key, message)` of rule_from_table


def _text(table: Mapping[str, Any], key: str, fail: Fail) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise fail(key, "must be a string")
    return value.strip() or None


def _count(table: Mapping[str, Any], key: str, fail: Fail) -> int | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise fail(key, f"{value!r} is not a whole number (0 or more)")
    return value


def _flag(table: Mapping[str, Any], key: str, fail: Fail) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise fail(key, "must be true or false")
    return value


def _time(table: Mapping[str, Any], key: str, fail: Fail) -> time | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    try:
        return parse_hhmm(str(value))
    except InputError as exc:
        raise fail(key, str(exc)) from None


def _codes(table: Mapping[str, Any], key: str, fail: Fail) -> frozenset[str]:
    """Call result codes: a list (of numbers or strings) or a comma-separated string."""
    value = table.get(key)
    if value is None:
        return frozenset()
    items: Iterable[Any] = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) and not isinstance(value, str):
        raise fail(key, "must be a list of call result codes, e.g. [4, 101]")
    codes = []
    for item in items:
        code = str(item).strip()
        if isinstance(item, bool) or not code or not code.isalnum():
            raise fail(key, f"{item!r} is not a call result code (seed 003 list, e.g. 4, 101)")
        codes.append(code)
    return frozenset(codes)
