"""`collect controls import|list|preset`, `collect call` and `collect can-contact` (SPEC 9)."""

from __future__ import annotations

import os
from collections.abc import Container
from datetime import date, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import typer
from rich.markup import escape
from sqlalchemy import Connection

from collectcli.cli.context import state
from collectcli.cli.render import print_json, show, table, warn
from collectcli.cli.root import app
from collectcli.domain.control import (
    CALL_RESULTS,
    ControlRule,
    parse_controls,
    parse_hhmm,
)
from collectcli.domain.control_presets import REGF_PRESET
from collectcli.domain.errors import InputError
from collectcli.domain.model import Debtor, LogEntry
from collectcli.domain.types import ContactType, parse_contact_type, type_label
from collectcli.engine.control import Verdict, applicable_rules, can_contact, history_since
from collectcli.engine.control import hold_until as rule_hold_until
from collectcli.store import control_repo
from collectcli.store.reference import write_log
from collectcli.store.session import unit_of_work

controls_app = typer.Typer(help="Contact control rules: import, list, the Regulation F preset.",
                           no_args_is_help=True)
app.add_typer(controls_app, name="controls")

_COUNTRY_ALIASES = {"USA": "US", "UNITED STATES": "US", "CANADA": "CA", "UK": "GB"}


def source_zone() -> tzinfo | None:
    """The zone the business clock is read in: COLLECT_TZ, or None for the machine's."""
    name = os.environ.get("COLLECT_TZ", "").strip()
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"COLLECT_TZ '{name}' is not an IANA time zone "
                         "(e.g. America/New_York, UTC)") from None


def holiday_provider(country: str) -> Container[date]:
    """The public holidays of a country (the `holidays` package); a country it does not
    know has none, so only weekends are skipped."""
    code = country.strip().upper()
    code = _COUNTRY_ALIASES.get(code, code)
    if code not in holidays.list_supported_countries():
        return frozenset()
    return holidays.country_holidays(code)


def check(conn: Connection, debtor: Debtor, type_code: int, now: datetime,
          rules: list[ControlRule] | None = None) -> Verdict:
    """can_contact for one debtor, loading the rules and the history it needs."""
    rules = control_repo.list_rules(conn) if rules is None else rules
    mine = applicable_rules(rules, debtor, type_code)
    if not mine:
        return Verdict(True, [])
    since = history_since(mine, now.date())
    history = control_repo.done_history(conn, [debtor], since, now.date())[debtor.file]
    return can_contact(mine, debtor, type_code, history, now, source_zone())


def _at(now: datetime, at: str | None) -> datetime:
    return now if at is None else datetime.combine(now.date(), parse_hhmm(at))


def _import(ctx: typer.Context, rules: list[ControlRule], replace: bool, source: str,
            json_out: bool) -> None:
    st = state(ctx)
    with unit_of_work(st.engine()) as uow:
        counts = control_repo.add_rules(uow.conn, rules, replace=replace)
        write_log(uow.conn, st.now, st.operator, [LogEntry(
            "INFO", "CONTROL", f"contact control rules from {source}: " +
            ", ".join(f"{v} {k}" for k, v in counts.items()))])
        uow.commit()
    if json_out:
        print_json(counts)
    else:
        show(table(f"Contact control rules from {source}", ["rules", "count"], counts.items()))


@controls_app.command("import")
def import_rules(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A TOML file of [[control]] tables."),
    replace: bool = typer.Option(False, "--replace", help="Delete every rule first."),
    json_out: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Import contact control rules; a rule identical to one already there is skipped.
    Any error in the file imports nothing."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{file}: cannot read it ({exc.strerror})") from None
    _import(ctx, parse_controls(text, str(file)), replace, str(file), json_out)


@controls_app.command("list")
def list_rules(
    ctx: typer.Context,
    json_out: bool = typer.Option(False, "--json", help="Print the rules as JSON."),
) -> None:
    """List the contact control rules."""
    with unit_of_work(state(ctx).engine()) as uow:
        rules = control_repo.list_rules(uow.conn)
    if json_out:
        print_json([r.to_dict() for r in rules])
        return
    show(table("Contact control rules",
               ["type", "where", "limit", "hold", "window", "validation", "description"],
               (_row(r) for r in rules)))


def _row(rule: ControlRule) -> list[str]:
    where = "/".join(v for v in (rule.state, rule.country) if v) or "all"
    window = (f"{rule.call_from:%H:%M}-{rule.call_to:%H:%M}"
              if rule.call_from and rule.call_to else "")
    validation = (f"{rule.validation_letter}: {rule.validation_business_days or 0}b+"
                  f"{rule.validation_calendar_days or 0}d" if rule.validation_letter else "")
    return [rule.type, where, f"{rule.max_total}/{rule.period}" +
            (" group" if rule.apply_to_group else ""),
            f"{rule.hold_days}d" if rule.hold_days else "", window, validation,
            escape(rule.description)]


