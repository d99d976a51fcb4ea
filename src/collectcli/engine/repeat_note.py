"""The note line a repeating contact writes when it is forwarded (seed 002, Log Repeat To Notes).

Seed 002: 'The note is in the following format:
[Type] type contact [Description], due [Date] processed by [Op ID]'.
Shared by the batch (automatic contacts, letters) and payment posting (promises).
"""

from __future__ import annotations

from datetime import date

from collectcli.domain.types import type_label


def repeat_note(type_code: int, description: str, due: date, operator: str | None) -> str:
    """E.g. 'Note type contact Monthly reminder, due 2026-03-10 processed by ADMIN'.

    The type is the canonical label (SPEC 6), the date ISO, the description as written.
    """
    return (f"{type_label(type_code)} type contact {description}, "
            f"due {due.isoformat()} processed by {operator or ''}")
