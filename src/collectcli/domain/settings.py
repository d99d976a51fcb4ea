"""Settings: Payment Posting Options, Payment Values and WIP options (SPEC 8, 10, 11).

Stored as text key/value pairs; `parse_setting` turns text into the typed value and
`Settings.from_text` builds the typed record the engine reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from collectcli.domain.errors import InputError
from collectcli.domain.money import D


def _bool(text: str) -> bool:
    low = text.strip().lower()
    if low in ("true", "yes", "on", "1"):
        return True
    if low in ("false", "no", "off", "0"):
        return False
    raise InputError(f"'{text}' is not true or false")


def _plan(text: str) -> str | None:
    code = text.strip().upper()
    if code == "":
        return None
    if not re.fullmatch(r"[A-Z0-9]{1,7}", code):
        raise InputError(f"'{text}' is not a plan code (1-7 letters or digits)")
    return code


def _money_or_none(text: str) -> Decimal | None:
    return None if text.strip() == "" else D(text)


def _days(text: str) -> int:
    if not text.strip().isdigit():
        raise InputError(f"'{text}' is not a whole number of days (0 or more)")
    return int(text)


def _txn_type(text: str) -> str:
    code = text.strip()
    if not re.fullmatch(r"[A-Za-z0-9]{1,4}", code):
        raise InputError(f"'{text}' is not a transaction type code (1-4 letters or digits)")
    return code


# key -> (parser, shipped default as text, one-line help)
SETTINGS: dict[str, tuple[Callable[[str], object], str, str]] = {
    "auto_manage_promises": (_bool, "true", "manage promises when payments are posted"),
    "promise_full_plan": (_plan, "PRF", "plan run on a full promise payment"),
    "promise_under_plan": (_plan, "PRU", "plan run on an underpayment"),
    "promise_over_plan": (_plan, "PRO", "plan run on an overpayment"),
    "promise_nsf_plan": (_plan, "PRN", "plan run on an NSF / reversal"),
    "promise_broken_plan": (_plan, "PRB", "plan run by the batch on a broken promise"),
    "default_plan": (_plan, "", "plan run after every payment"),
    "default_plan_below": (_money_or_none, "", "run default_plan only when owing is below this"),
    "under_tolerance": (D, "0.00", "a payment this much under the promise still counts as full"),
    "over_tolerance": (D, "0.00", "a payment this much over the promise still counts as full"),
    "default_payment_type": (_txn_type, "101", "transaction type of a posted payment"),
    "early_payment_skip_days": (_days, "0",
                                "payments earlier than this many days skip the promise"),
    "write_payment_date": (_bool, "true", "write the last payment date to the debtor"),
    "use_nsf_date": (_bool, "false", "a reversal's date counts as the last payment date"),
    "manage_group_promises": (_bool, "false", "manage promises across a debtor's group"),
    "promise_grace_days": (_days, "0", "days after the due date before a promise is broken"),
}


def parse_setting(key: str, text: str) -> object:
    """The typed value of a setting; an unknown key or a bad value is an InputError."""
    if key not in SETTINGS:
        raise InputError(f"unknown setting '{key}' (see 'collect settings show')")
    parser = SETTINGS[key][0]
    try:
        return parser(text)
    except InputError as exc:
        raise InputError(f"setting '{key}': {exc}") from None


def shipped_defaults() -> dict[str, str]:
    """The settings `collect init` writes, as text."""
    return {key: spec[1] for key, spec in SETTINGS.items()}


@dataclass(frozen=True, slots=True)
class Settings:
    """The typed settings the engine reads."""

    auto_manage_promises: bool = True
    promise_full_plan: str | None = "PRF"
    promise_under_plan: str | None = "PRU"
    promise_over_plan: str | None = "PRO"
    promise_nsf_plan: str | None = "PRN"
    promise_broken_plan: str | None = "PRB"
    default_plan: str | None = None
    default_plan_below: Decimal | None = None
    under_tolerance: Decimal = Decimal("0.00")
    over_tolerance: Decimal = Decimal("0.00")
    default_payment_type: str = "101"
    early_payment_skip_days: int = 0
    write_payment_date: bool = True
    use_nsf_date: bool = False
    manage_group_promises: bool = False
    promise_grace_days: int = 0

    @classmethod
    def from_text(cls, values: Mapping[str, str]) -> Settings:
        """Typed settings from stored text; keys missing take the shipped default."""
        merged = shipped_defaults() | {k: v for k, v in values.items() if k in SETTINGS}
        return cls(**{k: parse_setting(k, v) for k, v in merged.items()})  # type: ignore[arg-type]
