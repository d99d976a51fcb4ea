"""The Contact form's fields (seed 004; SPEC 2, 11) checked and turned into a Contact.

Every check names the option at fault. The rules: a known type; an ISO due date; a time
as HH:MM[:SS]; priority 1–99; money with at most two decimals; Repeat fields only with a
repeat (seed 002: 'This field is visible only when there is a value in the Repeat
field'); a custom repeat needs its number of days; a Plan, Transaction or Edit contact's
description must name a plan, a transaction type or known debtor fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from collectcli.cli.context import parse_day
from collectcli.domain.errors import InputError
from collectcli.domain.model import Contact, Debtor, Plan, TransactionType
from collectcli.domain.money import D
from collectcli.domain.types import ContactType, Repeat, Status, parse_contact_type, parse_repeat
from collectcli.engine.actions import parse_edit


@dataclass(frozen=True)
class ContactForm:
    """The options of `contact add` as typed."""

    type: str
    due: str
    time: str | None = None
    description: str = ""
    priority: int = 50
    collector: str | None = None
    amount: str | None = None
    promised: str | None = None
    repeat: str | None = None
    repeat_days: int | None = None
    max_intervals: int | None = None
    copy_on_repeat: bool = False
    log_repeat_to_notes: bool = False
    advance_overpayments: bool = False
    no_autodelete: bool = False
    no_autocomplete: bool = False
    no_autocomplete_promise: bool = False
    klass: str | None = None


def _time(text: str | None) -> time | None:
    if text is None or not text.strip():
        return None
    try:
        value = time.fromisoformat(text.strip())
    except ValueError:
        value = None
    if value is None or value.tzinfo is not None or len(text.strip()) not in (5, 8):
        raise InputError(f"--time '{text}' is not a time of day (write HH:MM, 24-hour clock)")
    return value


def _money(text: str | None, option: str) -> Decimal | None:
    if text is None:
        return None
    try:
        return D(text)
    except InputError as exc:
        raise InputError(f"{option}: {exc}") from None


def _repeat(f: ContactForm) -> Repeat | None:
    repeat = parse_repeat(f.repeat)
    if repeat is None:
        for flag, given in (("--repeat-days", f.repeat_days is not None),
                            ("--max-intervals", f.max_intervals is not None),
                            ("--copy-on-repeat", f.copy_on_repeat),
                            ("--log-repeat-to-notes", f.log_repeat_to_notes)):
            if given:
                raise InputError(f"{flag} needs --repeat (it only applies to a repeating "
                                 "contact)")
        return None
    if repeat is Repeat.CUSTOM:
        if f.repeat_days is None or f.repeat_days < 1:
            raise InputError("--repeat custom needs --repeat-days N (1 or more)")
    elif f.repeat_days is not None:
        raise InputError("--repeat-days applies only to --repeat custom")
    if f.max_intervals is not None and f.max_intervals < 1:
        raise InputError("--max-intervals must be 1 or more")
    return repeat


def _check_description(code: int, text: str, plans: Mapping[str, Plan],
                       types: Mapping[str, TransactionType]) -> None:
    if code == ContactType.PLAN and text.strip().upper() not in plans:
        raise InputError(f"--description '{text}': a Plan contact names a known plan code")
    if code == ContactType.TRANSACTION and (text.split() or [""])[0] not in types:
        raise InputError(f"--description '{text}': a Transaction contact names a known "
                         "transaction type code (e.g. 301)")
    if code == ContactType.EDIT:
        try:
            parse_edit(text)
        except InputError as exc:
            raise InputError(f"--description: {exc}") from None


def build_contact(f: ContactForm, debtor: Debtor, now: datetime, operator: str,
                  plans: Mapping[str, Plan], types: Mapping[str, TransactionType]) -> Contact:
    """A new pending contact (id 0) from the form, or InputError naming the option."""
    code = parse_contact_type(f.type)
    due = parse_day(f.due, "--due")
    assert due is not None  # --due is a required option
    if not 1 <= f.priority <= 99:
        raise InputError(f"--priority {f.priority} is not between 1 and 99")
    for option, value, size in (("--collector", f.collector, 16), ("--class", f.klass, 32)):
        if value is not None and len(value) > size:
            raise InputError(f"{option} '{value}' is longer than {size} characters")
    _check_description(code, f.description, plans, types)
    amount = _money(f.amount, "--amount")
    promised = _money(f.promised, "--promised")
    values: dict[str, Any] = {
        "description": f.description, "due_date": due, "due_time": _time(f.time),
        "priority": f.priority, "collector": f.collector or debtor.operator or operator,
        "amount": amount, "promised": amount if promised is None else promised,
        "repeat": _repeat(f), "repeat_days": f.repeat_days, "max_intervals": f.max_intervals,
        "anchor_date": due, "copy_on_repeat": f.copy_on_repeat,
        "log_repeat_to_notes": f.log_repeat_to_notes,
        "advance_overpayments": f.advance_overpayments, "no_autodelete": f.no_autodelete,
        "no_autocomplete": f.no_autocomplete,
        "no_autocomplete_promise": f.no_autocomplete_promise, "klass": f.klass,
    }
    return Contact(0, debtor.file, code, status=Status.PENDING, originator=operator,
                   assigned_by=operator, created_date=now.date(),
                   created_time=now.time().replace(microsecond=0), **values)
