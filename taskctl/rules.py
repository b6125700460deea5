"""PRODUCT.md "Definitions", as pure functions of one task's facts on a date D.

Nothing here touches the database: ``taskctl.snapshot`` gathers the facts
(status, due date and latest update in force on D) and these decide the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

BEHIND_MARGIN = 10.0
STATES = ("cancelled", "paused", "done", "overdue", "not_started", "behind", "on_track")
LIGHTS = {"overdue": "red", "behind": "yellow", "not_started": "yellow", "on_track": "green", "done": "green"}


def quarter_ends(year: int) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    return (dt.date(year, 3, 31), dt.date(year, 6, 30), dt.date(year, 9, 30), dt.date(year, 12, 31))


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def expected_percent(
    *,
    as_of: dt.date,
    start: dt.date,
    due: dt.date | None,
    targets: Sequence[float | None] = (None, None, None, None),
    year: int | None = None,
) -> float | None:
    """序时进度: where the task should be on ``as_of``; None when it has no due date and no targets.

    With quarterly targets: piecewise linear through (start, 0) and the quarter
    ends of the ledger ``year`` (default: the start's year) at the cumulative
    targets — a task carried over from last year still follows this year's
    curve; otherwise linear from start to the due date in force.
    """
    if any(t is not None for t in targets):
        points = [(start, 0.0)]
        for end, target in zip(quarter_ends(year or start.year), targets):
            if target is not None and end > start:
                points.append((end, float(target)))
        if as_of <= start:
            return 0.0
        for (d0, v0), (d1, v1) in zip(points, points[1:]):
            if as_of <= d1:
                return _clamp(v0 + (v1 - v0) * (as_of - d0).days / (d1 - d0).days)
        return _clamp(points[-1][1])
    if due is None:
        return None
    if as_of <= start:
        return 0.0 if due > start else (100.0 if as_of >= due else 0.0)
    if due <= start:
        return 100.0
    return _clamp(100.0 * (as_of - start).days / (due - start).days)


@dataclass(frozen=True, slots=True)
class Judgement:
    state: str
    light: str | None
    done_late: bool
    percent: float | None  # actual: latest update, or 100 when done
    expected: float | None


def judge(
    *,
    as_of: dt.date,
    status: str,
    status_on: dt.date | None,
    start: dt.date,
    due: dt.date | None,
    targets: Sequence[float | None],
    latest_percent: float | None,
    year: int | None = None,
) -> Judgement:
    """The state and light of a task on ``as_of`` (the first rule that applies wins)."""
    expected = expected_percent(as_of=as_of, start=start, due=due, targets=targets, year=year)
    percent = 100.0 if status == "done" else latest_percent
    done_late = False
    if status == "cancelled":
        state = "cancelled"
    elif status == "paused":
        state = "paused"
    elif status == "done":
        state = "done"
        done_late = due is not None and status_on is not None and status_on > due
    elif due is not None and due < as_of:
        state = "overdue"
    elif latest_percent is None and expected is not None and expected > 0:
        state = "not_started"
    elif expected is not None and expected - (latest_percent or 0.0) > BEHIND_MARGIN:
        state = "behind"
    else:
        state = "on_track"
    return Judgement(state, LIGHTS.get(state), done_late, percent, expected)
