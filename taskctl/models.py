"""The ledger's tables (SQLModel).

Dated history — progress updates, status changes, extensions, instructions —
lives in its own tables so that any report can be replayed as of a date.
``Task.status`` and ``Task.due`` are the *current* status and the *original*
due date; reports never read ``status`` but replay ``StatusChange`` rows.
Schema changes go through an Alembic revision in ``taskctl/migrations``.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

UNIT_KINDS = ("county", "zone", "department", "enterprise", "soe")
STATUSES = ("active", "done", "paused", "cancelled")
STAGES = ("started", "building", "producing", "effective")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class Setting(SQLModel, table=True):
    __tablename__ = "setting"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=400)


class Area(SQLModel, table=True):
    __tablename__ = "area"
    id: Optional[int] = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    key: str = Field(unique=True, max_length=40)
    name_zh: str = Field(unique=True, max_length=100)
    name_en: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Unit(SQLModel, table=True):
    __tablename__ = "unit"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=100)
    kind: str = Field(max_length=20)
    contact_person: Optional[str] = Field(default=None, max_length=100)
    contact_phone: Optional[str] = Field(default=None, max_length=50)
    report_rule: Optional[str] = Field(default=None, max_length=200)  # RRULE: default duty of its tasks


class UnitAlias(SQLModel, table=True):
    __tablename__ = "unit_alias"
    id: Optional[int] = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True, ondelete="CASCADE")
    alias: str = Field(unique=True, max_length=100)


class Leader(SQLModel, table=True):
    __tablename__ = "leader"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=100)
    title: Optional[str] = Field(default=None, max_length=200)


class LeaderAlias(SQLModel, table=True):
    """A former name of a leader (kept when two leader records are merged)."""

    __tablename__ = "leader_alias"
    id: Optional[int] = Field(default=None, primary_key=True)
    leader_id: int = Field(foreign_key="leader.id", index=True, ondelete="CASCADE")
    alias: str = Field(unique=True, max_length=100)


class Task(SQLModel, table=True):
    __tablename__ = "task"
    id: Optional[int] = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    title: str = Field(max_length=500)
    detail: Optional[str] = Field(default=None, sa_column=Column(Text))
    lead_unit_id: Optional[int] = Field(default=None, foreign_key="unit.id", index=True)
    leader_id: Optional[int] = Field(default=None, foreign_key="leader.id", index=True)
    start: dt.date
    due: Optional[dt.date] = None  # the original due date; extensions move it
    due_text: Optional[str] = Field(default=None, max_length=100)
    status: str = Field(default="active", max_length=20, index=True)
    invest: Optional[float] = None  # planned investment, 万元
    target_q1: Optional[float] = None
    target_q2: Optional[float] = None
    target_q3: Optional[float] = None
    target_q4: Optional[float] = None
    works_start: Optional[dt.date] = None  # planned 开工
    production: Optional[dt.date] = None  # planned 投产
    ref: Optional[str] = Field(default=None, max_length=50)
    source: Optional[str] = Field(default=None, max_length=200)
    report_rule: Optional[str] = Field(default=None, max_length=200)  # RRULE of the reporting duty (taskctl.duties)
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now)


class TaskUnit(SQLModel, table=True):
    """A co-operating unit (配合单位) of a task."""

    __tablename__ = "task_unit"
    task_id: int = Field(foreign_key="task.id", primary_key=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)
    position: int = 0


class TaskTag(SQLModel, table=True):
    __tablename__ = "task_tag"
    task_id: int = Field(foreign_key="task.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True, max_length=50, index=True)


class StatusChange(SQLModel, table=True):
    __tablename__ = "status_change"
    __table_args__ = (Index("ix_status_change_task_on", "task_id", "on_date"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE")
    status: str = Field(max_length=20)  # the status in force from `on_date`
    on_date: dt.date
    note: Optional[str] = Field(default=None, sa_column=Column(Text))
    recorded_by: str = Field(default="", max_length=100)
    recorded_at: dt.datetime = Field(default_factory=_now)


class Extension(SQLModel, table=True):
    __tablename__ = "extension"
    __table_args__ = (Index("ix_extension_task_on", "task_id", "on_date"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE")
    on_date: dt.date  # granted on
    old_due: Optional[dt.date] = None
    new_due: dt.date
    new_due_text: Optional[str] = Field(default=None, max_length=100)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    recorded_by: str = Field(default="", max_length=100)
    recorded_at: dt.datetime = Field(default_factory=_now)
    withdrawn_on: Optional[dt.date] = None  # in force on dates before this one
    withdrawn_reason: Optional[str] = Field(default=None, sa_column=Column(Text))


class Instruction(SQLModel, table=True):
    """A leader instruction (领导批示) on a task."""

    __tablename__ = "instruction"
    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    leader_id: int = Field(foreign_key="leader.id", index=True)
    on_date: dt.date = Field(index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    recorded_by: str = Field(default="", max_length=100)
    recorded_at: dt.datetime = Field(default_factory=_now)


class Progress(SQLModel, table=True):
    """A progress update (进展) as a unit reported it: cumulative figures."""

    __tablename__ = "progress"
    __table_args__ = (Index("ix_progress_task_on", "task_id", "on_date"), Index("ix_progress_on", "on_date"))
    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE")
    on_date: dt.date
    percent: float
    invest_done: Optional[float] = None
    stage: Optional[str] = Field(default=None, max_length=20)
    note: Optional[str] = Field(default=None, sa_column=Column(Text))
    problems: Optional[str] = Field(default=None, sa_column=Column(Text))
    next_steps: Optional[str] = Field(default=None, sa_column=Column(Text))
    recorded_by: str = Field(default="", max_length=100)
    recorded_at: dt.datetime = Field(default_factory=_now)


class History(SQLModel, table=True):
    """留痕: one row per change a user made (a bulk import is one row)."""

    __tablename__ = "history"
    id: Optional[int] = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=_now, index=True)
    user: str = Field(max_length=100)
    action: str = Field(max_length=50)  # e.g. task.add, progress.edit
    entity: str = Field(max_length=30)  # task, unit, leader, area, progress, ...
    entity_id: Optional[int] = None
    task_id: Optional[int] = Field(default=None, index=True)  # no FK: history outlives deletes
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    changes: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))  # JSON {field: [old, new]}


# ---------------------------------------------------------------- documents (督查通报, 督办单)

class Bulletin(SQLModel, table=True):
    """A numbered 督查通报 as issued: its number per calendar year, its date and the date it reports on."""

    __tablename__ = "bulletin"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_bulletin_year_number"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    year: int  # the calendar year of issued_on: numbers run per year
    number: int  # 期号
    issued_on: dt.date = Field(index=True)
    as_of: dt.date  # the figures are as of this date
    quarter: str = Field(max_length=10)  # the ranking's quarter, e.g. 2023Q1
    scope: Optional[str] = Field(default=None, max_length=20)  # --week / --quarter as given (2023-W13, 2023Q1)
    title: str = Field(max_length=300)
    file: Optional[str] = Field(default=None, sa_column=Column(Text))
    recorded_by: str = Field(default="", max_length=100)
    recorded_at: dt.datetime = Field(default_factory=_now)


class LadderLevel(SQLModel, table=True):
    """A level of the escalation ladder (提醒 → 催办 → 督办 → 通报); no rows = the default ladder."""

    __tablename__ = "ladder_level"
    key: str = Field(primary_key=True, max_length=30)
    position: int
    name: str = Field(max_length=50)  # 催办
    title: str = Field(max_length=100)  # the slip's heading: 催办单
    colour: str = Field(max_length=20)  # blue, yellow, orange, red, purple, black
    trigger: str = Field(max_length=20)  # before_due, behind, overdue, unanswered
    days: int = 0
    after: Optional[str] = Field(default=None, max_length=30)  # for `unanswered`: the level whose slip waits
    reply_days: int = 3
    text: str = Field(sa_column=Column(Text, nullable=False))  # what is required, with {due} {reply_by} …


class Notice(SQLModel, table=True):
    """A slip (督办单/催办单 …): one task, one level, numbered per year and level, dated."""

    __tablename__ = "notice"
    __table_args__ = (UniqueConstraint("year", "level", "number", name="uq_notice_year_level_number"),
                      Index("ix_notice_task_level", "task_id", "level"))
    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE")
    level: str = Field(max_length=30)
    year: int
    number: int
    issued_on: dt.date = Field(index=True)
    reply_by: dt.date
    due_on_issue: Optional[dt.date] = None  # the deadline in force when issued: one slip per level per deadline
    state_on_issue: str = Field(max_length=20)
    required: str = Field(sa_column=Column(Text, nullable=False))  # the text as sent
    recorded_by: str = Field(default="", max_length=100)
    recorded_at: dt.datetime = Field(default_factory=_now)


class NoticeEvent(SQLModel, table=True):
    """A dated step of a slip: the unit's answer, the office's acceptance or rejection."""

    __tablename__ = "notice_event"
    __table_args__ = (Index("ix_notice_event_notice_on", "notice_id", "on_date"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", ondelete="CASCADE")
    kind: str = Field(max_length=10)  # answer, accept, reject
    on_date: dt.date
    text: Optional[str] = Field(default=None, sa_column=Column(Text))
    recorded_by: str = Field(default="", max_length=100)
    recorded_at: dt.datetime = Field(default_factory=_now)


class HolidayOverride(SQLModel, table=True):
    """A day the ledger declares a holiday or a working day (调休), over the chinesecalendar package."""

    __tablename__ = "holiday_override"
    id: Optional[int] = Field(default=None, primary_key=True)
    on_date: dt.date = Field(unique=True)
    workday: bool
    note: Optional[str] = Field(default=None, max_length=200)
    recorded_by: str = Field(default="", max_length=100)
    recorded_at: dt.datetime = Field(default_factory=_now)
