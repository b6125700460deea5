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

from sqlalchemy import and_, func, null, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.orm import Session

from taskctl.models import Area, CloseRequest, Extension, Leader, Progress, Setting, StatusChange, Task, TaskTag, TaskUnit, Unit
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


def extension_in_force(as_of: dt.date, ext=Extension):
    """An extension is in force on D when granted on or before D and not withdrawn by D."""
    return and_(ext.on_date <= as_of, or_(ext.withdrawn_on.is_(None), ext.withdrawn_on > as_of))


CHUNK = 5000
FEW = 2000  # up to this many tasks are looked up by id; more, by reading the table


def for_tasks(session: Session, stmt, column, ids: list[int]):
    """Rows of ``stmt`` for the tasks ``ids``: a few through IN (...), many by reading the table once —
    100,000 ids in IN lists cost more to send and parse than the rows themselves."""
    if len(ids) <= FEW:
        for start in range(0, len(ids), CHUNK):
            yield from session.execute(stmt.where(column.in_(ids[start:start + CHUNK])))
        return
    wanted = set(ids)
    for row in session.execute(stmt):
        if row[0] in wanted:
            yield row


def dues_in_force(session: Session, on: dt.date, ids: list[int]) -> dict[int, tuple[dt.date, str | None, int]]:
    """(due, due text, extensions in force) on D for those of ``ids`` whose due date an extension moved.

    The one statement of the due date in force outside a snapshot (the writers: extending, withdrawing,
    importing); the same rule as the snapshot's SQL — the latest extension in force, by grant date then
    number — and a test holds the two equal.  A task missing here has its own ``due`` in force.
    """
    out: dict[int, tuple[dt.date, str | None, int]] = {}
    stmt = (select(Extension.task_id, Extension.new_due, Extension.new_due_text).where(extension_in_force(on))
            .order_by(Extension.task_id, Extension.on_date, Extension.id))
    for task_id, new_due, new_due_text in for_tasks(session, stmt, Extension.task_id, ids):
        count = out[task_id][2] + 1 if task_id in out else 1
        out[task_id] = (new_due, new_due_text, count)
    return out


def _filter_clauses(filters: Filters) -> list:
    clauses = []
    if filters.area_id is not None:
        clauses.append(Task.area_id == filters.area_id)
    if filters.unit_id is not None:
        co = select(TaskUnit.task_id).where(TaskUnit.unit_id == filters.unit_id)
        clauses.append(or_(Task.lead_unit_id == filters.unit_id, Task.id.in_(co)))
    if filters.leader_id is not None:
        clauses.append(Task.leader_id == filters.leader_id)
    if filters.tag:
        clauses.append(Task.id.in_(select(TaskTag.task_id).where(TaskTag.tag == filters.tag)))
    if filters.unassigned:
        clauses.append(Task.lead_unit_id.is_(None))
    if filters.task_ids is not None:
        clauses.append(Task.id.in_(filters.task_ids))
    return clauses


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


def snapshot(session: Session, as_of: dt.date, filters: Filters | None = None, *,
             detail: bool = True) -> list[TaskFacts]:
    """Every task matching ``filters`` with its facts and judgement as of ``as_of``, in area then id order.

    ``detail=False`` (figures only, as the quarter and the ranking read them): the latest update's note,
    problems and next steps are left out, and so are the co-operating units and tags — at 100,000 tasks
    they are most of the memory and a fifth of the time, and a count never reads them."""
    with gc_paused():
        return _snapshot(session, as_of, filters, detail)


