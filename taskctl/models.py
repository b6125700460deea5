"""The ledger's tables (SQLAlchemy declarative).

Dated history — progress updates, status changes, extensions, instructions —
lives in its own tables so that any report can be replayed as of a date.
``Task.status`` and ``Task.due`` are the *current* status and the *original*
due date; reports never read ``status`` but replay ``StatusChange`` rows.
Schema changes go through an Alembic revision in ``taskctl/migrations``;
``Base.metadata`` is what Alembic compares the migrated schema with.

A new object holds its defaults from the moment it is constructed (not only
once it is flushed): ``Task(...).status`` is ``"active"``, ``recorded_at`` is
now, a nullable column not given is ``None`` (see ``Base.__init__``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

UNIT_KINDS = ("county", "zone", "department", "enterprise", "soe")
STATUSES = ("active", "done", "paused", "cancelled")
STAGES = ("started", "building", "producing", "effective")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC (TIMESTAMP WITH TIME ZONE on PostgreSQL) and read back as an aware UTC
    datetime on every backend, SQLite included; a naive datetime is refused rather than guessed at."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def __repr__(self) -> str:
        return "UTCDateTime()"

    def coerce_compared_value(self, op, value):
        if isinstance(value, dt.timedelta):
            from sqlalchemy.types import Interval

            return Interval()
        return self

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("Datetime values must have timezone information: use datetime.now(timezone.utc)")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.utcoffset() is None:  # SQLite keeps no offset: the value is UTC
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


class Base(DeclarativeBase):
    def __init__(self, **kwargs: Any) -> None:
        cls = type(self)
        for key in kwargs:
            if not hasattr(cls, key):
                raise TypeError(f"{key!r} is an invalid keyword argument for {cls.__name__}")
        for key, make in _construction_defaults(cls).items():
            if key not in kwargs:
                setattr(self, key, make())
        for key, value in kwargs.items():
            setattr(self, key, value)


_DEFAULTS: dict[type, dict[str, Any]] = {}


def _none() -> None:
    return None


def _construction_defaults(cls: type) -> dict[str, Any]:
    """For each column attribute a constructor does not set: how to make its value.  A column default
    (a value or ``_now``), else ``None`` for a nullable column or the autoincrement id; a required
    column stays unset, so a missing value fails at INSERT as before."""
    found = _DEFAULTS.get(cls)
    if found is None:
        from sqlalchemy import inspect

        found = {}
        table = cls.__table__
        for prop in inspect(cls).column_attrs:
            column = prop.columns[0]
            default = column.default
            if default is not None and default.is_callable:
                found[prop.key] = lambda arg=default.arg: arg(None)  # SQLAlchemy wraps fn() as fn(context)
            elif default is not None and default.is_scalar:
                found[prop.key] = lambda value=default.arg: value
            elif column.nullable or table.autoincrement_column is column:
                found[prop.key] = _none
        _DEFAULTS[cls] = found
    return found


def _str(length: int, **kw: Any):
    return mapped_column(String(length), **kw)


class Setting(Base):
    __tablename__ = "setting"
    key: Mapped[str] = _str(64, primary_key=True)
    value: Mapped[str] = _str(400)


class Area(Base):
    __tablename__ = "area"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    key: Mapped[str] = _str(40, unique=True)
    name_zh: Mapped[str] = _str(100, unique=True)
    name_en: Mapped[str] = _str(200)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Unit(Base):
    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = _str(100, unique=True)
    kind: Mapped[str] = _str(20)
    contact_person: Mapped[Optional[str]] = _str(100)
    contact_phone: Mapped[Optional[str]] = _str(50)
    report_rule: Mapped[Optional[str]] = _str(200)  # RRULE: default duty of its tasks


class UnitAlias(Base):
    __tablename__ = "unit_alias"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = _str(100, unique=True)


class Leader(Base):
    __tablename__ = "leader"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = _str(100, unique=True)
    title: Mapped[Optional[str]] = _str(200)


class LeaderAlias(Base):
    """A former name of a leader (kept when two leader records are merged)."""

    __tablename__ = "leader_alias"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    leader_id: Mapped[int] = mapped_column(Integer, ForeignKey("leader.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = _str(100, unique=True)


class Task(Base):
    __tablename__ = "task"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_id: Mapped[int] = mapped_column(Integer, ForeignKey("area.id"), index=True)
    title: Mapped[str] = _str(500)
    detail: Mapped[Optional[str]] = mapped_column(Text)
    lead_unit_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("unit.id"), index=True)
    leader_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("leader.id"), index=True)
    start: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[Optional[dt.date]] = mapped_column(Date)  # the original due date; extensions move it
    due_text: Mapped[Optional[str]] = _str(100)
    status: Mapped[str] = _str(20, default="active", index=True)
    invest: Mapped[Optional[float]] = mapped_column(Float)  # planned investment, 万元
    target_q1: Mapped[Optional[float]] = mapped_column(Float)
    target_q2: Mapped[Optional[float]] = mapped_column(Float)
    target_q3: Mapped[Optional[float]] = mapped_column(Float)
    target_q4: Mapped[Optional[float]] = mapped_column(Float)
    works_start: Mapped[Optional[dt.date]] = mapped_column(Date)  # planned 开工
    production: Mapped[Optional[dt.date]] = mapped_column(Date)  # planned 投产
    ref: Mapped[Optional[str]] = _str(50)
    source: Mapped[Optional[str]] = _str(200)
    report_rule: Mapped[Optional[str]] = _str(200)  # RRULE of the reporting duty (taskctl.duties)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class TaskUnit(Base):
    """A co-operating unit (配合单位) of a task."""

    __tablename__ = "task_unit"
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, ForeignKey("unit.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class TaskTag(Base):
    __tablename__ = "task_tag"
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = _str(50, primary_key=True, index=True)


class StatusChange(Base):
    __tablename__ = "status_change"
    __table_args__ = (Index("ix_status_change_task_on", "task_id", "on_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id", ondelete="CASCADE"))
    status: Mapped[str] = _str(20)  # the status in force from `on_date`
    on_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[Optional[str]] = mapped_column(Text)
    recorded_by: Mapped[str] = _str(100, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class Extension(Base):
    __tablename__ = "extension"
    __table_args__ = (Index("ix_extension_task_on", "task_id", "on_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id", ondelete="CASCADE"))
    on_date: Mapped[dt.date] = mapped_column(Date)  # granted on
    old_due: Mapped[Optional[dt.date]] = mapped_column(Date)
    new_due: Mapped[dt.date] = mapped_column(Date)
    new_due_text: Mapped[Optional[str]] = _str(100)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    recorded_by: Mapped[str] = _str(100, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)
    withdrawn_on: Mapped[Optional[dt.date]] = mapped_column(Date)  # in force on dates before this one
    withdrawn_reason: Mapped[Optional[str]] = mapped_column(Text)


class Instruction(Base):
    """A leader instruction (领导批示) on a task."""

    __tablename__ = "instruction"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id", ondelete="CASCADE"), index=True)
    leader_id: Mapped[int] = mapped_column(Integer, ForeignKey("leader.id"), index=True)
    on_date: Mapped[dt.date] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    recorded_by: Mapped[str] = _str(100, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class Progress(Base):
    """A progress update (进展) as a unit reported it: cumulative figures."""

    __tablename__ = "progress"
    __table_args__ = (Index("ix_progress_task_on", "task_id", "on_date"), Index("ix_progress_on", "on_date"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id", ondelete="CASCADE"))
    on_date: Mapped[dt.date] = mapped_column(Date)
    percent: Mapped[float] = mapped_column(Float)
    invest_done: Mapped[Optional[float]] = mapped_column(Float)
    stage: Mapped[Optional[str]] = _str(20)
    note: Mapped[Optional[str]] = mapped_column(Text)
    problems: Mapped[Optional[str]] = mapped_column(Text)
    next_steps: Mapped[Optional[str]] = mapped_column(Text)
    recorded_by: Mapped[str] = _str(100, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class History(Base):
    """留痕: one row per change a user made (a bulk import is one row)."""

    __tablename__ = "history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now, index=True)
    user: Mapped[str] = _str(100)
    action: Mapped[str] = _str(50)  # e.g. task.add, progress.edit
    entity: Mapped[str] = _str(30)  # task, unit, leader, area, progress, ...
    entity_id: Mapped[Optional[int]] = mapped_column(Integer)
    task_id: Mapped[Optional[int]] = mapped_column(Integer, index=True)  # no FK: history outlives deletes
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    changes: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON {field: [old, new]}


# ---------------------------------------------------------------- documents (督查通报, 督办单)

class Bulletin(Base):
    """A numbered 督查通报 as issued: its number per calendar year, its date and the date it reports on."""

    __tablename__ = "bulletin"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_bulletin_year_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)  # the calendar year of issued_on: numbers run per year
    number: Mapped[int] = mapped_column(Integer)  # 期号
    issued_on: Mapped[dt.date] = mapped_column(Date, index=True)
    as_of: Mapped[dt.date] = mapped_column(Date)  # the figures are as of this date
    quarter: Mapped[str] = _str(10)  # the ranking's quarter, e.g. 2023Q1
    scope: Mapped[Optional[str]] = _str(20)  # --week / --quarter as given (2023-W13, 2023Q1)
    title: Mapped[str] = _str(300)
    file: Mapped[Optional[str]] = mapped_column(Text)
    recorded_by: Mapped[str] = _str(100, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class LadderLevel(Base):
    """A level of the escalation ladder (提醒 → 催办 → 督办 → 通报); no rows = the default ladder."""

    __tablename__ = "ladder_level"
    key: Mapped[str] = _str(30, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = _str(50)  # 催办
    title: Mapped[str] = _str(100)  # the slip's heading: 催办单
    colour: Mapped[str] = _str(20)  # blue, yellow, orange, red, purple, black
    trigger: Mapped[str] = _str(20)  # before_due, behind, overdue, unanswered
    days: Mapped[int] = mapped_column(Integer, default=0)
    after: Mapped[Optional[str]] = _str(30)  # for `unanswered`: the level whose slip waits
    reply_days: Mapped[int] = mapped_column(Integer, default=3)
    text: Mapped[str] = mapped_column(Text, nullable=False)  # what is required, with {due} {reply_by} …


class Notice(Base):
    """A slip (督办单/催办单 …): one task, one level, numbered per year and level, dated."""

    __tablename__ = "notice"
    __table_args__ = (UniqueConstraint("year", "level", "number", name="uq_notice_year_level_number"),
                      Index("ix_notice_task_level", "task_id", "level"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id", ondelete="CASCADE"))
    level: Mapped[str] = _str(30)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[dt.date] = mapped_column(Date, index=True)
    reply_by: Mapped[dt.date] = mapped_column(Date)
    due_on_issue: Mapped[Optional[dt.date]] = mapped_column(Date)  # the deadline in force when issued
    state_on_issue: Mapped[str] = _str(20)
    required: Mapped[str] = mapped_column(Text, nullable=False)  # the text as sent
    recorded_by: Mapped[str] = _str(100, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class NoticeEvent(Base):
    """A dated step of a slip: the unit's answer, the office's acceptance or rejection."""

    __tablename__ = "notice_event"
    __table_args__ = (Index("ix_notice_event_notice_on", "notice_id", "on_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(Integer, ForeignKey("notice.id", ondelete="CASCADE"))
    kind: Mapped[str] = _str(10)  # answer, accept, reject
    on_date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[Optional[str]] = mapped_column(Text)
    recorded_by: Mapped[str] = _str(100, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class HolidayOverride(Base):
    """A day the ledger declares a holiday or a working day (调休), over the chinesecalendar package."""

    __tablename__ = "holiday_override"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    on_date: Mapped[dt.date] = mapped_column(Date, unique=True)
    workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[Optional[str]] = _str(200)
    recorded_by: Mapped[str] = _str(100, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


# ---------------------------------------------------------------- roles and the two-step closing

USER_KINDS = ("office", "unit", "leader")


class LedgerUser(Base):
    """A person who logs in to a PostgreSQL ledger with a role of their own (taskctl.roles)."""

    __tablename__ = "ledger_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = _str(63, unique=True)  # the login role's name
    kind: Mapped[str] = _str(10)  # office, unit, leader
    unit_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("unit.id"))
    leader_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("leader.id"))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[str] = _str(100, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class CloseRequest(Base):
    """申请销号: a unit asks the office to close its task; the office accepts (task done) or returns it."""

    __tablename__ = "close_request"
    __table_args__ = (Index("ix_close_request_task_on", "task_id", "on_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id", ondelete="CASCADE"))
    on_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[Optional[str]] = mapped_column(Text)
    returned_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    return_reason: Mapped[Optional[str]] = mapped_column(Text)
    recorded_by: Mapped[str] = _str(100, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class TaskFact(Base):
    """The facts in force after a task's last dated change, kept by triggers (``taskctl.facts``): read,
    never written, by taskctl."""

    __tablename__ = "task_fact"
    task_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    changed_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    status: Mapped[Optional[str]] = _str(20)
    status_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    due: Mapped[Optional[dt.date]] = mapped_column(Date)
    due_text: Mapped[Optional[str]] = _str(100)
    extensions: Mapped[int] = mapped_column(Integer)
    close_requests: Mapped[int] = mapped_column(Integer)
    progress_id: Mapped[Optional[int]] = mapped_column(Integer)
    last_update: Mapped[Optional[dt.date]] = mapped_column(Date)
    percent: Mapped[Optional[float]] = mapped_column(Float)
    invest_done: Mapped[Optional[float]] = mapped_column(Float)
    stage: Mapped[Optional[str]] = _str(20)


metadata = Base.metadata
