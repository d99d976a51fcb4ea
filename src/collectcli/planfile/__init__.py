"""Contact plan files: TOML <-> Plan (SPEC 3, seeds 001 and 002).

Reading validates everything and names the file, the event index (1-based) and the key
of every problem. `check_*` functions return problems as values so one bad file or event
does not hide the next; the `load_*` functions raise the first problem.
Writing produces the same keys back, so export then import is lossless.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Set
from pathlib import Path
from typing import Any

from collectcli.domain.errors import PlanFileError
from collectcli.domain.model import Plan
from collectcli.domain.types import ContactType
from collectcli.planfile.reader import Reader, check_references, read_plan
from collectcli.planfile.writer import plan_to_dict, plan_to_toml

__all__ = ["check_plan_dict", "check_plan_files", "check_plan_sources", "immediate_cycles",
           "load_plan_file", "load_plan_files", "plan_from_dict", "plan_from_toml",
           "plan_to_dict", "plan_to_toml", "read_plan_data"]

def check_plan_dict(data: Mapping[str, Any], source: str,
                    known_codes: Set[str] | None = None) -> tuple[Plan | None, list[PlanFileError]]:
    """Validate one plan's data; every problem is returned, none raised.

    `known_codes` are the plan codes a Plan event may name (None: do not check them).
    """
    rd = Reader(source, [])
    plan = read_plan(rd, data)
    if plan is not None and known_codes is not None:
        check_references(rd, plan, {c.upper() for c in known_codes})
    return (plan if not rd.problems else None), rd.problems


def plan_from_dict(data: Mapping[str, Any], source: str,
                   known_codes: Set[str] | None = frozenset()) -> Plan:
    """A Plan from its TOML keys; raises the first PlanFileError."""
    plan, problems = check_plan_dict(data, source, known_codes)
    if problems:
        raise problems[0]
    assert plan is not None
    return plan


def read_plan_data(path: Path) -> dict[str, Any]:
    """The parsed TOML of a plan file; PlanFileError for a missing, non-UTF-8 or bad file."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PlanFileError(source, "no such file") from None
    except IsADirectoryError:
        raise PlanFileError(source, "is a folder, not a plan file") from None
    except OSError as exc:
        raise PlanFileError(source, f"cannot be read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanFileError(source, f"is not UTF-8 text (bad byte at line {line}, "
                                    f"offset {exc.start}); save it as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanFileError(source, f"TOML syntax error: {exc}") from None


def check_plan_sources(paths: Iterable[Path], known_codes: Set[str] = frozenset()
                       ) -> tuple[list[tuple[str, Plan]], list[PlanFileError]]:
    """Validate a set of files together: (file, plan) of the good ones and every problem.

    Plan events may name plans of `known_codes` (e.g. those in the database) or of the set;
    two files with the same code are an error.
    """
    parsed: list[tuple[str, Plan]] = []
    problems: list[PlanFileError] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            data = read_plan_data(path)
        except PlanFileError as exc:
            problems.append(exc)
            continue
        plan, found = check_plan_dict(data, str(path), None)
        problems.extend(found)
        if plan is None:
            continue
        if plan.code in seen:
            problems.append(PlanFileError(str(path), f"plan code '{plan.code}' is also used by "
                                                     f"{seen[plan.code]}", key="code"))
            continue
        seen[plan.code] = str(path)
        parsed.append((str(path), plan))
    known = {c.upper() for c in known_codes} | set(seen)
    good: list[tuple[str, Plan]] = []
    for source, plan in parsed:
        before = len(problems)
        check_references(Reader(source, problems), plan, known)
        if len(problems) == before:
            good.append((source, plan))
    return good, problems


def check_plan_files(paths: Iterable[Path], known_codes: Set[str] = frozenset()
                     ) -> tuple[list[Plan], list[PlanFileError]]:
    """Like check_plan_sources, without the file names."""
    good, problems = check_plan_sources(paths, known_codes)
    return [plan for _, plan in good], problems


def load_plan_files(paths: Iterable[Path], known_codes: Set[str] = frozenset()) -> list[Plan]:
    """Plans from files, validated as a set; raises the first problem (used by `collect init`)."""
    plans, problems = check_plan_files(list(paths), known_codes)
    if problems:
        raise problems[0]
    return plans


def load_plan_file(path: Path, known_codes: Set[str] = frozenset()) -> Plan:
    """One plan file; its Plan events may name `known_codes` or the plan itself."""
    return plan_from_dict(read_plan_data(path), str(path), known_codes)


def plan_from_toml(text: str, source: str = "<text>",
                   known_codes: Set[str] | None = None) -> Plan:
    """A Plan from TOML text (PlanFileError names `source`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanFileError(source, f"TOML syntax error: {exc}") from None
    return plan_from_dict(data, source, known_codes)


def immediate_cycles(plans: Mapping[str, Plan]) -> list[list[str]]:
    """Chains of plans that call each other immediately and come back (A -> B -> A).

    Such a chain fails at run time (SPEC 5.4); `plans check` reports it beforehand.
    Each cycle is listed once, starting from its smallest code.
    """
    calls = {code: sorted({e.description for e in p.events
                           if e.type == ContactType.PLAN and e.immediately})
             for code, p in plans.items()}
    found: set[tuple[str, ...]] = set()

    def walk(code: str, path: list[str]) -> None:
        for target in calls.get(code, []):
            if target in path:
                cycle = path[path.index(target):]
                start = cycle.index(min(cycle))
                found.add(tuple(cycle[start:] + cycle[:start]))
            elif target in calls:
                walk(target, [*path, target])

    for code in sorted(calls):
        walk(code, [code])
    return [[*c, c[0]] for c in sorted(found)]
