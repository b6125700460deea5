"""``rules.py`` in SQL: a task's expected percent, state and light on D, judged by the database.

``rules.py`` stays the one statement of PRODUCT.md's Definitions; this is a second form of it for the
reports that only count (the quarter, the ranking), so that 100,000 tasks are judged and added up in
the database and not fetched one by one.  Each expression repeats ``rules.judge`` operation for
operation — the same IEEE double arithmetic in the same order on SQLite and PostgreSQL — and
``tests/test_rules_sql.py`` checks it against ``rules.judge`` over generated tasks on both backends
(hypothesis), value for value.

The expressions read the columns of ``judged_tasks``'s inner query: ``start``, ``due`` (in force on D),
``status`` (in force on D), ``status_on``, ``pct`` (the latest update's percent on D, or NULL),
``q1``..``q4`` (the task's quarterly targets), and the parameters ``:d`` (D) and ``:end1``..``:end4``
(the ledger year's quarter ends).
"""

from __future__ import annotations

import datetime as dt
import math

from taskctl.rules import BEHIND_MARGIN, quarter_ends

# Sums of figures are kept as integers of millionths (each value rounded once, half up): added up
# exactly, in any order, they give the same average whether Python or the database adds them.
SCALE = 1_000_000


def scaled(value: float) -> int:
    """``value`` (≥ 0) in millionths, rounded half up — as ``scaled_sql``."""
    return math.floor(value * SCALE + 0.5)


def _double(value: str) -> str:
    return f"CAST({value} AS DOUBLE PRECISION)"


def scaled_sql(dialect: str, expr: str) -> str:
    """``expr`` (≥ 0) in millionths, rounded half up, as an integer: SQLite's CAST truncates, which for a
    value ≥ 0 is the floor (SQLite's floor() is an optional build feature)."""
    inner = f"({expr}) * {_double(str(SCALE))} + {_double('0.5')}"
    if dialect == "sqlite":
        return f"CAST({inner} AS INTEGER)"
    return f"CAST(floor({inner}) AS BIGINT)"


def days(dialect: str, a: str, b: str) -> str:
    """Whole days from date ``b`` to date ``a`` (Python's ``(a - b).days``), as a number."""
    if dialect == "sqlite":
        return f"(julianday({a}) - julianday({b}))"
    return f"({a} - {b})"


def _clamp(v: str) -> str:
    return (f"(CASE WHEN {v} < {_double('0.0')} THEN {_double('0.0')} "
            f"WHEN {v} > {_double('100.0')} THEN {_double('100.0')} ELSE {v} END)")


def _interpolate(dialect: str, d0: str, v0: str, d1: str, v1: str) -> str:
    # rules.expected_percent: _clamp(v0 + (v1 - v0) * (as_of - d0).days / (d1 - d0).days)
    return _clamp(f"({v0} + ({v1} - {v0}) * {days(dialect, ':d', d0)} / {days(dialect, d1, d0)})")


def expected_sql(dialect: str) -> str:
    """序时进度 on :d (``rules.expected_percent``), or NULL."""
    zero = _double("0.0")
    valid = {k: f"(q{k} IS NOT NULL AND :end{k} > start)" for k in range(1, 5)}  # a point of the curve
    any_target = "(q1 IS NOT NULL OR q2 IS NOT NULL OR q3 IS NOT NULL OR q4 IS NOT NULL)"
    branches = []
    for k in range(1, 5):  # the first point at or after D closes the segment D lies on
        previous = " ".join(f"WHEN {valid[j]} THEN {_interpolate(dialect, f':end{j}', f'q{j}', f':end{k}', f'q{k}')}"
                            for j in range(k - 1, 0, -1))
        segment = (f"CASE {previous} ELSE {_interpolate(dialect, 'start', zero, f':end{k}', f'q{k}')} END"
                   if previous else _interpolate(dialect, "start", zero, f":end{k}", f"q{k}"))
        branches.append(f"WHEN {valid[k]} AND :d <= :end{k} THEN {segment}")
    past_all = " ".join(f"WHEN {valid[k]} THEN {_clamp(f'q{k}')}" for k in range(4, 0, -1))
    with_targets = f"(CASE WHEN :d <= start THEN {zero} {' '.join(branches)} {past_all} ELSE {zero} END)"
    hundred = _double("100.0")
    # rules: _clamp(100.0 * (as_of - start).days / (due - start).days)
    share = _clamp(f"{hundred} * {days(dialect, ':d', 'start')} / {days(dialect, 'due', 'start')}")
    linear = (f"(CASE WHEN due IS NULL THEN NULL "
              f"WHEN :d <= start THEN (CASE WHEN due > start THEN {zero} WHEN :d >= due THEN {hundred} ELSE {zero} END) "
              f"WHEN due <= start THEN {hundred} ELSE {share} END)")
    return f"(CASE WHEN {any_target} THEN {with_targets} ELSE {linear} END)"


