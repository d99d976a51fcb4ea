"""What a plan run shows and writes at the edges: the dry-run preview, the summary, the
delete prompt and the Export action's CSV file."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from rich.progress import Progress

from collectcli.cli.render import show, table
from collectcli.domain.model import Contact, Debtor, Plan
from collectcli.domain.money import fmt
from collectcli.domain.types import type_label
from collectcli.engine.context import ConfirmDelete
from collectcli.engine.workspace import Workspace
from collectcli.store.rows import DEBTOR_COLUMNS

EXPORT_COLUMNS = (*DEBTOR_COLUMNS, "owing")


def contact_brief(c: Contact) -> dict[str, Any]:
    return {"type": type_label(c.type), "description": c.description, "due_date": c.due_date,
            "due_time": c.due_time, "status": c.status.value, "priority": c.priority,
            "operator": c.collector, "amount": c.amount}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


class Preview:
    """Records, per debtor, what a dry run changed in the workspace (nothing is written)."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.entries: list[dict[str, Any]] = []
        self._saved: tuple[Debtor, dict[int, Contact], int, int, int] | None = None

    def before(self, file: int) -> None:
        acc = self.ws.account(file)
        self._saved = (acc.debtor, dict(acc.contacts), len(acc.created), len(acc.notes),
                       len(acc.transactions))

    def after(self, file: int) -> None:
        assert self._saved is not None
        debtor, contacts, created, notes, txns = self._saved
        acc = self.ws.account(file)
        changed = [acc.contacts[i] for i in sorted(acc.changed) if i in contacts
                   and acc.contacts.get(i) != contacts[i]]
        self.entries.append({
            "file": file,
            "contacts_created": [contact_brief(acc.contacts[i]) for i in acc.created[created:]],
            "contacts_done": [contact_brief(c) for c in changed if not c.pending],
            "contacts_changed": [contact_brief(c) for c in changed if c.pending],
            "contacts_deleted": [contact_brief(contacts[i]) for i in sorted(acc.deleted)
                                 if i in contacts],
            "notes": [n.text for n in acc.notes[notes:]],
            "transactions": [{"type": t.type, "amount": t.amount}
                             for t in acc.transactions[txns:]],
            "debtor_changes": {
                name: [_plain(getattr(debtor, name)), _plain(getattr(acc.debtor, name))]
                for name in DEBTOR_COLUMNS if getattr(debtor, name) != getattr(acc.debtor, name)
            },
        })


def _rows(entry: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for key, word in (("contacts_created", "create"), ("contacts_done", "mark done"),
                      ("contacts_changed", "change"), ("contacts_deleted", "delete")):
        rows += [(entry["file"], word, c["type"], c["description"], c["due_date"],
                  c["due_time"]) for c in entry[key]]
    rows += [(entry["file"], "note", "", text, None, None) for text in entry["notes"]]
    rows += [(entry["file"], "post", t["type"], fmt(t["amount"]), None, None)
             for t in entry["transactions"]]
    rows += [(entry["file"], f"set {name}", "", f"{old} → {new}", None, None)
             for name, (old, new) in entry["debtor_changes"].items()]
    return rows or [(entry["file"], "nothing", "", "", None, None)]


def print_preview(entries: Sequence[dict[str, Any]]) -> None:
    """The dry run's table: one line per thing the plan would do, per debtor."""
    rows = [row for entry in entries for row in _rows(entry)]
    show(table("Dry run: nothing was written", ["File", "Would", "Type", "Description",
                                                "Due", "Time"], rows))


def print_summary(s: dict[str, Any]) -> None:
    counts = [("accounts", s["accounts"]), ("run", s["run"]), ("skipped (closed)", s["skipped"]),
              ("failed", s["failed"]), ("cancelled", s["cancelled"]),
              ("contacts created", s["contacts_created"]),
              ("events executed", s["events_executed"]), ("exported", s["exported"])]
    title = f"Plan {s['plan']}" + (" (dry run: nothing written)" if s["dry_run"] else "")
    show(table(title, ["", "count"], counts), to_stderr=True)
    if s["errors"]:
        shown = s["errors"][:50]
        show(table(f"Failed accounts ({len(s['errors'])})", ["File", "Error"],
                   [(e["file"], e["message"]) for e in shown]), to_stderr=True)


def confirm_delete_prompt(bar: Progress | None = None) -> ConfirmDelete:
    """Seed 001 'Prompt before deleting': list the pending contacts and ask, on stderr."""

    def confirm(debtor: Debtor, plan: Plan, contacts: list[Contact]) -> bool:
        if bar is not None:
            bar.stop()
        try:
            show(table(f"Plan {plan.code} would delete these pending contacts of file "
                       f"{debtor.file} ({debtor.name})",
                       ["Id", "Type", "Description", "Due", "Collector"],
                       [(c.id, type_label(c.type), c.description, c.due_date, c.collector)
                        for c in contacts]), to_stderr=True)
            return bool(typer.confirm("Delete them and run the plan?", default=False, err=True))
        finally:
            if bar is not None:
                bar.start()

    return confirm


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def append_exports(folder: Path, today: date, debtors: Sequence[Debtor]) -> int:
    """SPEC 6 Export: append the debtors' records to `<folder>/<today>.csv` (header once)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{today.isoformat()}.csv"
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        if new:
            writer.writerow(EXPORT_COLUMNS)
        for d in debtors:
            writer.writerow([_csv_value(getattr(d, c)) for c in EXPORT_COLUMNS])
    return len(debtors)
