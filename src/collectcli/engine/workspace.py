"""The working copy the engine changes, and from which the store writes the effects.

A `Workspace` holds the accounts one unit of work may touch (one debtor, or a group for
group promises). Rules read and change it in memory; nothing is written until the
store applies the whole workspace in one transaction, so a rule that fails half way
leaves the database as it was. New rows get negative temporary ids, unique within the
workspace, which the store swaps for real ids (references between new rows included).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from collectcli.domain.model import Contact, Debtor, LogEntry, Note, Transaction
from collectcli.domain.types import Status
from collectcli.engine.records import evolve_contact, evolve_debtor, evolve_transaction, maker

_new_note = maker(Note)


@dataclass
class Account:
    """One debtor's working copy: the debtor, its contacts and what was added or changed."""

    original: Debtor
    debtor: Debtor
    contacts: dict[int, Contact]
    created: list[int] = field(default_factory=list)
    changed: set[int] = field(default_factory=set)
    deleted: set[int] = field(default_factory=set)
    notes: list[Note] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    changed_transactions: dict[int, Transaction] = field(default_factory=dict)
    history: list[Transaction] = field(default_factory=list)
    """Existing transactions, loaded only when a rule needs them (payment reversals)."""
    loaded: dict[int, Contact] = field(default_factory=dict)
    """The contacts as the database holds them, by id: the store writes only the columns
    of a changed contact that differ from these (a contact missing here is written whole)."""

    @property
    def file(self) -> int:
        return self.debtor.file

    def pending(self, type_code: int | None = None) -> list[Contact]:
        """Pending contacts (of one type), in (due date, id) order, new ones last by id."""
        found = [
            c for c in self.contacts.values()
            if c.status is Status.PENDING and (type_code is None or c.type == type_code)
        ]
        return sorted(found, key=lambda c: (c.due_date or date.min, c.id < 0, abs(c.id)))

    def update_debtor(self, **changes: Any) -> Debtor:
        self.debtor = evolve_debtor(self.debtor, **changes)
        return self.debtor

    @property
    def debtor_changed(self) -> bool:
        return self.debtor != self.original


class Workspace:
    """The accounts of one unit of work, the log lines it produced and its counters."""

    def __init__(self, accounts: list[tuple[Debtor, list[Contact]]] | None = None):
        self.accounts: dict[int, Account] = {}
        self.logs: list[LogEntry] = []
        self.counts: Counter[str] = Counter()
        self.exports: list[Debtor] = []  # debtors an Export contact appended (SPEC 6)
        self._next_temp = -1
        self._stamp: tuple[datetime, date, time] | None = None
        for debtor, contacts in accounts or []:
            self.add_account(debtor, contacts)

    def add_account(self, debtor: Debtor, contacts: list[Contact]) -> Account:
        loaded = {c.id: c for c in contacts}
        acc = Account(debtor, debtor, loaded, loaded=loaded.copy())
        self.accounts[debtor.file] = acc
        return acc

    def account(self, file: int) -> Account:
        return self.accounts[file]

    def temp_id(self) -> int:
        value = self._next_temp
        self._next_temp -= 1
        return value

    # -- contacts -----------------------------------------------------------------
    def add_contact(self, contact: Contact) -> Contact:
        """Adds a new contact (its id is replaced by a temporary one) and returns it."""
        acc = self.accounts[contact.file]
        new = evolve_contact(contact, id=self.temp_id())
        acc.contacts[new.id] = new
        acc.created.append(new.id)
        self.counts["contacts_created"] += 1
        return new

    def insert_contact(self, contact: Contact) -> Contact:
        """Adds a new contact that already carries an id from `temp_id()` (no copy made).

        The fast path of plan runs, which build each contact once with its final id.
        """
        acc = self.accounts[contact.file]
        acc.contacts[contact.id] = contact
        acc.created.append(contact.id)
        self.counts["contacts_created"] += 1
        return contact

    def put_contact(self, contact: Contact) -> Contact:
        """Stores a changed version of a contact already in the workspace."""
        acc = self.accounts[contact.file]
        acc.contacts[contact.id] = contact
        if contact.id > 0:
            acc.changed.add(contact.id)
        return contact

    def delete_contact(self, contact: Contact) -> None:
        acc = self.accounts[contact.file]
        acc.contacts.pop(contact.id, None)
        if contact.id > 0:
            acc.deleted.add(contact.id)
            acc.changed.discard(contact.id)
        else:
            acc.created.remove(contact.id)
            self.counts["contacts_created"] -= 1
        self.counts["contacts_deleted"] += 1

    def mark_done(self, contact: Contact, now: datetime, operator: str | None) -> Contact:
        day, at = self._day_time(now)
        return self.put_contact(
            evolve_contact(contact, status=Status.DONE, done_date=day, done_time=at,
                           done_by=operator)
        )

    def _day_time(self, now: datetime) -> tuple[date, time]:
        """now's date and its time to the second (one clock per run: computed once)."""
        stamp = self._stamp
        if stamp is None or stamp[0] != now:
            stamp = self._stamp = (now, now.date(), now.time().replace(microsecond=0))
        return stamp[1], stamp[2]

    # -- notes, transactions, log -----------------------------------------------------
    def add_note(self, file: int, text: str, now: datetime, operator: str | None) -> Note:
        day, at = self._day_time(now)
        note: Note = _new_note(file, day, at, operator, text)
        self.accounts[file].notes.append(note)
        self.counts["notes"] += 1
        return note

    def add_transaction(self, txn: Transaction) -> Transaction:
        """Adds a new transaction; an id of 0 is replaced by a temporary one, a negative id
        (already from `temp_id()`) is kept."""
        new = txn if txn.id < 0 else evolve_transaction(txn, id=self.temp_id())
        self.accounts[txn.file].transactions.append(new)
        self.counts["transactions"] += 1
        return new

    def put_transaction(self, txn: Transaction) -> None:
        """Stores a changed version of an existing transaction (e.g. its reversed_by)."""
        acc = self.accounts[txn.file]
        if txn.id > 0:
            acc.changed_transactions[txn.id] = txn
        else:
            acc.transactions = [txn if t.id == txn.id else t for t in acc.transactions]

    def log(self, entry: LogEntry) -> None:
        self.logs.append(entry)