def state_sql(expected: str = "expected") -> str:
    """The state on :d (``rules.judge``: the first rule that applies wins)."""
    return (f"(CASE WHEN status = 'cancelled' THEN 'cancelled' WHEN status = 'paused' THEN 'paused' "
            f"WHEN status = 'done' THEN 'done' "
            f"WHEN due IS NOT NULL AND due < :d THEN 'overdue' "
            f"WHEN pct IS NULL AND {expected} IS NOT NULL AND {expected} > {_double('0.0')} THEN 'not_started' "
            f"WHEN {expected} IS NOT NULL AND {expected} - COALESCE(pct, {_double('0.0')}) > "
            f"{_double(repr(float(BEHIND_MARGIN)))} THEN 'behind' "
            f"ELSE 'on_track' END)")


DONE_LATE = "(status = 'done' AND due IS NOT NULL AND status_on IS NOT NULL AND status_on > due)"
ACTUAL = f"(CASE WHEN status = 'done' THEN {_double('100.0')} ELSE pct END)"  # the judgement's percent


COVERED = ("status <> 'cancelled' AND start <= :d "
           "AND NOT (status = 'done' AND status_on IS NOT NULL AND status_on < :first)")  # quarter.covered


def judged_sql(dialect: str, where: str, *, covered: bool = False) -> str:
    """A WITH clause defining ``judged``: every task the snapshot of :d with ``where`` (``snapshot._where``)
    holds — only those the quarter from :first covers when ``covered`` — with the columns of
    ``snapshot.FIGURES_SQL`` (the figures in force, the task's own, the slips issued from :first to :d)
    and ``expected``.  Its state is ``state_sql()`` over it.

    MATERIALIZED: the expected percent is read by several sums and by the state; a planner that inlined
    it would compute it once per reference (SQLite did: 1.0 s instead of 0.45 s at 100,000 tasks).  The
    state is computed once per task as a GROUP BY key (``quarter.sql_tallies``)."""
    from taskctl.snapshot import FIGURES_SQL

    return (f"WITH judged AS MATERIALIZED (SELECT k.*, {expected_sql(dialect)} AS expected "
            f"FROM ({FIGURES_SQL.format(where=where)}) k{' WHERE ' + COVERED if covered else ''}) ")


def quarter_end_params(year: int) -> dict[str, dt.date]:
    return {f"end{k}": end for k, end in enumerate(quarter_ends(year), start=1)}


def judging(q, filters, *, as_of: dt.date, first: dt.date) -> tuple[str, dict] | None:
    """(the WHERE for ``judged_sql``, its parameters with :d, :first and the quarter ends) to judge the
    snapshot of ``as_of`` with ``filters`` in SQL — or None when only Python can judge: a ledger without a
    year (``rules.judge`` then follows each task's own start year)."""
    from taskctl.names import setting
    from taskctl.snapshot import _where

    year_text = setting(q, "year")
    if not year_text:
        return None
    where, _clauses, _task_params, params = _where(filters)
    return where, {**params, **quarter_end_params(int(year_text)), "d": as_of, "first": first}


def state_counts(q, as_of: dt.date, filters) -> dict[str, int] | None:
    """How many tasks the snapshot of ``as_of`` with ``filters`` holds in each state, counted by the
    database; None when only Python can judge (``judging``)."""
    found = judging(q, filters, as_of=as_of, first=as_of)
    if found is None:
        return None
    where, params = found
    sql = f"{judged_sql(q.dialect, where)}SELECT {state_sql()}, count(*) FROM judged GROUP BY 1"
    return {state: int(n) for state, n in q.rows(sql, params)}
