"""PRODUCT.md "Definitions" as pure functions: expected percent and the state of one task, table-driven.

Every expected figure is worked out by hand in the row's comment.
"""

from __future__ import annotations

import datetime as dt

import pytest

from taskctl.rules import expected_percent, judge

D = dt.date
NO_TARGETS = (None, None, None, None)


@pytest.mark.parametrize("as_of,start,due,targets,expected", [
    # linear from start to the due date in force: 100 × (D − start) / (due − start)
    (D(2023, 3, 31), D(2023, 1, 1), D(2023, 12, 31), NO_TARGETS, 100 * 89 / 364),  # ≈ 24.45: about 25% on 31 March
    (D(2023, 2, 15), D(2023, 1, 1), D(2023, 6, 30), NO_TARGETS, 100 * 45 / 180),  # 25
    (D(2023, 1, 1), D(2023, 1, 1), D(2023, 6, 30), NO_TARGETS, 0.0),  # the start day itself
    (D(2022, 12, 1), D(2023, 1, 1), D(2023, 6, 30), NO_TARGETS, 0.0),  # before the start
    (D(2023, 7, 15), D(2023, 1, 1), D(2023, 6, 30), NO_TARGETS, 100.0),  # after the due date: clamped
    (D(2023, 3, 31), D(2023, 3, 31), D(2023, 3, 31), NO_TARGETS, 100.0),  # 立行立改: due on its start
    (D(2023, 3, 31), D(2023, 1, 1), None, NO_TARGETS, None),  # ongoing, no targets: none
    # quarterly targets: piecewise linear through (start, 0), (31 Mar, Q1), (30 Jun, Q2), …
    (D(2023, 3, 31), D(2023, 1, 1), D(2023, 12, 31), (20, 60, 80, 100), 20.0),  # on the Q1 point
    (D(2023, 5, 15), D(2023, 1, 1), D(2023, 12, 31), (20, 60, 80, 100), 20 + 40 * 45 / 91),  # Apr 1 → Jun 30
    (D(2023, 2, 14), D(2023, 1, 1), D(2023, 12, 31), (20, 60, 80, 100), 20 * 44 / 89),
    (D(2023, 5, 15), D(2023, 1, 1), None, (None, 50, None, 100), 50 * 134 / 180),  # Q1 skipped: start → Q2 point
    (D(2024, 2, 1), D(2023, 1, 1), D(2023, 12, 31), (20, 60, 80, 100), 100.0),  # after Q4: the last target
])
def test_expected_percent(as_of, start, due, targets, expected):
    got = expected_percent(as_of=as_of, start=start, due=due, targets=targets, year=2023)
    assert got == (None if expected is None else pytest.approx(expected))


def test_targets_follow_the_ledger_year_for_a_task_carried_over():
    # started 2022-10-01, 2023 targets Q1=40: the Q1 point is 2023-03-31 (181 days from the start)
    got = expected_percent(as_of=D(2023, 1, 1), start=D(2022, 10, 1), due=None, targets=(40, 60, 80, 100), year=2023)
    assert got == pytest.approx(40 * 92 / 181)


J = dict(status_on=None, start=D(2023, 1, 1), targets=NO_TARGETS, year=2023)


@pytest.mark.parametrize("status,due,latest,status_on,state,light,done_late", [
    ("cancelled", D(2023, 2, 1), None, D(2023, 2, 1), "cancelled", None, False),
    ("paused", D(2023, 2, 1), 10, D(2023, 2, 1), "paused", None, False),  # paused: never overdue
    ("done", D(2023, 3, 31), 80, D(2023, 3, 20), "done", "green", False),
    ("done", D(2023, 3, 15), 80, D(2023, 3, 20), "done", "green", True),  # done after its due date
    ("active", D(2023, 3, 30), 99, None, "overdue", "red", False),  # due before D
    ("active", D(2023, 12, 31), None, None, "not_started", "yellow", False),  # expected 24.5 > 0, no update
    ("active", D(2023, 12, 31), 14, None, "behind", "yellow", False),  # 24.45 − 14 = 10.45 > 10
    ("active", D(2023, 12, 31), 14.5, None, "on_track", "green", False),  # 9.95: not more than 10
    ("active", None, None, None, "on_track", "green", False),  # ongoing, no targets: never behind
])
def test_judge_first_rule_that_applies(status, due, latest, status_on, state, light, done_late):
    args = dict(J, status_on=status_on)
    got = judge(as_of=D(2023, 3, 31), status=status, due=due, latest_percent=latest, **args)
    assert (got.state, got.light, got.done_late) == (state, light, done_late)
    if status == "done":
        assert got.percent == 100.0


def test_a_task_due_on_d_is_expected_in_full_but_not_overdue():
    got = judge(as_of=D(2023, 3, 31), status="active", due=D(2023, 3, 31), latest_percent=50, **J)
    # expected 100 on the due day; 50 is 50 points behind — behind, yellow — but not red
    assert got.expected == 100.0 and got.state == "behind" and got.light == "yellow"
