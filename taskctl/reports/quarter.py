"""The quarter report (季度进展) and the unit ranking (通报排名), per PRODUCT.md "Definitions".

Quarter Q is reported as of the earlier of Q's last day and today (or of a given
date, capped the same way).  It covers every task not cancelled on that date that
started by Q's end and was not done before Q's first day.  Counts are states on the
date; averages are per task, unweighted (no update counts as 0; expected averages
skip tasks without an expected percent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from taskctl.config import today as _today
from taskctl.dates import quarter_bounds
from taskctl.reader import reader_of
from taskctl.reports.model import C, Column, Msg, Report, round1
from taskctl.reports.common import check_choice
from taskctl.rules_sql import ACTUAL, DONE_LATE, SCALE, judged_sql, judging, scaled, scaled_sql, state_sql
from taskctl.snapshot import Filters, TaskFacts, each_fact, gc_paused, snapshot

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from taskctl.reader import Reader

BY = ("area", "unit", "leader")
STATE_COUNTS = ("done", "overdue", "behind", "on_track", "not_started", "paused")  # add up to `tasks`
STAT_KEYS = ("tasks", "done", "done_late", "overdue", "behind", "on_track", "not_started", "paused",
             "percent_actual", "percent_expected", "invest_planned", "invest_done", "extensions", "notices", "close_requested")
NONE_KEY = "none"  # the key of the group of tasks with no lead unit / no leader
UNIT_KIND_ORDER = {"county": 0, "zone": 1, "department": 2, "enterprise": 3, "soe": 4}
FLAGGED = 3  # 后三位


def quarter_as_of(year: int, quarter: int, today: dt.date) -> dt.date:
    """The date a quarter is reported as of: the earlier of its last day and today."""
    return min(quarter_bounds(year, quarter)[1], today)


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


def covered(f: TaskFacts, first: dt.date, as_of: dt.date) -> bool:
    """In the quarter report: not cancelled, started by Q's end — and by the as-of date, which is never
    later (a task assigned after D is not in the report of D) —, not done before Q's first day."""
    if f.state == "cancelled" or f.start > as_of:
        return False
    return not (f.status == "done" and f.status_on is not None and f.status_on < first)


def quarter_facts(source: Reader | Session, *, year: int, quarter: int, filters: Filters | None = None,
                  as_of: dt.date | None = None,
                  facts: list[TaskFacts] | None = None,
                  detail: bool = True) -> tuple[dt.date, dt.date, dt.date, list[TaskFacts]]:
    """(as_of, first day, last day, the covered tasks' facts) of quarter ``quarter`` of ``year``.

    ``facts``: the snapshot of the as-of date (inside the quarter) with the same filters, when the
    caller has taken it already (the weekly file builds every part from one snapshot); ``detail=False``:
    figures only (``snapshot``), for the reports that only count."""
    as_of, first, last = _quarter_dates(year, quarter, as_of, facts)
    facts = list(_covered(source, first, as_of, filters, facts, detail))
    return as_of, first, last, facts


def _covered(source, first: dt.date, as_of: dt.date, filters: Filters | None, facts: list[TaskFacts] | None,
             detail: bool = False) -> Iterator[TaskFacts]:
    """The covered tasks' facts on the as-of date, one at a time (figures only unless ``detail``)."""
    if facts is None:
        facts = snapshot(source, as_of, filters, detail=True) if detail else each_fact(source, as_of, filters)
    return (f for f in facts if covered(f, first, as_of))


def _quarter_dates(year: int, quarter: int, as_of: dt.date | None,
                   facts: list[TaskFacts] | None) -> tuple[dt.date, dt.date, dt.date]:
    first, last = quarter_bounds(year, quarter)
    asked = as_of
    as_of = quarter_as_of(year, quarter, as_of if as_of is not None else _today())
    if facts is not None and asked != as_of:
        raise ValueError("facts are the snapshot of a date inside the quarter")
    return as_of, first, last


def notice_counts(source, first: dt.date, as_of: dt.date) -> dict[int, int]:
    """Slips (督办单/催办单) issued per task from the quarter's first day to the as-of date (both included)."""
    return dict(reader_of(source).rows("SELECT task_id, count(id) FROM notice WHERE issued_on >= :first "
                                       "AND issued_on <= :last GROUP BY task_id", {"first": first, "last": as_of}))


