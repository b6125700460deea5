"""The ledger as of a date: one query gathers, per task, the facts in force on D.

Status, due date and latest update come from correlated subqueries on the
dated tables (indexed on task and date), so a report reads one row per task
and never loads every update.  The same SQL runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from taskctl.reader import Reader, in_chunks, reader_of
from taskctl.rules import Judgement, judge


@dataclass
class Filters:
    """The filters every list and report takes (ids already resolved)."""

    area_id: int | None = None
    unit_id: int | None = None  # lead or co-operating
    leader_id: int | None = None
    status: str | None = None  # status in force on D
    tag: str | None = None
    open_only: bool = False
    unassigned: bool = False
    task_ids: list[int] | None = None
    # the due date in force on D within [due_from, due_to]: lets overdue and due-soon
    # select their few rows in SQL instead of judging every task
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    started_by: dt.date | None = None  # the task's start on or before this day


@dataclass(slots=True)  # 100,000 of them in a provincial report: no per-object __dict__
class TaskFacts:
    id: int
    area_key: str
    area_number: int
    area_name: str
    title: str
    ref: str | None
    lead_unit: str | None
    lead_unit_id: int | None
    leader: str | None
    leader_id: int | None
    start: dt.date
    original_due: dt.date | None
    original_due_text: str | None
    due: dt.date | None  # in force on D
    due_text: str | None
    status: str  # in force on D
    status_on: dt.date | None
    current_status: str
    invest: float | None
    targets: tuple[float | None, float | None, float | None, float | None]
    extensions: int  # granted on or before D
    last_update: dt.date | None
    latest_percent: float | None
    invest_done: float | None
    stage: str | None
    note: str | None
    problems: str | None
    next_steps: str | None
    judgement: Judgement
    co_units: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    close_requested: bool = False  # 申请销号 pending on D: requested, not returned, task still active

    @property
    def state(self) -> str:
        return self.judgement.state

    @property
    def light(self) -> str | None:
        return self.judgement.light

    @property
    def percent(self) -> float | None:
        return self.judgement.percent

    @property
    def expected(self) -> float | None:
        return self.judgement.expected


# An extension is in force on D when granted on or before D and not withdrawn by D (alias e).
EXTENSION_IN_FORCE = "e.on_date <= :d AND (e.withdrawn_on IS NULL OR e.withdrawn_on > :d)"

CHUNK = 5000
FEW = 2000  # up to this many tasks are looked up by id; more, by reading the table


def for_tasks(session, stmt, column, ids: list[int]):
    """Rows of the SQLAlchemy ``stmt`` for the tasks ``ids``: a few through IN (...), many by reading the
    table once — 100,000 ids in IN lists cost more to send and parse than the rows themselves."""
    if len(ids) <= FEW:
        for start in range(0, len(ids), CHUNK):
            yield from session.execute(stmt.where(column.in_(ids[start:start + CHUNK])))
        return
    wanted = set(ids)
    for row in session.execute(stmt):
        if row[0] in wanted:
            yield row


def dues_in_force(source, on: dt.date, ids: list[int]) -> dict[int, tuple[dt.date, str | None, int]]:
    """(due, due text, extensions in force) on D for those of ``ids`` whose due date an extension moved.

    The one statement of the due date in force outside a snapshot (the writers: extending, withdrawing,
    importing); the same rule as the snapshot's SQL — the latest extension in force, by grant date then
    number — and a test holds the two equal.  A task missing here has its own ``due`` in force.
    """
    q = reader_of(source)
    out: dict[int, tuple[dt.date, str | None, int]] = {}
    sql = ("SELECT e.task_id, e.new_due, e.new_due_text FROM extension e WHERE " + EXTENSION_IN_FORCE + "{ids} "
           "ORDER BY e.task_id, e.on_date, e.id")
    if len(ids) <= FEW:
        parts = [(sql.format(ids=" AND e.task_id IN (:ids)"), {"d": on, "ids": list(chunk)})
                 for chunk in in_chunks(ids, CHUNK)]
        wanted = None
    else:
        parts = [(sql.format(ids=""), {"d": on})]
        wanted = set(ids)
    for text, params in parts:
        for task_id, new_due, new_due_text in q.rows(text, params, dates=(1,)):
            if wanted is not None and task_id not in wanted:
                continue
            count = out[task_id][2] + 1 if task_id in out else 1
            out[task_id] = (new_due, new_due_text, count)
    return out


def _filter_clauses(filters: Filters) -> tuple[list[str], dict]:
    """The filters on the task itself, as SQL on the alias ``t`` with their parameters."""
    clauses: list[str] = []
    params: dict = {}
    if filters.area_id is not None:
        clauses.append("t.area_id = :f_area")
        params["f_area"] = filters.area_id
    if filters.unit_id is not None:
        clauses.append("(t.lead_unit_id = :f_unit OR t.id IN (SELECT tu.task_id FROM task_unit tu "
                       "WHERE tu.unit_id = :f_unit))")
        params["f_unit"] = filters.unit_id
    if filters.leader_id is not None:
        clauses.append("t.leader_id = :f_leader")
        params["f_leader"] = filters.leader_id
    if filters.tag:
        clauses.append("t.id IN (SELECT tt.task_id FROM task_tag tt WHERE tt.tag = :f_tag)")
        params["f_tag"] = filters.tag
    if filters.unassigned:
        clauses.append("t.lead_unit_id IS NULL")
    if filters.task_ids is not None:
        clauses.append("t.id IN (:f_ids)")
        params["f_ids"] = list(filters.task_ids)
    if filters.started_by is not None:
        clauses.append("t.start <= :f_started")
        params["f_started"] = filters.started_by
    return clauses, params


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Building 100,000 rows creates no garbage cycles, yet triggers the cyclic collector over and over
    (each pass walks every object alive): pausing it halves a big snapshot."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def snapshot(source, as_of: dt.date, filters: Filters | None = None, *, detail: bool = True) -> list[TaskFacts]:
    """Every task matching ``filters`` with its facts and judgement as of ``as_of``, in area then id order.

    ``source`` is a ``Reader`` or an ORM session (read on its own connection, after a flush).
    ``detail=False`` (figures only, as the quarter and the ranking read them): the latest update's note,
    problems and next steps are left out, and so are the co-operating units and tags — at 100,000 tasks
    they are most of the memory and a fifth of the time, and a count never reads them."""
    with gc_paused():
        q = reader_of(source)
        filters = filters or Filters()
        facts = list(_facts(q, as_of, filters, detail))
        if detail:
            where, clauses, task_params, params = _where(filters)
            _attach_lists(q, facts, (clauses, task_params))
        return facts


def each_fact(source, as_of: dt.date, filters: Filters | None = None) -> Iterator[TaskFacts]:
    """The figures-only snapshot (``detail=False``) one task at a time: a report that only counts keeps a
    tally per group, not 100,000 tasks (pause the collector around it: ``gc_paused``)."""
    return _facts(reader_of(source), as_of, filters or Filters(), False)


def _latest(table: str, alias: str, where: str, column: str = "id") -> str:
    """The correlated subquery of the task's latest row of ``table`` on or before D (by date, then id)."""
    return (f"(SELECT {alias}.{column} FROM {table} {alias} WHERE {alias}.task_id = t.id AND {where} "
            f"ORDER BY {alias}.on_date DESC, {alias}.id DESC LIMIT 1)")