@controls_app.command("preset")
def preset(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The preset: regf (US Regulation F)."),
    print_only: bool = typer.Option(False, "--print", help="Show the TOML; import nothing."),
    replace: bool = typer.Option(False, "--replace", help="Delete every rule first."),
    json_out: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Import a ready rule set. regf: 12 CFR 1006.14(b)(2) (7 calls in 7 days, none for 7
    days after a conversation), 1006.6(b)(1)(i) (08:00-21:00 local), 1006.34 (validation
    5 business + 30 calendar days). Not legal advice."""
    if name.strip().lower() != "regf":
        raise InputError(f"unknown preset '{name}' (available: regf)")
    if print_only:
        typer.echo(REGF_PRESET, nl=False)
        return
    _import(ctx, parse_controls(REGF_PRESET, "preset regf"), replace, "preset regf", json_out)


@app.command("can-contact")
def can_contact_cmd(
    ctx: typer.Context,
    file: int = typer.Argument(..., help="The debtor's file number."),
    type_: str = typer.Option(..., "--type", help="Phone, Letter, Email or Text."),
    at: str = typer.Option(None, "--at", help="Check at HH:MM today instead of now."),
    json_out: bool = typer.Option(False, "--json", help="Print {allowed, reasons} as JSON."),
) -> None:
    """Say whether a contact of that type may happen now, and every reason it may not."""
    st = state(ctx)
    code = parse_contact_type(type_)
    with unit_of_work(st.engine()) as uow:
        verdict = check(uow.conn, control_repo.get_debtor(uow.conn, file), code,
                        _at(st.now, at))
    if json_out:
        print_json({"allowed": verdict.allowed, "reasons": verdict.reasons})
        return
    head = "allowed" if verdict.allowed else "not allowed"
    show(table(f"File {file}: {type_label(code)} {head}", ["reason"],
               ([escape(r)] for r in verdict.reasons)))


@app.command("call")
def call(
    ctx: typer.Context,
    file: int = typer.Argument(..., help="The debtor's file number."),
    result: str = typer.Option(..., "--result", help="Call result code (seed 003 list)."),
    at: str = typer.Option(None, "--at", help="The call's time today, HH:MM (default now)."),
    json_out: bool = typer.Option(False, "--json", help="Print the recorded call as JSON."),
) -> None:
    """Record a call (a done Phone contact). A call against a rule is recorded anyway
    (it happened), with a warning and a log entry; an RPC result starts the hold."""
    st = state(ctx)
    when = _at(st.now, at)
    code = result.strip()
    with unit_of_work(st.engine()) as uow:
        rules = control_repo.list_rules(uow.conn)
        known = set(CALL_RESULTS).union(*(r.attempt_results | r.rpc_results for r in rules))
        if code not in known:
            raise InputError(f"--result '{result}' is not a call result code (seed 003 list: "
                             "0-6, 101-128, or a code named in a control rule)")
        debtor = control_repo.get_debtor(uow.conn, file)
        verdict = check(uow.conn, debtor, ContactType.PHONE, when, rules)
        text = CALL_RESULTS.get(code, f"result {code}")
        contact = control_repo.record_call(uow.conn, file, code, f"Call: {text}", st.operator,
                                           when)
        entries = [LogEntry("INFO", "CONTROL", f"call recorded: result {code} ({text})",
                            file, contact)]
        if not verdict.allowed:
            entries.append(LogEntry("WARNING", "CONTROL", "call made against contact control: "
                                    + "; ".join(verdict.reasons), file, contact))
        history = control_repo.done_history(uow.conn, [debtor], when.date(), when.date())
        holds = [rule_hold_until(r, debtor, history[file], when.date())
                 for r in applicable_rules(rules, debtor, ContactType.PHONE)
                 if code in r.rpc_results]
        hold = max((h for h in holds if h is not None), default=None)
        write_log(uow.conn, st.now, st.operator, entries)
        uow.commit()
    if not verdict.allowed:
        warn(escape(f"file {file}: this call breaks contact control (recorded anyway): "
                    + "; ".join(verdict.reasons)))
    document = {"contact": contact, "file": file, "result": code, "result_text": text,
                "allowed": verdict.allowed, "reasons": verdict.reasons, "hold_until": hold}
    if json_out:
        print_json(document)
        return
    show(table(f"Call recorded on file {file}", ["field", "value"],
               ((k, "" if v is None else escape(str(v))) for k, v in document.items()
                if k != "reasons")))


__all__ = ["check", "controls_app", "holiday_provider", "source_zone"]