class Tally:
    """The quarter figures of a set of tasks (a group, or all of them), added one task at a time: a
    report keeps one tally per group, not every task; ``notices`` is the slips issued per task id
    (``notice_counts``).

    Percents and amounts are added as integers of millionths (``rules_sql.scaled``), so a sum is exact and
    the same in any order — the database's sums (``sql_tallies``) give the very figures a Python tally
    gives."""

    __slots__ = ("notices", "counts", "actual", "expected", "n_expected", "planned", "invested", "extensions",
                 "slips", "close_requested", "gap", "n_gap")

    def __init__(self, notices: dict[int, int] | None = None) -> None:
        self.notices = notices or {}
        self.counts = dict.fromkeys(STAT_KEYS[:8], 0)
        self.actual = 0  # millionths of a percent, as every sum below
        self.expected = 0
        self.n_expected = 0
        self.planned: int | None = None
        self.invested: int | None = None
        self.extensions = self.slips = self.close_requested = 0
        self.gap = 0  # actual − expected, over the tasks with an expected percent (the ranking's criterion)
        self.n_gap = 0

    def add(self, f: TaskFacts) -> None:
        j = f.judgement
        counts = self.counts
        counts["tasks"] += 1
        counts[j.state] += 1
        if j.done_late:
            counts["done_late"] += 1
        actual = scaled(j.percent or 0.0)  # no update yet counts as 0
        self.actual += actual
        if j.expected is not None:
            expected = scaled(j.expected)
            self.expected += expected
            self.n_expected += 1
            self.gap += actual - expected
            self.n_gap += 1
        if f.invest is not None:
            self.planned = (self.planned or 0) + scaled(f.invest)
        if f.invest_done is not None:
            self.invested = (self.invested or 0) + scaled(f.invest_done)
        self.extensions += f.extensions
        self.slips += self.notices.get(f.id, 0)
        self.close_requested += f.close_requested  # 申请销号 awaiting the office

    def absorb(self, other: "Tally") -> None:
        """Add ``other``'s tasks (the whole from its groups: the sums are exact, so equal to adding each task)."""
        for key, n in other.counts.items():
            self.counts[key] += n
        self.actual += other.actual
        self.expected += other.expected
        self.n_expected += other.n_expected
        if other.planned is not None:
            self.planned = (self.planned or 0) + other.planned
        if other.invested is not None:
            self.invested = (self.invested or 0) + other.invested
        self.extensions += other.extensions
        self.slips += other.slips
        self.close_requested += other.close_requested
        self.gap += other.gap
        self.n_gap += other.n_gap

    def figures(self) -> dict[str, Any]:
        n = self.counts["tasks"]
        out: dict[str, Any] = dict(self.counts)
        out["percent_actual"] = round1(self.actual / SCALE / n) if n else None
        out["percent_expected"] = round1(self.expected / SCALE / self.n_expected) if self.n_expected else None
        out["invest_planned"] = round1(self.planned / SCALE) if self.planned is not None else None
        out["invest_done"] = round1(self.invested / SCALE) if self.invested is not None else None
        out["extensions"] = self.extensions
        out["notices"] = self.slips
        out["close_requested"] = self.close_requested
        return out

    @property
    def mean_gap(self) -> float | None:
        return self.gap / SCALE / self.n_gap if self.n_gap else None


def _group_sql(dialect: str, by: str, where: str) -> str:
    """The covered tasks of the quarter (:first to :d) judged and added up in the database, per group and
    state (the state is a grouping key, so it is computed once per task)."""
    act = scaled_sql(dialect, f"COALESCE({ACTUAL}, CAST(0.0 AS DOUBLE PRECISION))")
    key = {"area": "area_id", "unit": "lead_unit_id", "leader": "leader_id"}[by]
    columns = [f"{key} AS g", f"{state_sql()} AS state", "count(*)", f"sum(CASE WHEN {DONE_LATE} THEN 1 ELSE 0 END)",
               f"sum({act})", f"sum({scaled_sql(dialect, 'expected')})", "count(expected)",
               f"sum(CASE WHEN expected IS NOT NULL THEN {act} ELSE 0 END)",
               f"sum({scaled_sql(dialect, 'invest')})", f"sum({scaled_sql(dialect, 'invest_done')})",
               "sum(extensions)", "sum(notices)",
               "sum(CASE WHEN close_requests > 0 AND status = 'active' THEN 1 ELSE 0 END)"]
    return f"{judged_sql(dialect, where, covered=True)}SELECT {', '.join(columns)} FROM judged GROUP BY 1, 2"


def sql_tallies(q: Reader, *, by: str, first: dt.date, as_of: dt.date,
                filters: Filters | None) -> dict[int | None, Tally] | None:
    """The quarter's tallies per group id (area, lead unit or leader id; None for no unit / leader), judged
    and added up by the database — or None when only Python can judge:
    a ledger without a year (``rules_sql.judging``)."""
    found = judging(q, filters or Filters(), as_of=as_of, first=first)
    if found is None:
        return None
    where, params = found
    out: dict[int | None, Tally] = {}
    for g, state, *sums in q.rows(_group_sql(q.dialect, by, where), params):
        # PostgreSQL sums bigints as numeric: back to exact ints
        (n, done_late, actual, expected, n_expected, actual_with_expected, planned, invested, extensions, slips,
         close_requested) = (None if v is None else int(v) for v in sums)
        part = Tally()
        part.counts["tasks"] = part.counts[state] = n
        part.counts["done_late"] = done_late
        part.actual, part.expected, part.n_expected = actual, expected or 0, n_expected
        part.gap, part.n_gap = (actual_with_expected or 0) - (expected or 0), n_expected
        part.planned, part.invested = planned, invested
        part.extensions, part.slips, part.close_requested = extensions, slips, close_requested
        out.setdefault(g, Tally()).absorb(part)
    return out