# A task's kept facts (task_fact, alias f) are those in force on D when nothing of it changed after D
# (taskctl.facts); the others — and a task without a row — are replayed from the dated tables.
FRESH = "(f.task_id IS NOT NULL AND (f.changed_on IS NULL OR f.changed_on <= :d))"


def _kept_or(kept: str, replayed: str) -> str:
    """The kept fact ``kept`` of a fresh task, else ``replayed`` (evaluated only for the others)."""
    return f"(CASE WHEN {FRESH} THEN {kept} ELSE {replayed} END)"


# The kept facts, then the status and the extension in force on D replayed (aliases s and x, joined only
# for a task changed after D), which the in-force filters read through STATUS_NOW and NEW_DUE
_IN_FORCE = ("LEFT JOIN task_fact f ON f.task_id = t.id "
             "LEFT JOIN status_change s ON s.id = " + _kept_or("NULL", _latest("status_change", "ss", "ss.on_date <= :d"))
             + " LEFT JOIN extension x ON x.id = " + _kept_or("NULL", _latest("extension", "e", EXTENSION_IN_FORCE))
             + " ")
STATUS_NOW = _kept_or("f.status", "s.status")
NEW_DUE = _kept_or("f.due", "x.new_due")
STATUS_ON_NOW = _kept_or("f.status_on", "s.on_date")
PERCENT_NOW = _kept_or("f.percent", "p.percent")  # the latest update's (alias p: replayed)
# investment done: the latest *reported* value (an update that leaves it out keeps the earlier figure)
INVEST_DONE_NOW = _kept_or("f.invest_done", _latest("progress", "pi", "pi.on_date <= :d AND pi.invest_done IS NOT NULL",
                                                    "invest_done"))
