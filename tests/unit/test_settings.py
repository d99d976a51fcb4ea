"""Settings keys and values (SPEC 11)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from collectcli.domain.errors import InputError
from collectcli.domain.settings import SETTINGS, Settings, parse_setting, shipped_defaults


def test_shipped_settings_name_the_promise_plans() -> None:
    """SPEC 8: 'Shipped settings name the plans PRF, PRU, PRO, PRN, PRB.'"""
    s = Settings.from_text(shipped_defaults())
    assert (s.promise_full_plan, s.promise_under_plan, s.promise_over_plan,
            s.promise_nsf_plan, s.promise_broken_plan) == ("PRF", "PRU", "PRO", "PRN", "PRB")
    assert s.auto_manage_promises is True
    assert s.default_payment_type == "101"


def test_every_spec_setting_key_exists() -> None:
    keys = {"auto_manage_promises", "promise_full_plan", "promise_under_plan",
            "promise_over_plan", "promise_nsf_plan", "promise_broken_plan", "default_plan",
            "default_plan_below", "under_tolerance", "over_tolerance", "default_payment_type",
            "early_payment_skip_days", "write_payment_date", "use_nsf_date",
            "manage_group_promises", "promise_grace_days"}
    assert keys <= set(SETTINGS)


def test_an_empty_value_clears_a_plan_setting() -> None:
    assert parse_setting("default_plan", "") is None


def test_bad_values_and_unknown_keys_are_errors() -> None:
    with pytest.raises(InputError, match="unknown setting"):
        parse_setting("colour", "red")
    with pytest.raises(InputError, match="under_tolerance"):
        parse_setting("under_tolerance", "1.234")
    with pytest.raises(InputError):
        parse_setting("write_payment_date", "maybe")
    assert parse_setting("over_tolerance", "5") == Decimal("5.00")