def _snapshot(session: Session, as_of: dt.date, filters: Filters | None, detail: bool = True) -> list[TaskFacts]:
    filters = filters or Filters()
    year_setting = session.get(Setting, "year")
    year = int(year_setting.value) if year_setting else None
    t = Task
    latest_progress_id = (
        select(Progress.id)
        .where(Progress.task_id == t.id, Progress.on_date <= as_of)
        .order_by(Progress.on_date.desc(), Progress.id.desc())
        .limit(1)
        .correlate(t)
        .scalar_subquery()
    )
    latest_status_id = (
        select(StatusChange.id)
        .where(StatusChange.task_id == t.id, StatusChange.on_date <= as_of)
        .order_by(StatusChange.on_date.desc(), StatusChange.id.desc())
        .limit(1)
        .correlate(t)
        .scalar_subquery()
    )
    latest_extension_id = (
        select(Extension.id)
        .where(Extension.task_id == t.id, extension_in_force(as_of))
        .order_by(Extension.on_date.desc(), Extension.id.desc())
        .limit(1)
        .correlate(t)
        .scalar_subquery()
    )
    # investment done and stage reached: the latest *reported* value (an update that leaves them out
    # keeps the earlier figure)
    latest_invest = (
        select(Progress.invest_done)
        .where(Progress.task_id == t.id, Progress.on_date <= as_of, Progress.invest_done.is_not(None))
        .order_by(Progress.on_date.desc(), Progress.id.desc())
        .limit(1)
        .correlate(t)
        .scalar_subquery()
    )
    latest_stage = (
        select(Progress.stage)
        .where(Progress.task_id == t.id, Progress.on_date <= as_of, Progress.stage.is_not(None))
        .order_by(Progress.on_date.desc(), Progress.id.desc())
        .limit(1)
        .correlate(t)
        .scalar_subquery()
    )
    extension_count = (
        select(func.count(Extension.id))
        .where(Extension.task_id == t.id, extension_in_force(as_of))
        .correlate(t)
        .scalar_subquery()
    )
    close_pending = (
        select(func.count(CloseRequest.id))
        .where(CloseRequest.task_id == t.id, CloseRequest.on_date <= as_of,
               or_(CloseRequest.returned_on.is_(None), CloseRequest.returned_on > as_of))
        .correlate(t)
        .scalar_subquery()
    )
    p = aliased(Progress)
    s = aliased(StatusChange)
    x = aliased(Extension)
    stmt = (
        select(
            t.id, Area.key, Area.number, Area.name_zh, t.title, t.ref, Unit.name, t.lead_unit_id,
            Leader.name, t.leader_id, t.start, t.due, t.due_text, t.status, t.invest,
            t.target_q1, t.target_q2, t.target_q3, t.target_q4,
            p.on_date, p.percent, latest_invest, latest_stage,
            *((p.note, p.problems, p.next_steps) if detail else (null(), null(), null())),
            s.status, s.on_date, x.new_due, x.new_due_text, extension_count, close_pending,
        )
        .join(Area, Area.id == t.area_id)
        .outerjoin(Unit, Unit.id == t.lead_unit_id)
        .outerjoin(Leader, Leader.id == t.leader_id)
        .outerjoin(p, p.id == latest_progress_id)
        .outerjoin(s, s.id == latest_status_id)
        .outerjoin(x, x.id == latest_extension_id)
        .order_by(Area.number, t.id)
    )
    clauses = _filter_clauses(filters)
    status_now = func.coalesce(s.status, "active")
    due_now = func.coalesce(x.new_due, t.due)
    in_force = []  # conditions on what is in force on D (they need the joined rows, so not in `clauses`)
    if filters.open_only:
        in_force.append(status_now == "active")
    if filters.status:
        in_force.append(status_now == filters.status)
    if filters.due_from is not None:
        in_force.append(due_now >= filters.due_from)
    if filters.due_to is not None:
        in_force.append(due_now <= filters.due_to)
    if clauses or in_force:
        stmt = stmt.where(and_(*clauses, *in_force))

    facts: list[TaskFacts] = []
    # Core rows straight from the connection (the ORM's row loading adds a third to a 100,000-task
    # snapshot); flush first, as session.execute would, so that the command's own changes are seen.
    session.flush()
    # rows are read 5,000 at a time (not fetched all first): a second copy of 100,000 raw rows was a third
    # of a big report's peak memory; row by row (fetchone) cost a quarter more time
    for row in (r for part in session.connection().execute(stmt).partitions(5000) for r in part):
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
        facts.append(TaskFacts(
            id=tid, area_key=akey, area_number=anum, area_name=aname, title=title, ref=ref,
            lead_unit=lead, lead_unit_id=lead_id, leader=leader, leader_id=leader_id, start=start,
            original_due=due, original_due_text=due_text, due=due_now,
            due_text=(x_due_text or (x_due.isoformat() if x_due else None)) if x_due is not None else due_text,
            status=status, status_on=s_on, current_status=cur_status, invest=invest, targets=targets,
            extensions=n_ext or 0, last_update=p_on, latest_percent=p_pct, invest_done=p_inv, stage=p_stage,
            note=p_note, problems=p_prob, next_steps=p_next, judgement=judgement,
            close_requested=bool(n_close) and status == "active",
        ))
    if detail:
        _attach_lists(session, facts, clauses)
    return facts


_ID_LIST_LIMIT = 1000  # beyond this many tasks, select the lists by the snapshot's filters, not by a list of ids


def _attach_lists(session: Session, facts: list[TaskFacts], clauses: list | None = None) -> None:
    if not facts:
        return
    by_id = {f.id: f for f in facts}
    ids = list(by_id)
    co: dict[int, list[str]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    if len(ids) <= _ID_LIST_LIMIT or clauses is None:
        selections = [ids[i:i + 20000] for i in range(0, len(ids), 20000)]
    else:  # the tasks the main query selected (a superset of `facts`: status filters apply in Python)
        selections = [select(Task.id).where(and_(*clauses)) if clauses else None]
    conn = session.connection()
    for chosen in selections:
        co_stmt = (select(TaskUnit.task_id, Unit.name).join(Unit, Unit.id == TaskUnit.unit_id)
                   .order_by(TaskUnit.task_id, TaskUnit.position, Unit.name))
        tag_stmt = select(TaskTag.task_id, TaskTag.tag).order_by(TaskTag.task_id, TaskTag.tag)
        if chosen is not None:
            co_stmt = co_stmt.where(TaskUnit.task_id.in_(chosen))
            tag_stmt = tag_stmt.where(TaskTag.task_id.in_(chosen))
        for task_id, name in conn.execute(co_stmt).all():
            if task_id in by_id:
                co[task_id].append(name)
        for task_id, tag in conn.execute(tag_stmt).all():
            if task_id in by_id:
                tags[task_id].append(tag)
    for task_id, f in by_id.items():
        f.co_units = co.get(task_id, [])
        f.tags = tags.get(task_id, [])