EXTENSIONS_NOW = _kept_or("f.extensions", "(SELECT count(e.id) FROM extension e WHERE e.task_id = t.id AND "
                          + EXTENSION_IN_FORCE + ")")
CLOSE_REQUESTS_NOW = _kept_or("f.close_requests", "(SELECT count(c.id) FROM close_request c WHERE c.task_id = t.id "
                              "AND c.on_date <= :d AND (c.returned_on IS NULL OR c.returned_on > :d))")
# The facts in force on D (:d) for every task: one row each, read by index in _facts.  {progress} is the
# kept latest update's id when its note is read (detail), else NULL: a fresh task joins no update.
SNAPSHOT_SQL = (
    "SELECT t.id, a.key, a.number, a.name_zh, t.title, t.ref, u.name, t.lead_unit_id, l.name, t.leader_id, "
    "t.start, t.due, t.due_text, t.status, t.invest, t.target_q1, t.target_q2, t.target_q3, t.target_q4, "
    + _kept_or("f.last_update", "p.on_date") + ", " + PERCENT_NOW + ", "
    + INVEST_DONE_NOW + ", "  # and the stage reached: the latest reported too
    + _kept_or("f.stage", _latest("progress", "ps", "ps.on_date <= :d AND ps.stage IS NOT NULL", "stage")) + ", "
    "{detail}, " + STATUS_NOW + ", " + STATUS_ON_NOW + ", " + NEW_DUE + ", "
    + _kept_or("f.due_text", "x.new_due_text") + ", "
    + EXTENSIONS_NOW + ", "
    + CLOSE_REQUESTS_NOW + " "
    "FROM task t JOIN area a ON a.id = t.area_id "
    "LEFT JOIN unit u ON u.id = t.lead_unit_id "
    "LEFT JOIN leader l ON l.id = t.leader_id "
    + _IN_FORCE
    + "LEFT JOIN progress p ON p.id = " + _kept_or("{progress}", _latest("progress", "pp", "pp.on_date <= :d")) + " "
    "{where}ORDER BY a.number, t.id"
)
# The figures in force on D for every task, by column name, for SQL that judges them (taskctl.rules_sql):
# the same facts as SNAPSHOT_SQL's, without names, titles or notes; :first starts the slips counted.
FIGURES_SQL = (
    "SELECT t.id AS id, t.area_id AS area_id, t.lead_unit_id AS lead_unit_id, t.leader_id AS leader_id, "
    "t.start AS start, t.invest AS invest, t.target_q1 AS q1, t.target_q2 AS q2, t.target_q3 AS q3, "
    "t.target_q4 AS q4, COALESCE(" + STATUS_NOW + ", 'active') AS status, "
    + STATUS_ON_NOW + " AS status_on, COALESCE(" + NEW_DUE + ", t.due) AS due, "
    + _kept_or("f.percent", _latest("progress", "pp", "pp.on_date <= :d", "percent")) + " AS pct, "
    + INVEST_DONE_NOW + " AS invest_done, "
    + EXTENSIONS_NOW + " AS extensions, "
    + CLOSE_REQUESTS_NOW + " AS close_requests, "
    "(SELECT count(n.id) FROM notice n WHERE n.task_id = t.id AND n.issued_on >= :first AND n.issued_on <= :d) "
    "AS notices "
    # the replayed percent is a subquery, not a join: PostgreSQL hashed all of progress for the join
    "FROM task t " + _IN_FORCE + "{where}"
)
# The tasks the same filters select, each with its due date in force on D, soonest first: the few rows a
# table shows are chosen here (overdue, due soon), and only they are read whole.
DUE_ORDER_SQL = ("SELECT t.id, COALESCE(" + NEW_DUE + ", t.due) AS due_now FROM task t " + _IN_FORCE
                 + "{where}ORDER BY due_now, t.id")
