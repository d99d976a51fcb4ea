"""What a posted payment did, and who posted it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collectcli.engine.context import RunContext


@dataclass(frozen=True, slots=True)
class PaymentOutcome:
    """What one posted payment did: its transaction (temporary id), the promise it met
    (the live promise after it, or None), the outcome and that promise's due date and
    amount after the payment."""

    transaction: int
    outcome: str
    promise: int | None = None
    due_date: date | None = None
    amount: Decimal | None = None
    holder: int | None = None
    reversed: int | None = None
    completed: bool = False


def operator_id(ctx: RunContext) -> str:
    """The id of the operator posting (Done By, Originator, the note lines)."""
    return ctx.operator.id
