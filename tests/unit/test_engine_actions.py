"""What executing an automatic contact does (SPEC 6; seed 004, Types Of Contacts)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from collectcli.domain.errors import InputError
from collectcli.domain.model import Contact, Debtor, Event, Operator, Plan, TransactionType
from collectcli.domain.settings import Settings
from collectcli.domain.types import ContactType as T
from collectcli.domain.types import Mode, Repeat, Status
from collectcli.engine.actions import execute
from collectcli.engine.context import RunContext
from collectcli.engine.workspace import Workspace

NOW = datetime(2026, 3, 10, 10, 0)
TYPES = {
    "101": TransactionType("101", "Payment", "payment"),
    "196": TransactionType("196", "Original Principal", "principal"),
    "301": TransactionType("301", "Fee", "fee", default_amount=Decimal("25.00")),
    "401": TransactionType("401", "Interest", "interest"),
    "501": TransactionType("501", "Adjustment", "adjustment"),
}


def context(**plans: Plan) -> RunContext:
    return RunContext(NOW, Operator("ADMIN", level=99, can_delete_contacts=True), Settings(),
                      plans, TYPES)


def workspace(contacts: list[Contact] | None = None, **debtor: Any) -> Workspace:
    base: dict[str, Any] = {"file": 1, "name": "Sam", "operator": "JS",
                            "principal": Decimal("100.00")}
    return Workspace([(Debtor(**(base | debtor)), contacts or [])])


def contact(type_: int, description: str = "", cid: int = 900, **kw: Any) -> Contact:
    return Contact(cid, 1, int(type_), description, due_date=date(2026, 3, 10), **kw)


def run(ws: Workspace, c: Contact, ctx: RunContext | None = None) -> Debtor:
    execute(ws, c, ctx or context())
    return ws.accounts[1].debtor


def test_activate_sets_mode_active_and_clears_the_closed_date() -> None:
    """Seed 004: "the Mode field on the Debtor's account is set to ACTIVE and the Closed
    Date field is hidden. This will process all accounts regardless of the current setting
    of the Mode"."""
    ws = workspace(mode=Mode.CLOSED, closed_date=date(2026, 1, 1))
    d = run(ws, contact(T.ACTIVATE))
    assert (d.mode, d.closed_date) == (Mode.ACTIVE, None)
    assert run(ws, contact(T.ACTIVATE)).mode is Mode.ACTIVE


def test_close_deletes_pending_contacts_but_completes_promises_and_transactions() -> None:
    """Seed 004: "any pending and incomplete contacts are deleted ... Any contacts with the
    switch 'Do not autodelete' are NOT deleted. In progress Promises and Transactions are
    marked 'Completed'. The Closed Date field appears displaying the current date." """
    kept = [
        contact(T.REVIEW, "keep", 1, no_autodelete=True),
        contact(T.METRO, "bureau", 2),
        contact(T.PHONE, "old call", 3, status=Status.DONE),
    ]
    done = [contact(T.PROMISE, "p", 4, no_autodelete=True), contact(T.TRANSACTION, "301", 5)]
    gone = [contact(T.REVIEW, "r", 6), contact(T.LETTER, "L1", 7)]
    ws = workspace(kept + done + gone)
    close = contact(T.CLOSE, "", 8)
    ws.accounts[1].contacts[8] = close
    d = run(ws, close)
    acc = ws.accounts[1]
    assert (d.mode, d.closed_date) == (Mode.CLOSED, date(2026, 3, 10))
    assert acc.deleted == {6, 7}
    assert all(acc.contacts[c.id].status is Status.DONE for c in done)
    assert acc.contacts[1].pending and acc.contacts[2].pending
    assert acc.contacts[8].pending  # the Close contact itself is the caller's to complete


@pytest.mark.parametrize(("text", "rate"), [("33", "33"), ("12.5", "12.5"), ("15%", "15")])
def test_commission_sets_the_rate_from_the_description(text: str, rate: str) -> None:
    """Seed 004: "enter the percentage as a number. For example, 33 means 33% and 12.5
    means 12.5%." """
    assert run(workspace(), contact(T.COMMISSION, text)).commission_rate == Decimal(rate)


@pytest.mark.parametrize("text", ["", "lots", "150", "-1", "NaN"])
def test_commission_with_a_bad_percentage_is_an_error(text: str) -> None:
    """Seed 004: the Commission description is "the percentage as a number"."""
    with pytest.raises(InputError, match="Commission"):
        run(workspace(), contact(T.COMMISSION, text))