# ... and each with what its silence is counted from: its start, the day its status in force began, its
# latest update on or before D (the stale list's candidates)
LAST_REPORT_SQL = ("SELECT t.id, t.lead_unit_id, t.start, " + STATUS_ON_NOW + ", "
                   + _kept_or("f.last_update", "(SELECT max(pd.on_date) FROM progress pd WHERE pd.task_id = t.id "
                                               "AND pd.on_date <= :d)")
                   + " FROM task t " + _IN_FORCE + "{where}ORDER BY t.id")
_DETAIL = "p.note, p.problems, p.next_steps"
_NO_DETAIL = "NULL, NULL, NULL"
_DATES = (10, 11, 19, 27, 28)  # start, due, latest update, status date, extended due


def _where(filters: Filters) -> tuple[str, list[str], dict, dict]:
    """(the WHERE of the snapshot's SQL, the clauses on the task itself and their parameters, all the
    parameters but :d)."""
    clauses, task_params = _filter_clauses(filters)
    params = dict(task_params)
    in_force = []  # conditions on what is in force on D (they need the joined rows, so not in `clauses`)
    if filters.open_only:
        in_force.append("COALESCE(" + STATUS_NOW + ", 'active') = 'active'")
    if filters.status:
        in_force.append("COALESCE(" + STATUS_NOW + ", 'active') = :f_status")
        params["f_status"] = filters.status
    if filters.due_from is not None:
        in_force.append("COALESCE(" + NEW_DUE + ", t.due) >= :f_due_from")
        params["f_due_from"] = filters.due_from
    if filters.due_to is not None:
        in_force.append("COALESCE(" + NEW_DUE + ", t.due) <= :f_due_to")
        params["f_due_to"] = filters.due_to
    where = "WHERE " + " AND ".join(clauses + in_force) + " " if clauses or in_force else ""
    return where, clauses, task_params, params


def due_order(source, as_of: dt.date, filters: Filters) -> list[tuple[int, dt.date | None]]:
    """(id, due date in force on D) of every task the snapshot of D with ``filters`` would hold, by that
    due date then id — a light query (no update, unit or area is read) for a table that shows the first
    few: ``snapshot(..., Filters(task_ids=…))`` then reads those whole."""
    where, _clauses, _task_params, params = _where(filters)
    return reader_of(source).rows(DUE_ORDER_SQL.format(where=where), {**params, "d": as_of}, dates=(1,))


def last_reports(source, as_of: dt.date, filters: Filters) -> list[tuple[int, int | None, dt.date, dt.date | None,
                                                                         dt.date | None]]:
    """(id, lead unit id, start, date of the status in force, latest update on or before D) of every task
    the snapshot of D with ``filters`` would hold, by id: a light query for the stale list."""
    where, _clauses, _task_params, params = _where(filters)
    return reader_of(source).rows(LAST_REPORT_SQL.format(where=where), {**params, "d": as_of}, dates=(2, 3, 4))


def first_ids(source, as_of: dt.date, filters: Filters, n: int) -> list[int]:
    """The ids of the first ``n`` tasks the snapshot of D with ``filters`` would hold, in its order (area,
    then id): a light query for a list that shows its first rows."""
    where, _clauses, _task_params, params = _where(filters)
    return reader_of(source).column("SELECT t.id FROM task t JOIN area a ON a.id = t.area_id " + _IN_FORCE + where
                                    + "ORDER BY a.number, t.id LIMIT :n", {**params, "d": as_of, "n": n})


