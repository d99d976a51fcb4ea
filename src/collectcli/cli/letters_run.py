"""The chunk loop of `collect letters`: render, hold, write to the outbox, settle, commit.

Each letter is written to OUTBOX/DATE/TYPE/FILE-CONTACTID.txt through a temporary file and
os.replace before its chunk commits; a re-run after a kill rewrites the same name, so no
letter is ever doubled. Contact control may hold a letter (it stays pending) and sending
a validation letter sets the debtor's validation end (SPEC 9).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import Connection, Engine

from collectcli.cli.batch_run import CHUNK, Summary, Tick
from collectcli.domain.control import ControlRule
from collectcli.domain.model import Contact, Debtor, LogEntry
from collectcli.domain.types import LETTER_TYPES, Status, type_label
from collectcli.engine import control
from collectcli.engine.batch import HELD
from collectcli.engine.batch_fast import DESCRIPTION, DUE, FILE, ID, TYPE, FastEffects
from collectcli.engine.letters import LetterContact, LetterError, PromiseInfo, render_letter
from collectcli.resources import data_dir
from collectcli.store import batch_repo, control_repo
from collectcli.store.batch_write import write_fast
from collectcli.store.rows import as_date, debtor_from_row, money
from collectcli.store.session import unit_of_work


def letter_environment(templates: Path) -> Environment:
    """Templates from `templates`, then the letters shipped with collect; undefined names
    in a template are errors, not blanks."""
    folders = [str(templates)]
    with suppress(FileNotFoundError):  # an installation without shipped letters
        folders.append(str(data_dir("letters")))
    return Environment(loader=ChoiceLoader([FileSystemLoader(f) for f in folders]),
                       undefined=StrictUndefined, keep_trailing_newline=True,
                       autoescape=False)


def outbox_path(outbox: Path, today: date, type_code: int, file: int, contact: int) -> Path:
    return outbox / today.isoformat() / type_label(type_code) / f"{file}-{contact}.txt"


def write_letter(path: Path, text: str) -> None:
    """Atomic: a temporary file renamed over the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class _Chunk:
    """One chunk's debtors, their contact-control history and the letters sent so far."""

    def __init__(self, conn: Connection, rows: Sequence[Sequence[Any]], rules: list[ControlRule],
                 today: date):
        info = batch_repo.debtor_rows(conn, batch_repo.files_in(rows))
        self.debtors: dict[int, Debtor] = {f: debtor_from_row(r) for f, (r, _, _) in info.items()}
        self.promises = {f: PromiseInfo(as_date(d), money(a)) for f, (_, d, a) in info.items()}
        self.history: dict[int, list[Contact]] = {}
        self.groups: dict[str, list[int]] = {}
        for file, d in self.debtors.items():
            if d.group_key:
                self.groups.setdefault(d.group_key, []).append(file)
        if rules:
            since = control.history_since(rules, today)
            self.history = control_repo.done_history(conn, self.debtors.values(), since, today)

    def sent(self, debtor: Debtor, contact: Contact) -> None:
        """Count the letter for the debtor and its group members in this chunk."""
        members = self.groups.get(debtor.group_key, [debtor.file]) if debtor.group_key \
            else [debtor.file]
        for file in members:
            self.history.setdefault(file, []).append(contact)


def _one(row: Sequence[Any], chunk: _Chunk, env: Environment, rules: list[ControlRule],
         outbox: Path, now: datetime, fx: FastEffects, summary: Summary) -> None:
    today, debtor = now.date(), chunk.debtors[row[FILE]]
    done = Contact(row[ID], row[FILE], row[TYPE], row[DESCRIPTION], as_date(row[DUE]),
                   status=Status.DONE, done_date=today)
    reason = (control.letter_hold(rules, debtor, row[TYPE], chunk.history.get(row[FILE], []),
                                  today) if rules else None)
    if reason is not None:
        summary.held += 1
        fx.counts[row[TYPE], HELD] += 1
        fx.logs.append(LogEntry("WARNING", "LETTERS", f"contact {row[ID]} on file {row[FILE]} "
                                f"{reason}", row[FILE], row[ID]))
        return
    letter = LetterContact(row[ID], row[TYPE], row[DESCRIPTION], done.due_date)
    try:
        text = render_letter(env, debtor, letter, today, chunk.promises.get(row[FILE]))
        write_letter(outbox_path(outbox, today, row[TYPE], row[FILE], row[ID]), text)
    except (LetterError, OSError) as exc:
        fx.fail(row, str(exc))
        return
    summary.letters += 1
    fx.settle(row)
    if rules:
        chunk.sent(debtor, done)
        end = control.validation_update(rules, debtor, done, today, _holidays)
        if end is not None:
            fx.validations[debtor.file] = end.isoformat()
            chunk.debtors[debtor.file] = replace(debtor, validation_end=end)


def _holidays(country: str) -> Any:
    from collectcli.cli.control_cmd import holiday_provider

    return holiday_provider(country)


def run_letters(engine: Engine, now: datetime, operator: str, outbox: Path, templates: Path,
                tick: Tick, chunk: int = CHUNK) -> Summary:
    """Render every due Letter, Email and Text contact into the outbox (SPEC 7)."""
    summary, env = Summary(), letter_environment(templates)
    with unit_of_work(engine) as uow:
        rules = control_repo.list_rules(uow.conn)
        files = batch_repo.sorted_files(batch_repo.due_files(uow.conn, LETTER_TYPES, now))
    summary.debtors = len(files)
    tick(0, len(files))
    for start in range(0, len(files), chunk):
        part = files[start:start + chunk]
        with unit_of_work(engine) as uow:
            rows = batch_repo.due_rows(uow.conn, part[0], part[-1], LETTER_TYPES, now)
            state = _Chunk(uow.conn, rows, rules, now.date())
            fx = FastEffects(now, operator)
            for row in rows:
                _one(row, state, env, rules, outbox, now, fx, summary)
            write_fast(uow.conn, fx)
            uow.commit()
        summary.add_fast(fx)
        tick(min(start + chunk, len(files)), len(files))
    return summary