def test_edit_changes_fields_by_name_or_printable_code() -> None:
    """Seed 004: "the Description would contain Summary=Test note ... Or, you could use
    POE=Fred's Cleaners ... Or, you can use the printable field code for the field. For
    example, @de.su=Test note"."""
    d = run(workspace(), contact(T.EDIT, "POE=Fred's Cleaners; Status=PRA; listed date=2026-02-01"))
    assert (d.poe, d.status, d.listed_date) == ("Fred's Cleaners", "PRA", date(2026, 2, 1))
    assert run(workspace(), contact(T.EDIT, "@de.su=Test note")).summary == "Test note"


@pytest.mark.parametrize(("text", "words"), [
    ("shoe=9", ["shoe"]),
    ("summary=ok; shoe=9", ["shoe"]),
    ("listed_date=03/01/2026", ["listed_date", "03/01/2026"]),
    ("principal=5", ["principal", "Transaction"]),
    ("mode=CLOSED", ["mode", "Close"]),
    ("just text", ["field=value"]),
])  # fmt: skip
def test_edit_of_an_unknown_field_is_an_error_and_changes_nothing(text: str,
                                                                  words: list[str]) -> None:
    """SPEC 6: "only known debtor fields; an unknown field is an error for that contact";
    SPEC 12: "An Edit contact can change only known debtor fields"."""
    ws = workspace()
    before = ws.accounts[1].debtor
    with pytest.raises(InputError) as err:
        run(ws, contact(T.EDIT, text))
    assert all(w in str(err.value) for w in words)
    assert ws.accounts[1].debtor == before


def test_note_writes_the_description_and_keeps_a_leading_star() -> None:
    """Seed 004: "enter the text you want written into the Debtor's notes ... If an
    asterisk [*] is the first character in the Description, an asterisk will be placed at
    the beginning of the note line"."""
    ws = workspace()
    run(ws, contact(T.NOTE, "Called, left message"))
    run(ws, contact(T.NOTE, "*Dispute on file"))
    notes = ws.accounts[1].notes
    assert [n.text for n in notes] == ["Called, left message", "*Dispute on file"]
    assert (notes[0].date, notes[0].operator) == (date(2026, 3, 10), "ADMIN")


def test_operator_moves_the_previous_operators_pending_contacts() -> None:
    """Seed 004: "The Operator Contact sets the operator assigned to the debtor. Any pending
    contacts on the account that were assigned to the previous operator will be assigned
    to the new operator." """
    mine = contact(T.PHONE, "call", 1, collector="JS")
    other = contact(T.REVIEW, "rev", 2, collector="KB")
    old = contact(T.PHONE, "done", 3, collector="JS", status=Status.DONE)
    ws = workspace([mine, other, old])
    d = run(ws, contact(T.OPERATOR, "", collector="MW"))
    acc = ws.accounts[1]
    assert d.operator == "MW"
    assert [acc.contacts[i].collector for i in (1, 2, 3)] == ["MW", "KB", "JS"]


def test_operator_without_a_collector_is_an_error() -> None:
    """Seed 004: "The Collector field holds the Collector ID to be assigned"."""
    with pytest.raises(InputError, match="collector"):
        run(workspace(), contact(T.OPERATOR, ""))


def test_sales_status_and_rate_plan_set_their_fields() -> None:
    """Seed 004: Sales "changes the Sales Team ID" (the Collector field); Status "changes
    the debtor's Status Code"; Rate Plan "sets a Commission Rate Plan"."""
    ws = workspace()
    run(ws, contact(T.SALES, "", collector="S1"))
    run(ws, contact(T.STATUS, "PRA"))
    d = run(ws, contact(T.RATEPLAN, "RP2"))
    assert (d.sales, d.status, d.rate_plan) == ("S1", "PRA", "RP2")


def test_plan_contact_runs_its_plan_as_a_sub_plan_inside_a_plan() -> None:
    """Seed 002: "For a Plan within the plan, the second plan is run immediately." """
    sub = Plan("SUB", sub_plan=True, events=(Event(int(T.STATUS), "SUBBED", immediately=True),))
    ws = workspace()
    execute(ws, contact(T.PLAN, "sub"), context(SUB=sub), ("MAIN",))
    assert ws.accounts[1].debtor.status == "SUBBED"


