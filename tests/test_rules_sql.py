"""The facts kept at write time (task_fact) and the SQL form of rules.py, against the Python statements.

Property tests over generated ledgers on both backends: each example writes a random history (tasks,
updates, status changes, extensions and their withdrawal, closing requests, slips) inside one
transaction that is rolled back, so a database serves every example.

* kept facts: a snapshot as of any date is the same whether the kept facts are read or everything is
  replayed from the dated tables (task_fact emptied);
* judged in SQL: every task's state, expected and actual percent and "done late" from
  ``rules_sql.judged_sql`` equal ``rules.judge`` on the same facts, value for value;
* the quarter and the ranking added up by the database equal the Python tally of the same tasks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from taskctl import facts
from taskctl.config import database_url
from taskctl.reader import close_reader, open_reader
from taskctl.rules import judge
from taskctl.rules_sql import ACTUAL, DONE_LATE, judged_sql, quarter_end_params, state_sql
from taskctl.snapshot import Filters, snapshot
from taskctl.reports import quarter as Q

from conftest import ok

BASE = dt.date(2023, 1, 1)
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

day = st.integers(min_value=-60, max_value=420)
# percents as taskctl keeps them (values.check_percent: to six decimals)
any_percent = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: round(v, 6))
percent = st.one_of(st.sampled_from([0.0, 5.0, 10.0, 12.5, 33.3, 40.0, 50.0, 66.7, 90.0, 100.0]), any_percent)
target = st.one_of(st.none(), st.sampled_from([0.0, 10.0, 25.0, 30.0, 50.0, 75.0, 100.0]), any_percent)
amount = st.one_of(st.none(), st.sampled_from([0.0, 100.0, 2500.5]), st.floats(min_value=0, max_value=1e6,
                                                                               allow_nan=False))

task_st = st.fixed_dictionaries({
    "start": day,
    "due": st.one_of(st.none(), st.integers(min_value=-20, max_value=400)),  # days after the start
    "targets": st.one_of(st.just((None, None, None, None)), st.tuples(target, target, target, target)),
    "unit": st.sampled_from([0, 1, 2, None]),
    "leader": st.sampled_from([0, 1, None]),
    "area": st.sampled_from([1, 2, 3]),
    "invest": amount,
    "progress": st.lists(st.tuples(day, percent, amount, st.sampled_from([None, "planning", "building"])),
                         max_size=4),
    "status": st.lists(st.tuples(day, st.sampled_from(["done", "paused", "cancelled", "active"])), max_size=2),
    "extensions": st.lists(st.tuples(day, st.integers(min_value=0, max_value=300),
                                     st.one_of(st.none(), st.integers(min_value=1, max_value=120))), max_size=2),
    "close": st.lists(st.tuples(day, st.one_of(st.none(), st.integers(min_value=1, max_value=60))), max_size=1),
    "notices": st.lists(day, max_size=2),
})
ledger_st = st.tuples(st.lists(task_st, min_size=1, max_size=8), day)


def d(offset: int) -> dt.date:
    return BASE + dt.timedelta(days=offset)


@pytest.fixture
def ledger(ledger_env):
    """A ledger (year 2023) with three units and two leaders; the URL."""
    for name in ("发改委", "财政局", "高新区"):
        ok("unit", "add", name, "--kind", "department")
    for name in ("王市长", "李副市长"):
        ok("leader", "add", name)
    return database_url(ledger_env)


def write_history(q, tasks: list[dict]) -> list[int]:
    units = [row[0] for row in q.rows("SELECT id FROM unit ORDER BY id")]
    leaders = [row[0] for row in q.rows("SELECT id FROM leader ORDER BY id")]
    areas = [row[0] for row in q.rows("SELECT id FROM area ORDER BY number")]
    now = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    ids = []
    notice_number = 0
    for i, t in enumerate(tasks):
        start = d(t["start"])
        tid = q.insert("task", {
            "area_id": areas[t["area"]], "title": f"任务{i}", "lead_unit_id": None if t["unit"] is None else units[t["unit"]],
            "leader_id": None if t["leader"] is None else leaders[t["leader"]], "start": start,
            "due": None if t["due"] is None else start + dt.timedelta(days=t["due"]), "status": "active",
            "invest": t["invest"], "target_q1": t["targets"][0], "target_q2": t["targets"][1],
            "target_q3": t["targets"][2], "target_q4": t["targets"][3], "created_at": now, "updated_at": now})
        ids.append(tid)
        for on, pct, inv, stage in t["progress"]:
            q.insert("progress", {"task_id": tid, "on_date": d(on), "percent": pct, "invest_done": inv, "stage": stage,
                                  "recorded_by": "t", "recorded_at": now})
        for on, status in t["status"]:
            q.insert("status_change", {"task_id": tid, "status": status, "on_date": d(on), "recorded_by": "t",
                                       "recorded_at": now})
        for on, new_due, withdrawn in t["extensions"]:
            q.insert("extension", {"task_id": tid, "on_date": d(on), "new_due": start + dt.timedelta(days=new_due),
                                   "new_due_text": None, "reason": "因", "recorded_by": "t", "recorded_at": now,
                                   "withdrawn_on": None if withdrawn is None else d(on + withdrawn)})
        for on, returned in t["close"]:
            q.insert("close_request", {"task_id": tid, "on_date": d(on), "recorded_by": "t", "recorded_at": now,
                                       "returned_on": None if returned is None else d(on + returned)})
        for on in t["notices"]:
            notice_number += 1
            q.insert("notice", {"task_id": tid, "level": "督办单", "year": 2023, "number": notice_number,
                                "issued_on": d(on), "reply_by": d(on + 5), "state_on_issue": "overdue",
                                "required": "请报告", "recorded_by": "t", "recorded_at": now})
    return ids


def in_a_rolled_back_ledger(url: str, check) -> None:
    q = open_reader(url, write=True)
    assert q is not None, url
    try:
        check(q)
    finally:
        close_reader(q, commit=False)


@SETTINGS
@given(ledger_st)
def test_kept_facts_are_the_facts_replayed(ledger, example):
    """A snapshot as of D reads the same facts with task_fact as with everything replayed, on any D —
    including dates before changes recorded later."""
    tasks, on = example

    def check(q):
        write_history(q, tasks)
        assert facts.mismatches(q) == []  # the triggers kept every row
        as_of = d(on)
        kept = snapshot(q, as_of)
        q.execute("DELETE FROM task_fact")
        replayed = snapshot(q, as_of)
        assert [dataclasses.asdict(f) for f in kept] == [dataclasses.asdict(f) for f in replayed]
        assert len(kept) == len(tasks)

    in_a_rolled_back_ledger(ledger, check)


def test_kept_facts_are_read_on_and_after_the_last_change_only(ledger):
    """The kept row is what a report reads from its task's last change on (a wrong row would show), and
    never before it: an update recorded on a later date cannot reach a report of an earlier one."""
    tasks = [{"start": 0, "due": 200, "targets": (None,) * 4, "unit": 0, "leader": None, "area": 1, "invest": None,
              "progress": [(30, 20.0, None, None), (60, 45.0, None, None)], "status": [], "extensions": [],
              "close": [], "notices": []}]

    def check(q):
        (tid,) = write_history(q, tasks)
        assert q.rows("SELECT changed_on, percent FROM task_fact WHERE task_id = :t", {"t": tid},
                      dates=(0,)) == [(d(60), 45.0)]
        q.execute("UPDATE task_fact SET percent = 99.0 WHERE task_id = :t", {"t": tid})  # a wrong row, on purpose
        assert snapshot(q, d(60))[0].latest_percent == 99.0  # read from the kept row
        assert snapshot(q, d(90))[0].latest_percent == 99.0
        assert snapshot(q, d(59))[0].latest_percent == 20.0  # replayed: the row is newer than the date
        assert facts.mismatches(q) == [tid]
        q.execute("DELETE FROM task_fact WHERE task_id = :t", {"t": tid})  # no row: replayed on every date
        assert snapshot(q, d(90))[0].latest_percent == 45.0

    in_a_rolled_back_ledger(ledger, check)


def _task(start, due, targets, progress=(), status=()):
    return {"start": start, "due": due, "targets": targets, "unit": 0, "leader": 0, "area": 1, "invest": None,
            "progress": list(progress), "status": list(status), "extensions": [], "close": [], "notices": []}


# every branch of the curve, whatever the generator draws: targets with gaps, a start after Q1's end,
# a date past the last target, before the start, and a task done late
CURVES = ([_task(10, None, (20.0, None, 60.0, None), [(50, 5.0, None, None)]),
           _task(100, 150, (None, 30.0, None, 100.0)),
           _task(-30, 400, (None, None, None, None), [(200, 80.0, None, None)]),
           _task(40, 20, (None, None, None, None), status=[(90, "done")]),
           _task(200, None, (10.0, 20.0, 30.0, 40.0))], 330)


@SETTINGS
@given(ledger_st)
@example(CURVES)
@example((CURVES[0], 120))
@example((CURVES[0], 5))
def test_judged_in_sql_as_rules_judge(ledger, example):
    """Every task's judgement by the database equals rules.judge on the same facts, float for float."""
    tasks, on = example

    def check(q):
        write_history(q, tasks)
        as_of = d(on)
        dialect = "postgresql" if q.postgresql else "sqlite"
        sql = judged_sql(dialect, "") + ("SELECT id, status, status_on, start, due, pct, q1, q2, q3, q4, expected, "
                                         f"{state_sql()}, {ACTUAL}, CASE WHEN {DONE_LATE} THEN 1 ELSE 0 END "
                                         "FROM judged ORDER BY id")
        params = {"d": as_of, "first": dt.date(2023, 1, 1), **quarter_end_params(2023)}
        rows = q.rows(sql, params, dates=(2, 3, 4))
        assert len(rows) == len(tasks)
        for tid, status, status_on, start, due, pct, *targets, expected, state, actual, late in rows:
            want = judge(as_of=as_of, status=status, status_on=status_on, start=start, due=due,
                         targets=tuple(targets[:4]), latest_percent=pct, year=2023)
            assert (state, expected, actual, bool(late)) == (want.state, want.expected, want.percent, want.done_late), \
                (tid, status, start, due, pct, targets)

    in_a_rolled_back_ledger(ledger, check)

    in_a_rolled_back_ledger(ledger, check)


