"""Ready contact control rule sets (SPEC 9): `collect controls preset NAME`."""

from __future__ import annotations

from collections.abc import Iterable

from collectcli.domain.control import ATTEMPT_RESULTS, RPC_RESULTS


def _toml_list(codes: Iterable[str]) -> str:
    return "[" + ", ".join(f'"{c}"' for c in codes) + "]"


REGF_VALIDATION_LETTER = "Letter1"
"""The demonstration plans' first letter, the validation notice in the preset."""

REGF_PRESET = f"""\
# US Regulation F (12 CFR part 1006) preset for `collect controls preset regf`.
# Not legal advice: check the rules that apply to you (state law can be stricter; add a
# [[control]] with `state = "XX"` for each state rule: a state rule and this national one
# both apply).

[[control]]
type = "Phone"
description = "Reg F 1006.14(b)(2), 1006.6(b)(1)(i): 7 calls/7 days, 7-day RPC hold, 08-21h"
max_total = 7            # at most 7 calls within 7 consecutive days
period = "week"          # the 7 consecutive days ending on the day checked
hold_days = 7            # none for 7 days after a conversation (its day is day 1)
call_from = "08:00"      # the debtor's local time, inclusive
call_to = "21:00"
rpc_results = {_toml_list(RPC_RESULTS)}
attempt_results = {_toml_list(ATTEMPT_RESULTS)}

[[control]]
type = "Letter"
description = "Reg F 1006.34: validation period 5 business + 30 calendar days after the notice"
max_total = 99           # Regulation F sets no letter limit; seed 003 requires a maximum
period = "month"
validation_letter = "{REGF_VALIDATION_LETTER}"
validation_business_days = 5
validation_calendar_days = 30
"""
"""The Regulation F rule set as a contact control file (SPEC 9)."""