def _group_of(by: str, kinds: dict[int, str]) -> Callable[[TaskFacts], tuple[tuple, str, str | None]]:
    """(sort order, key, name) of a task's group."""
    if by == "area":
        return lambda f: ((f.area_number,), f.area_key, f.area_name)
    if by == "unit":
        return lambda f: (((1,) if f.lead_unit_id is None else (0, UNIT_KIND_ORDER.get(kinds.get(f.lead_unit_id), 9),
                                                                  f.lead_unit_id)),
                          NONE_KEY if f.lead_unit_id is None else str(f.lead_unit_id), f.lead_unit)
    return lambda f: (((1,) if f.leader_id is None else (0, f.leader_id)),
                      NONE_KEY if f.leader_id is None else str(f.leader_id), f.leader)


def _unit_kinds(source) -> dict[int, str]:
    return dict(reader_of(source).rows("SELECT id, kind FROM unit"))


Groups = dict[str, tuple[tuple, "str | None", Tally]]  # key -> (sort order, name, tally)


def _python_groups(source, by: str, first: dt.date, as_of: dt.date, filters: Filters | None,
                   facts: list[TaskFacts] | None) -> Groups:
    """The groups' tallies, each covered task judged by ``rules.judge`` and added in Python."""
    group_of = _group_of(by, _unit_kinds(source) if by == "unit" else {})
    notices = notice_counts(source, first, as_of)
    groups: Groups = {}
    for f in _covered(source, first, as_of, filters, facts):
        order, key, name = group_of(f)
        group = groups.get(key)
        if group is None:
            group = groups[key] = (order, name, Tally(notices))
        group[2].add(f)
    return groups


def _sql_groups(source, by: str, first: dt.date, as_of: dt.date, filters: Filters | None) -> Groups | None:
    """The same groups judged and added up by the database (``sql_tallies``), or None where it cannot."""
    q = reader_of(source)
    tallies = sql_tallies(q, by=by, first=first, as_of=as_of, filters=filters)
    if tallies is None:
        return None
    if by == "area":
        info = {i: ((number,), key, name) for i, key, number, name in q.rows("SELECT id, key, number, name_zh FROM area")}
    elif by == "unit":
        info = {i: ((0, UNIT_KIND_ORDER.get(kind, 9), i), str(i), name)
                for i, name, kind in q.rows("SELECT id, name, kind FROM unit")}
    else:
        info = {i: ((0, i), str(i), name) for i, name in q.rows("SELECT id, name FROM leader")}
    info[None] = ((1,), NONE_KEY, None)
    groups: Groups = {}
    for group_id, tally in tallies.items():
        order, key, name = info[group_id]
        groups[key] = (order, name, tally)
    return groups


def _stat_columns(table: Sequence[str]) -> list[Column]:
    kinds = {"tasks": "int", "done": "int", "done_late": "int", "overdue": "int", "behind": "int", "on_track": "int",
             "not_started": "int", "paused": "int", "percent_actual": "percent", "percent_expected": "percent",
             "invest_planned": "money", "invest_done": "money", "extensions": "int", "notices": "int", "close_requested": "int"}
    drop = {"notices": 0, "done_late": 1, "extensions": 2, "invest_done": 3, "invest_planned": 4, "paused": 5,
            "percent_expected": 6}
    return [C(k, kinds[k], table=k in table, drop=drop.get(k)) for k in STAT_KEYS]


def _state_summary(totals: dict[str, Any]) -> Msg:
    parts: list[Msg | str] = []
    for key in STATE_COUNTS:
        parts += [" · "] * bool(parts) + [Msg("report.state_n", state=Msg("state." + key), n=totals[key])]
        if key == "done" and totals["done_late"]:
            parts.append(Msg("report.of_which_late", n=totals["done_late"]))
    return Msg.joined(*parts)


# ---------------------------------------------------------------- quarter