def test_plan_contact_from_the_batch_runs_its_plan_as_primary() -> None:
    """SPEC 15: "A Plan contact processed by the batch runs its plan as a primary plan"
    (delete_pending works)."""
    plan = Plan("P", delete_pending=True, events=(Event(int(T.NOTE), "ran", immediately=True),))
    ws = workspace([contact(T.REVIEW, "old", 1)])
    execute(ws, contact(T.PLAN, "P", 2), context(P=plan))
    assert ws.accounts[1].deleted == {1}


@pytest.mark.parametrize(("code", "amount", "field", "value"), [
    ("196", Decimal("50.00"), "principal", Decimal("150.00")),
    ("301", None, "fees", Decimal("25.00")),
    ("401", Decimal("3.10"), "interest", Decimal("3.10")),
    ("501", Decimal("-5.00"), "fees", Decimal("-5.00")),
])  # fmt: skip
def test_transaction_posts_the_type_with_the_contact_or_default_amount(
    code: str, amount: Decimal | None, field: str, value: Decimal,
) -> None:
    """Seed 004: "Set the amount of the transaction in the Transaction Type settings, or in
    the Amount field on the Contact form." """
    ws = workspace()
    d = run(ws, contact(T.TRANSACTION, code, amount=amount))
    assert getattr(d, field) == value
    (txn,) = ws.accounts[1].transactions
    assert (txn.type, txn.amount, txn.payment_date, txn.contact_id) == (
        code, amount or Decimal("25.00"), date(2026, 3, 10), 900)


@pytest.mark.parametrize(("code", "words"), [("401", "no amount"), ("999", "999"), ("", "''")])
def test_transaction_without_an_amount_or_type_is_an_error(code: str, words: str) -> None:
    """Seed 004: the Transaction description is "the ID of the Transaction Type" and the
    amount comes from the contact or the type."""
    ws = workspace()
    with pytest.raises(InputError, match=words):
        run(ws, contact(T.TRANSACTION, code))
    assert ws.accounts[1].transactions == []


def test_transaction_of_a_payment_type_goes_through_payment_posting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SPEC 6: "a payment type goes through payment posting (section 8)"."""
    import collectcli.engine.payments as payments

    calls: list[tuple[Any, ...]] = []

    def fake(ws: Workspace, file: int, amount: Decimal, day: date, code: str,
             ctx: RunContext, **kw: Any) -> None:
        calls.append((file, amount, day, code, kw["contact_id"]))

    monkeypatch.setattr(payments, "post_payment", fake)
    run(workspace(), contact(T.TRANSACTION, "101", amount=Decimal("40.00")))
    assert calls == [(1, Decimal("40.00"), date(2026, 3, 10), "101", 900)]


def test_export_appends_the_debtor_to_the_export_list() -> None:
    """Seed 004: "The Export Contact schedules the exporting of the records the plan is run
    on." """
    ws = workspace()
    run(ws, contact(T.EXPORT))
    assert [d.file for d in ws.exports] == [1]


@pytest.mark.parametrize("type_", [T.METRO, T.PHONEIN, T.OPERATORVIEWED, T.CLIENT, T.ODBC,
                                   T.PROMISE, T.PHONE, T.REVIEW, T.LETTER, 50])
def test_records_letters_and_operator_assisted_types_are_not_executed(type_: int) -> None:
    """SPEC 6: operator-assisted types "wait in the WIP list"; Metro, *In types, ... are
    "records only; the batch leaves them alone"."""
    with pytest.raises(InputError, match="not executed automatically"):
        run(workspace(), contact(type_))


def test_repeat_fields_do_not_matter_to_execution() -> None:
    """SPEC 7: forwarding is the caller's work; execute only acts."""
    ws = workspace()
    run(ws, contact(T.NOTE, "monthly", repeat=Repeat.MONTHLY))
    assert ws.accounts[1].contacts == {}


def test_transaction_of_a_type_with_a_plan_runs_that_plan() -> None:
    """SPEC 5: plans also run when "a transaction of a type with a plan is posted"; seed 001:
    a sub-plan can still be selected "in the Transaction Type form"."""
    fee_plan = Plan("FEE", sub_plan=True, events=(Event(int(T.NOTE), "fee added",
                                                        immediately=True),))
    types = TYPES | {"302": TransactionType("302", "Fee", "fee", Decimal("5.00"), plan="FEE")}
    c = RunContext(NOW, Operator("ADMIN", level=99), Settings(), {"FEE": fee_plan}, types)
    ws = workspace()
    run(ws, contact(T.TRANSACTION, "302"), c)
    assert ws.accounts[1].debtor.fees == Decimal("5.00")
    assert [n.text for n in ws.accounts[1].notes] == ["fee added"]
