"""The WIP list (SPEC 10, seed 004 WIP Reload Filters, seed 002 priority bands)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from collectcli.domain.types import ContactType as T
from collectcli.domain.types import Status
from collectcli.engine.wip import WipOptions, build_wip, priority_band, promise_shows
from tests.unit.control_helpers import debtor, pending

TODAY = date(2026, 3, 10)
ANN, BOB = debtor(1, name="Ann Archer"), debtor(2, name="Bob Baker")


def ids(entries):
    return [e.contact.id for e in entries]


@pytest.mark.parametrize(("priority", "band"), [(99, "High"), (66, "High"), (65, "Medium"),
                                                (34, "Medium"), (33, "Low"), (1, "Low")])
def test_priority_bands(priority, band):
    """Seed 002: 'Priority levels in the WIP List are as follows. 66 to 99 High, 34 to 65
    Medium, 1 to 33 Low'."""
    assert priority_band(priority) == band


def test_wip_is_sorted_by_due_date_priority_name_type_with_timed_contacts_last():
    """SPEC 10: 'sorted by due date, priority (high first), name, type, timed contacts last'."""
    rows = [
        (pending(2, T.PHONE, TODAY, id=1, priority=50), BOB),
        (pending(1, T.REVIEW, TODAY, id=2, priority=50), ANN),
        (pending(1, T.PHONE, TODAY, id=3, priority=50), ANN),
        (pending(2, T.OTHER, TODAY, id=4, priority=90), BOB),
        (pending(1, T.PHONE, date(2026, 3, 2), id=5, priority=10), ANN),
        (pending(1, T.PHONE, TODAY, id=6, priority=99, due_time=time(9, 0)), ANN),
        (pending(2, T.PHONE, TODAY, id=7, priority=99, due_time=time(8, 0)), BOB),
    ]
    entries = build_wip(rows, WipOptions(), TODAY)
    assert ids(entries) == [5, 4, 3, 2, 1, 7, 6]
    assert [e.band for e in entries] == ["Low", "High", "Medium", "Medium", "Medium", "High",
                                         "High"]


def test_default_types_are_promise_phone_review_and_other():
    """Seed 004: 'Collect! loads all Promise, Phone, Review and Other contacts by default.'"""
    rows = [(pending(1, t, TODAY, id=int(t) + 100), ANN)
            for t in (T.PROMISE, T.PHONE, T.REVIEW, T.OTHER, T.LETTER, T.NOTE, T.EMAIL)]
    rows.append((pending(1, 55, TODAY, id=155), ANN))
    assert sorted(ids(build_wip(rows, WipOptions(), TODAY))) == [101, 103, 105, 106]
    only = build_wip(rows, WipOptions(types=frozenset({int(T.REVIEW)})), TODAY)
    assert ids(only) == [105]
    custom = build_wip(rows, WipOptions(types=frozenset(), custom_types=True), TODAY)
    assert ids(custom) == [155]


def test_only_contacts_due_by_today_unless_looking_ahead():
    """Seed 004 'Look Ahead Days': 'limit the number of days in the future Collect! will load
    Contacts for. Enter 7 to Look Ahead one week.'"""
    rows = [(pending(1, T.PHONE, date(2026, 3, d), id=d), ANN) for d in (9, 10, 11, 17, 18)]
    assert ids(build_wip(rows, WipOptions(), TODAY)) == [9, 10]
    assert ids(build_wip(rows, WipOptions(look_ahead=7), TODAY)) == [9, 10, 11, 17]


def test_promise_with_grace_days_shows_once_the_grace_period_has_expired():
    """Seed 004: 'on April 12th, a Promise for April 8th with a 3 grace days is now overdue.
    On April 12th, the Promise will show up in the operator's WIP List.'"""
    promise = pending(1, T.PROMISE, date(2026, 4, 8), id=1)
    options = WipOptions(grace_days=3)
    assert ids(build_wip([(promise, ANN)], options, date(2026, 4, 12))) == [1]
    assert ids(build_wip([(promise, ANN)], options, date(2026, 4, 11))) == []
    assert ids(build_wip([(promise, ANN)], options, date(2026, 4, 8))) == []
    assert not promise_shows(date(2026, 4, 8), 3, date(2026, 4, 11))


def test_promise_without_grace_days_shows_on_the_day_it_comes_due():
    """Seed 004: 'The day that this promise comes due, the Promise Contact will show up in the
    operator's WIP list.'"""
    promise = pending(1, T.PROMISE, TODAY, id=1)
    assert ids(build_wip([(promise, ANN)], WipOptions(), TODAY)) == [1]


def test_grace_days_override_the_look_ahead_for_promises():
    """Seed 004 'Promise Grace Days': 'This overrides the global WIP settings for showing
    "future" or "today and past" contacts.'"""
    future = pending(1, T.PROMISE, date(2026, 3, 12), id=1)
    assert ids(build_wip([(future, ANN)], WipOptions(look_ahead=7, grace_days=2), TODAY)) == []
    assert ids(build_wip([(future, ANN)], WipOptions(look_ahead=7), TODAY)) == [1]


def test_max_per_type_keeps_the_first_of_each_type():
    """Seed 004 'Maximum Calls': 'limit the maximum number of Phone contacts that may be
    loaded into your WIP at any one time'."""
    rows = [(pending(1, T.PHONE, date(2026, 3, d), id=d), ANN) for d in (5, 6, 7)]
    rows += [(pending(2, T.REVIEW, date(2026, 3, d), id=10 + d), BOB) for d in (5, 6)]
    assert ids(build_wip(rows, WipOptions(max_per_type=2), TODAY)) == [5, 15, 6, 16]


def test_phone_contacts_contact_control_blocks_are_left_out_or_shown_with_the_reason():
    """SPEC 9: 'The WIP list leaves out Phone contacts that may not be called now
    (--show-blocked lists them with the reason)'."""
    rows = [(pending(1, T.PHONE, TODAY, id=1), ANN), (pending(2, T.PHONE, TODAY, id=2), BOB),
            (pending(1, T.REVIEW, TODAY, id=3), ANN)]

    def blocked(contact, d):
        return "in hold" if d.file == 1 else None

    assert ids(build_wip(rows, WipOptions(), TODAY, blocked)) == [3, 2]
    shown = build_wip(rows, WipOptions(show_blocked=True, max_per_type=1), TODAY, blocked)
    assert [(e.contact.id, e.blocked) for e in shown] == [(1, "in hold"), (3, None), (2, None)]


def test_done_contacts_never_show():
    """SPEC 10: 'the operator's pending operator-assisted contacts'."""
    c = replace(pending(1, T.PHONE, TODAY, id=1), status=Status.DONE)
    assert build_wip([(c, ANN)], WipOptions(), TODAY) == []