@SETTINGS
@given(ledger_st, st.sampled_from(["area", "unit", "leader"]))
@example(CURVES, "unit")  # whatever the generator draws, groups with covered tasks (not empty on both sides)
@example((CURVES[0], 120), "area")
def test_quarter_added_up_in_sql_as_in_python(ledger, example, by):
    """The quarter per group and the ranking, added up by the database, equal the Python tally of the
    same tasks judged by rules.judge — every figure, every total."""
    tasks, on = example

    def check(q):
        write_history(q, tasks)
        today = d(on)
        year, quarter = 2023, (min(max(today, dt.date(2023, 1, 1)), dt.date(2023, 12, 31)).month - 1) // 3 + 1
        as_of, first, _last = Q._quarter_dates(year, quarter, today, None)
        unit = q.scalar("SELECT min(id) FROM unit")
        area = q.scalar("SELECT id FROM area ORDER BY number LIMIT 1 OFFSET 1")
        for filters in (None, Filters(unit_id=unit), Filters(area_id=area), Filters(open_only=True)):
            sql_groups = Q._sql_groups(q, by, first, as_of, filters)
            py_groups = Q._python_groups(q, by, first, as_of, filters, None)
            assert sql_groups is not None
            assert {k: (o, n, t.figures(), t.mean_gap) for k, (o, n, t) in sql_groups.items()} == \
                   {k: (o, n, t.figures(), t.mean_gap) for k, (o, n, t) in py_groups.items()}, filters
        report = Q.quarter_report(q, year=year, quarter=quarter, by=by, as_of=today)
        facts_given = snapshot(q, as_of)  # the weekly file's way: the Python tally of a snapshot
        from_facts = Q.quarter_report(q, year=year, quarter=quarter, by=by, facts=facts_given, as_of=as_of)
        assert (report.rows, report.totals) == (from_facts.rows, from_facts.totals)

    in_a_rolled_back_ledger(ledger, check)


@SETTINGS
@given(ledger_st)
def test_state_counts_in_sql_as_in_python(ledger, example):
    """task list's footer: the states counted by the database equal the Python snapshot's."""
    from collections import Counter

    from taskctl.rules_sql import state_counts

    tasks, on = example

    def check(q):
        write_history(q, tasks)
        as_of = d(on)
        for filters in (Filters(), Filters(open_only=True), Filters(status="done")):
            want = Counter(f.state for f in snapshot(q, as_of, filters))
            assert state_counts(q, as_of, filters) == dict(want)

    in_a_rolled_back_ledger(ledger, check)