def few(first: int | None) -> int | None:
    """``first`` when a report may build only its first rows by listing their ids (up to ``FEW``); else
    None — that many rows are built the ordinary way (a list of 40,000 ids is no lighter than the table)."""
    return first if first is not None and first <= FEW else None


def _facts(q: Reader, as_of: dt.date, filters: Filters, detail: bool) -> Iterator[TaskFacts]:
    from taskctl.names import setting

    year_text = setting(q, "year")
    year = int(year_text) if year_text else None  # judge() then follows each task's own start year
    where, _clauses, _task_params, params = _where(filters)
    sql = SNAPSHOT_SQL.format(detail=_DETAIL if detail else _NO_DETAIL, progress="f.progress_id" if detail else "NULL",
                              where=where)
    # rows are read 5,000 at a time (not fetched all first): a second copy of 100,000 raw rows was a third
    # of a big report's peak memory; row by row (fetchone) cost a quarter more time
    for row in (r for part in q.batches(sql, {**params, "d": as_of}, dates=_DATES) for r in part):
        (tid, akey, anum, aname, title, ref, lead, lead_id, leader, leader_id, start, due, due_text, cur_status,
         invest, q1, q2, q3, q4, p_on, p_pct, p_inv, p_stage, p_note, p_prob, p_next,
         s_status, s_on, x_due, x_due_text, n_ext, n_close) = row
        status = s_status or "active"
        if filters.status and status != filters.status:
            continue
        if filters.open_only and status != "active":
            continue
        due_now = x_due if x_due is not None else due
        targets = (q1, q2, q3, q4)
        judgement = judge(as_of=as_of, status=status, status_on=s_on, start=start, due=due_now,
                          targets=targets, latest_percent=p_pct, year=year)
        yield TaskFacts(
            id=tid, area_key=akey, area_number=anum, area_name=aname, title=title, ref=ref,
            lead_unit=lead, lead_unit_id=lead_id, leader=leader, leader_id=leader_id, start=start,
            original_due=due, original_due_text=due_text, due=due_now,
            due_text=(x_due_text or (x_due.isoformat() if x_due else None)) if x_due is not None else due_text,
            status=status, status_on=s_on, current_status=cur_status, invest=invest, targets=targets,
            extensions=n_ext or 0, last_update=p_on, latest_percent=p_pct, invest_done=p_inv, stage=p_stage,
            note=p_note, problems=p_prob, next_steps=p_next, judgement=judgement,
            close_requested=bool(n_close) and status == "active",
        )


_ID_LIST_LIMIT = 1000  # beyond this many tasks, select the lists by the snapshot's filters, not by a list of ids


def _attach_lists(q: Reader, facts: list[TaskFacts], chosen_by: tuple[list[str], dict] | None = None) -> None:
    if not facts:
        return
    by_id = {f.id: f for f in facts}
    ids = list(by_id)
    co: dict[int, list[str]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    co_sql = ("SELECT tu.task_id, u.name FROM task_unit tu JOIN unit u ON u.id = tu.unit_id {where}"
              "ORDER BY tu.task_id, tu.position, u.name")
    tag_sql = "SELECT tt.task_id, tt.tag FROM task_tag tt {where}ORDER BY tt.task_id, tt.tag"
    if len(ids) <= _ID_LIST_LIMIT or chosen_by is None:
        selections = [("WHERE {col} IN (:ids) ", {"ids": ids[i:i + 20000]}) for i in range(0, len(ids), 20000)]
    else:  # the tasks the main query selected (a superset of `facts`: status filters apply in Python)
        clauses, params = chosen_by
        selections = [("WHERE {col} IN (SELECT t.id FROM task t WHERE " + " AND ".join(clauses) + ") ", params)
                      if clauses else ("", {})]
    for where, params in selections:
        for task_id, name in q.rows(co_sql.format(where=where.format(col="tu.task_id")), params):
            if task_id in by_id:
                co[task_id].append(name)
        for task_id, tag in q.rows(tag_sql.format(where=where.format(col="tt.task_id")), params):
            if task_id in by_id:
                tags[task_id].append(tag)
    for task_id, f in by_id.items():
        f.co_units = co.get(task_id, [])
        f.tags = tags.get(task_id, [])