@gc_paused()
def quarter_report(source: Reader | Session, *, year: int, quarter: int, by: str = "area", filters: Filters | None = None,
                   as_of: dt.date | None = None, facts: list[TaskFacts] | None = None) -> Report:
    """季度进展 of quarter ``quarter`` of ``year`` per area, lead unit or leader, with totals.

    ``as_of`` defaults to today; either way it is capped at the quarter's last day.
    """
    check_choice(by, BY, "report.bad_by")
    as_of, first, last = _quarter_dates(year, quarter, as_of, facts)
    groups = _sql_groups(source, by, first, as_of, filters) if facts is None else None
    if groups is None:  # the snapshot given (the weekly file), or a ledger only Python can judge
        groups = _python_groups(source, by, first, as_of, filters, facts)
    whole = Tally()
    for _order, _name, tally in groups.values():
        whole.absorb(tally)
    rows = [{"key": key, "name": name, **tally.figures()}
            for key, (order, name, tally) in sorted(groups.items(), key=lambda kv: kv[1][0])]
    totals = whole.figures()

    columns = [C("key", table=False), C("name", "group", label=f"report.group_{by}")] + _stat_columns(STAT_KEYS)
    label = quarter_label(year, quarter)
    footer = (Msg("report.quarter_footer", tasks=totals["tasks"], summary=_state_summary(totals))
              if totals["tasks"] else Msg("report.quarter_none"))
    return Report(
        name="quarter",
        title=Msg("report.quarter_title", quarter=label, by=Msg(f"report.by_{by}"), as_of=as_of.isoformat()),
        columns=columns, rows=rows, as_of=as_of,
        meta={"quarter": label, "from": first, "to": last, "by": by, "totals": totals},
        footer=footer, totals={"key": "total", "name": None, **totals})


# ---------------------------------------------------------------- rank

def rank_order(row: dict[str, Any]) -> tuple:
    """PRODUCT.md's order: fewest overdue, fewest behind + not started, highest share done,
    highest average (actual − expected) — compared as shown, to one decimal."""
    gap = row["gap"] if row["gap"] is not None else 0.0
    return (row["overdue"], row["behind"] + row["not_started"], -Fraction(row["done"], row["tasks"]), -gap)


def assign_ranks(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sort, number (ties on all four criteria share a rank: 1, 1, 3) and flag the last three.

    With ties at the bottom every unit tied with the third-last is flagged; a unit ranked
    first is never flagged, and with three units or fewer no one is (nothing to single out).
    """
    rows.sort(key=lambda r: (rank_order(r), r["name"] or ""))
    previous = None
    for i, row in enumerate(rows):
        order = rank_order(row)
        if order != previous:
            rank = i + 1
            previous = order
        row["rank"] = rank
    threshold = rows[-FLAGGED]["rank"] if len(rows) > FLAGGED else None
    for row in rows:
        row["flagged"] = threshold is not None and row["rank"] > 1 and row["rank"] >= threshold
    return rows


@gc_paused()
def rank_report(source: Reader | Session, *, year: int, quarter: int, filters: Filters | None = None,
                as_of: dt.date | None = None) -> Report:
    """通报排名: lead units with at least one task in the quarter report, in PRODUCT.md's order."""
    as_of, first, last = _quarter_dates(year, quarter, as_of, None)
    groups = _sql_groups(source, "unit", first, as_of, filters)
    if groups is None:
        groups = _python_groups(source, "unit", first, as_of, filters, None)
    rows = []
    for key, (_order, name, tally) in groups.items():
        if key == NONE_KEY:  # tasks without a lead unit are in no unit's rank
            continue
        row: dict[str, Any] = {"rank": None, "key": key, "name": name, **tally.figures()}
        row["share_done"] = round1(100.0 * row["done"] / row["tasks"])
        row["gap"] = round1(tally.mean_gap)
        rows.append(row)
    assign_ranks(rows)

    table = ("tasks", "overdue", "behind", "not_started", "done", "percent_actual", "percent_expected")
    # on a narrow terminal the criteria stay longest: the progress bar goes first
    drop = {"percent_actual": 1, "percent_expected": 2, "tasks": 3, "done": 4}
    stat_columns = [replace(c, drop=drop.get(c.key)) for c in _stat_columns(table)]
    columns = ([C("rank", "int"), C("key", table=False), C("name", label="report.group_unit")]
               + [c for c in stat_columns if c.table]
               + [C("share_done", "percent", drop=6), C("gap", "number", drop=5), C("flagged", "flag")]
               + [c for c in stat_columns if not c.table])
    label = quarter_label(year, quarter)
    flagged = [r["name"] for r in rows if r["flagged"]]
    if rows:
        footer = Msg("report.rank_footer", n=len(rows))
        if flagged:
            footer += Msg("report.rank_flagged", names="、".join(flagged))
    else:
        footer = Msg("report.rank_none")
    return Report(name="rank", title=Msg("report.rank_title", quarter=label, as_of=as_of.isoformat()),
                  columns=columns, rows=rows, as_of=as_of, meta={"quarter": label, "from": first, "to": last},
                  footer=footer)
