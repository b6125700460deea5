"""The recording half of taskctl: areas, units, leaders, tasks, dated history.

Every function takes the session of the command's one transaction and raises
a ``TaskctlError`` for bad input *before* anything is written, so a failed
command leaves the ledger as it was (the transaction is rolled back anyway).
Each change records one ``History`` row (留痕) with old and new values.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from taskctl.areas import SIX_AREAS
from taskctl.config import current_user, today
from taskctl.errors import Conflict, InvalidValue, NotFound
from taskctl.models import (
    Area, Extension, History, Instruction, Leader, LeaderAlias, Progress, Setting, StatusChange, Task,
    TaskTag, TaskUnit, Unit, UnitAlias,
)
# kept here for the modules that take them from the ledger; their home is taskctl.values
from taskctl.values import (  # noqa: F401
    check_amount, check_percent, not_after_today, stage, status_word, unit_kind,
)

QUARTER_KEYS = ("Q1", "Q2", "Q3", "Q4")


# ---------------------------------------------------------------- history

def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def record(session: Session, action: str, entity: str, *, entity_id: int | None = None,
           task_id: int | None = None, summary: str = "", changes: dict[str, Any] | None = None) -> History | None:
    """Add one history row: who, when, what, and {field: [old, new]}.

    Inside a bulk operation (``session.info["batch"]`` set) single rows are not
    written: the bulk operation records one entry for itself.
    """
    if session.info.get("batch"):
        return None
    row = History(user=current_user(), action=action, entity=entity, entity_id=entity_id, task_id=task_id,
                  summary=summary,
                  changes=json.dumps({k: [_plain(o), _plain(n)] for k, (o, n) in (changes or {}).items()},
                                     ensure_ascii=False, sort_keys=True))
    session.add(row)
    return row


def diff(obj: Any, updates: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Apply ``updates`` to ``obj`` and return what changed."""
    changed = {}
    for key, new in updates.items():
        old = getattr(obj, key)
        if old != new:
            changed[key] = (old, new)
            setattr(obj, key, new)
    return changed


# ---------------------------------------------------------------- settings

def get_setting(session: Session, key: str, default: str | None = None) -> str | None:
    row = session.get(Setting, key)
    return row.value if row else default


def ledger_year(source) -> int:
    from taskctl.names import ledger_year as year

    return year(source)


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def default_start(session: Session, on: dt.date | None = None) -> dt.date:
    """PRODUCT.md: a task counts from the day it is assigned.  Today when today falls in the ledger
    year; else 1 January of the ledger year (back-filling a past year, or preparing next year)."""
    on = on or today()
    year = ledger_year(session)
    return on if on.year == year else dt.date(year, 1, 1)


def allocate_task_ids(session: Session, n: int) -> list[int]:
    """Ids for ``n`` new tasks; a deleted task's id is never given again.

    PostgreSQL hands them out from the table's sequence (never reused, safe with
    other writers).  SQLite would reuse max(rowid)+1 after a delete, so the ledger
    keeps a high-water mark (setting ``task_id_high``); the caller's transaction
    holds the write lock once it has written (the caller writes first).
    """
    if n <= 0:
        return []
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        from sqlalchemy import text

        return list(conn.execute(text("SELECT nextval(pg_get_serial_sequence('task', 'id')) "
                                      "FROM generate_series(1, :n)"), {"n": n}).scalars())
    from sqlalchemy import text

    # write first, so that this transaction holds SQLite's write lock before it counts
    conn.execute(text("UPDATE setting SET value = value WHERE key = 'task_id_high'"))
    high = int(get_setting(session, "task_id_high") or 0)
    first = max(high, conn.execute(select(func.max(Task.id))).scalar() or 0) + 1
    set_setting(session, "task_id_high", str(first + n - 1))
    session.flush()
    return list(range(first, first + n))


def seed(session: Session, *, year: int) -> None:
    """A new ledger: its year and the six focus areas."""
    session.add(Setting(key="year", value=str(year)))
    for number, key, zh, en, description in SIX_AREAS:
        session.add(Area(number=number, key=key, name_zh=zh, name_en=en, description=description))
    record(session, "ledger.init", "ledger", summary=f"year={year}", changes={"year": (None, year)})


# ---------------------------------------------------------------- lookups

def find_area(session: Session, ref: str, *, lenient: bool = False) -> Area:
    """An area by number, key, Chinese or English name (``taskctl.names.area_id``)."""
    from taskctl.names import area_id

    return session.get(Area, area_id(session, ref, lenient=lenient))


def find_unit(session: Session, name: str) -> Unit:
    from taskctl.names import unit_id

    return session.get(Unit, unit_id(session, name))


def find_leader(session: Session, name: str) -> Leader:
    from taskctl.names import leader_id

    return session.get(Leader, leader_id(session, name))


def get_task(session: Session, task_id: int) -> Task:
    from taskctl.names import task_id as visible

    return session.get(Task, visible(session, task_id))


def get_update(session: Session, update_id: int) -> Progress:
    update = session.get(Progress, update_id)
    if update is None:
        raise NotFound("error.unknown_update", id=update_id)
    return update


# ---------------------------------------------------------------- validation

def nonempty(value: str | None, field: str) -> str:
    from taskctl.cleaning import is_blank

    value = (value or "").strip()
    if is_blank(value):  # only spaces, zero-width characters or a BOM: nothing a reader could see
        raise InvalidValue("error.empty", field=field)
    return value


def parse_targets(text: str | None) -> tuple[float | None, ...] | None:
    """``Q1=25,Q2=50,Q3=75,Q4=100`` (also ``25,50,75,100``) -> cumulative targets; "" clears them."""
    if text is None:
        return None
    text = text.strip()
    if not text or text.lower() in ("none", "无"):
        return (None, None, None, None)
    values: list[float | None] = [None, None, None, None]
    parts = [p for p in re.split(r"[,，;；\s]+", text) if p]
    try:
        if all("=" in p or ":" in p for p in parts):
            for part in parts:
                key, _, val = part.replace(":", "=").partition("=")
                key = key.strip().upper()
                if key not in QUARTER_KEYS or values[QUARTER_KEYS.index(key)] is not None:
                    raise ValueError(key)  # unknown, or the same quarter twice (Q1=10,Q1=20)
                values[QUARTER_KEYS.index(key)] = float(val.strip().rstrip("%"))
        elif len(parts) == 4:
            values = [float(p.rstrip("%")) for p in parts]
        else:
            raise ValueError(text)
    except ValueError:
        raise InvalidValue("error.targets", value=text) from None
    values = [None if v is None else check_percent(v, "target") for v in values]  # kept as percents are
    given = [v for v in values if v is not None]
    if any(b < a for a, b in zip(given, given[1:])):
        raise InvalidValue("error.targets_order", value=text)
    return tuple(values)


def parse_number(text: str | float | int | None, field: str) -> float | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if isinstance(text, (int, float)):
        return float(text)
    cleaned = text.strip().replace(",", "").replace("，", "").rstrip("%").replace("万元", "").replace("万", "")
    scale = 1.0
    if cleaned.endswith(("亿元", "亿")):  # amounts are kept in 万元: 1亿 = 10,000 万元
        cleaned, scale = cleaned.removesuffix("元").removesuffix("亿"), 10000.0
    try:
        value = float(cleaned) * scale
    except ValueError:
        raise InvalidValue("error.not_a_number", field=field, value=text) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidValue("error.not_a_number", field=field, value=text)
    return value


# ---------------------------------------------------------------- areas

def add_area(session: Session, *, key: str, name_zh: str, name_en: str | None = None,
             description: str | None = None) -> Area:
    key = nonempty(key, "key")
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", key):
        raise InvalidValue("error.area_key", value=key)
    name_zh = nonempty(name_zh, "name")
    existing = session.execute(select(Area).where(or_(Area.key == key, Area.name_zh == name_zh))).scalar_one_or_none()
    if existing is not None:
        raise Conflict("error.duplicate", kind="area", name=existing.key)
    number = (session.execute(select(func.max(Area.number))).scalar() or 0) + 1
    area = Area(number=number, key=key, name_zh=name_zh, name_en=(name_en or key).strip(),
                description=(description or "").strip())
    session.add(area)
    session.flush()
    record(session, "area.add", "area", entity_id=area.id, summary=f"{number} {key} {name_zh}",
           changes={"key": (None, key), "name_zh": (None, name_zh)})
    return area


# ---------------------------------------------------------------- units

def _name_taken(session: Session, name: str, except_unit: int | None = None) -> bool:
    unit = session.execute(select(Unit.id).where(Unit.name == name)).scalar()
    alias = session.execute(select(UnitAlias.unit_id).where(UnitAlias.alias == name)).scalar()
    return any(u is not None and u != except_unit for u in (unit, alias))


def add_unit(session: Session, *, name: str, kind: str, aliases: Sequence[str] = (), contact_person: str | None = None,
             contact_phone: str | None = None, report_rule: str | None = None) -> Unit:
    name = nonempty(name, "name")
    kind = unit_kind(kind)
    if _name_taken(session, name):
        raise Conflict("error.duplicate", kind="unit", name=name)
    aliases = [a.strip() for a in aliases if a and a.strip() and a.strip() != name]
    for alias in aliases:
        if _name_taken(session, alias):
            raise Conflict("error.duplicate", kind="alias", name=alias)
    unit = Unit(name=name, kind=kind, contact_person=(contact_person or None), contact_phone=(contact_phone or None),
                report_rule=report_rule or None)
    session.add(unit)
    session.flush()
    for alias in dict.fromkeys(aliases):
        session.add(UnitAlias(unit_id=unit.id, alias=alias))
    record(session, "unit.add", "unit", entity_id=unit.id, summary=name,
           changes={"name": (None, name), "kind": (None, kind), "aliases": (None, aliases),
                    **({"report_rule": (None, report_rule)} if report_rule else {})})
    return unit


def unit_aliases(session: Session, unit_id: int) -> list[str]:
    return list(session.execute(select(UnitAlias.alias).where(UnitAlias.unit_id == unit_id)
                                .order_by(UnitAlias.id)).scalars())


def edit_unit(session: Session, unit: Unit, *, kind: str | None = None, contact_person: str | None = None,
              contact_phone: str | None = None, add_aliases: Sequence[str] = (),
              remove_aliases: Sequence[str] = (), report_rule: str | None = None) -> dict:
    updates: dict[str, Any] = {}
    if kind is not None:
        updates["kind"] = unit_kind(kind)
    if contact_person is not None:
        updates["contact_person"] = contact_person.strip() or None
    if contact_phone is not None:
        updates["contact_phone"] = contact_phone.strip() or None
    if report_rule is not None:  # "" clears the duty
        updates["report_rule"] = report_rule or None
    before = unit_aliases(session, unit.id)
    for alias in remove_aliases:
        row = session.execute(select(UnitAlias).where(UnitAlias.unit_id == unit.id,
                                                      UnitAlias.alias == alias.strip())).scalar_one_or_none()
        if row is None:
            raise NotFound("error.unknown", kind="alias", name=alias)
        session.delete(row)
    for alias in add_aliases:
        alias = nonempty(alias, "alias")
        if _name_taken(session, alias):
            raise Conflict("error.duplicate", kind="alias", name=alias)
        session.add(UnitAlias(unit_id=unit.id, alias=alias))
    changes = diff(unit, updates)
    session.flush()
    after = unit_aliases(session, unit.id)
    if after != before:
        changes["aliases"] = (before, after)
    if changes:
        record(session, "unit.edit", "unit", entity_id=unit.id, summary=unit.name, changes=changes)
    return changes


def rename_unit(session: Session, unit: Unit, new_name: str) -> None:
    """A renamed unit keeps its old name as an alias, so old ledgers still resolve."""
    new_name = nonempty(new_name, "name")
    old = unit.name
    if new_name == old:
        return
    if _name_taken(session, new_name, except_unit=unit.id):
        raise Conflict("error.duplicate", kind="unit", name=new_name)
    own_alias = session.execute(select(UnitAlias).where(UnitAlias.unit_id == unit.id,
                                                        UnitAlias.alias == new_name)).scalar_one_or_none()
    if own_alias is not None:
        session.delete(own_alias)
        session.flush()
    unit.name = new_name
    session.add(UnitAlias(unit_id=unit.id, alias=old))
    session.flush()
    record(session, "unit.rename", "unit", entity_id=unit.id, summary=f"{old} → {new_name}",
           changes={"name": (old, new_name)})


# ---------------------------------------------------------------- leaders

def _leader_name_taken(session: Session, name: str, except_leader: int | None = None) -> bool:
    leader = session.execute(select(Leader.id).where(Leader.name == name)).scalar()
    alias = session.execute(select(LeaderAlias.leader_id).where(LeaderAlias.alias == name)).scalar()
    return any(x is not None and x != except_leader for x in (leader, alias))


def add_leader(session: Session, *, name: str, title: str | None = None) -> Leader:
    name = nonempty(name, "name")
    if _leader_name_taken(session, name):
        raise Conflict("error.duplicate", kind="leader", name=name)
    leader = Leader(name=name, title=(title or "").strip() or None)
    session.add(leader)
    session.flush()
    record(session, "leader.add", "leader", entity_id=leader.id, summary=name,
           changes={"name": (None, name), "title": (None, leader.title)})
    return leader


def edit_leader(session: Session, leader: Leader, *, name: str | None = None, title: str | None = None) -> dict:
    updates: dict[str, Any] = {}
    if name is not None:
        name = nonempty(name, "name")
        if name != leader.name and _leader_name_taken(session, name, except_leader=leader.id):
            raise Conflict("error.duplicate", kind="leader", name=name)
        updates["name"] = name
    if title is not None:
        updates["title"] = title.strip() or None
    changes = diff(leader, updates)
    if changes:
        record(session, "leader.edit", "leader", entity_id=leader.id, summary=leader.name, changes=changes)
    return changes


# ---------------------------------------------------------------- housekeeping: delete, merge, reassign

OPEN_STATUSES = ("active", "paused")  # `reassign --open`: tasks not done or cancelled


def _unit_task_ids(session: Session, unit_id: int, *, open_only: bool = False) -> tuple[list[int], list[int]]:
    """(tasks the unit leads, tasks it co-operates on)."""
    lead = select(Task.id).where(Task.lead_unit_id == unit_id)
    co = select(TaskUnit.task_id).join(Task, Task.id == TaskUnit.task_id).where(TaskUnit.unit_id == unit_id)
    if open_only:
        lead = lead.where(Task.status.in_(OPEN_STATUSES))
        co = co.where(Task.status.in_(OPEN_STATUSES))
    return (list(session.execute(lead.order_by(Task.id)).scalars()),
            list(session.execute(co.order_by(TaskUnit.task_id)).scalars()))


def _move_unit_roles(session: Session, src: Unit, dst: Unit, lead_ids: list[int], co_ids: list[int]) -> None:
    if lead_ids:
        session.execute(update(Task).where(Task.id.in_(lead_ids)).values(lead_unit_id=dst.id))
        # the new lead is no longer a co-operating unit of its own task
        session.execute(delete(TaskUnit).where(TaskUnit.task_id.in_(lead_ids), TaskUnit.unit_id == dst.id))
    if co_ids:
        has_dst = set(session.execute(select(TaskUnit.task_id).where(TaskUnit.task_id.in_(co_ids),
                                                                      TaskUnit.unit_id == dst.id)).scalars())
        led_by_dst = set(session.execute(select(Task.id).where(Task.id.in_(co_ids),
                                                               Task.lead_unit_id == dst.id)).scalars())
        drop = sorted(has_dst | led_by_dst)
        if drop:
            session.execute(delete(TaskUnit).where(TaskUnit.task_id.in_(drop), TaskUnit.unit_id == src.id))
        keep = [i for i in co_ids if i not in has_dst and i not in led_by_dst]
        if keep:
            session.execute(update(TaskUnit).where(TaskUnit.task_id.in_(keep), TaskUnit.unit_id == src.id)
                            .values(unit_id=dst.id))
    session.flush()


def delete_unit(session: Session, unit: Unit) -> None:
    """Refused while any task names the unit (lead or co-operating): reassign or merge it first."""
    lead_ids, co_ids = _unit_task_ids(session, unit.id)
    if lead_ids or co_ids:
        raise Conflict("error.unit_in_use", name=unit.name, lead=len(lead_ids), co=len(co_ids),
                       ids=_id_list(lead_ids + co_ids))
    aliases = unit_aliases(session, unit.id)
    record(session, "unit.delete", "unit", entity_id=unit.id, summary=unit.name,
           changes={"name": (unit.name, None), "kind": (unit.kind, None), "aliases": (aliases, None),
                    "contact_person": (unit.contact_person, None), "contact_phone": (unit.contact_phone, None)})
    session.execute(delete(UnitAlias).where(UnitAlias.unit_id == unit.id))
    session.delete(unit)
    session.flush()


def merge_units(session: Session, gone: Unit, kept: Unit) -> dict[str, list[int]]:
    """Two records of one unit: every task of ``gone`` moves to ``kept``, whose aliases gain
    ``gone``'s name and aliases.  The history is not rewritten (it names the units as they were)."""
    if gone.id == kept.id:
        raise InvalidValue("error.same_unit", name=kept.name)
    lead_ids, co_ids = _unit_task_ids(session, gone.id)
    _move_unit_roles(session, gone, kept, lead_ids, co_ids)
    names = [gone.name, *unit_aliases(session, gone.id)]
    session.execute(delete(UnitAlias).where(UnitAlias.unit_id == gone.id))
    session.delete(gone)
    session.flush()
    for name in names:
        if name != kept.name:
            session.add(UnitAlias(unit_id=kept.id, alias=name))
    session.flush()
    record(session, "unit.merge", "unit", entity_id=kept.id, summary=f"{gone.name} → {kept.name}",
           changes={"unit": (gone.name, kept.name), "lead_tasks": (lead_ids, lead_ids), "co_tasks": (co_ids, co_ids),
                    "aliases": (None, [n for n in names if n != kept.name])})
    return {"lead": lead_ids, "co": co_ids}


def reassign_units(session: Session, src: Unit, dst: Unit, *, open_only: bool = False) -> dict[str, list[int]]:
    """Move ``src``'s lead and co-operating roles to ``dst`` in bulk (one history entry)."""
    if src.id == dst.id:
        raise InvalidValue("error.same_unit", name=dst.name)
    lead_ids, co_ids = _unit_task_ids(session, src.id, open_only=open_only)
    _move_unit_roles(session, src, dst, lead_ids, co_ids)
    if lead_ids or co_ids:
        record(session, "unit.reassign", "unit", entity_id=dst.id, summary=f"{src.name} → {dst.name}",
               changes={"unit": (src.name, dst.name), "lead_tasks": (lead_ids, lead_ids),
                        "co_tasks": (co_ids, co_ids), "open_only": (None, open_only)})
    return {"lead": lead_ids, "co": co_ids}


def _leader_task_ids(session: Session, leader_id: int, *, open_only: bool = False) -> list[int]:
    stmt = select(Task.id).where(Task.leader_id == leader_id)
    if open_only:
        stmt = stmt.where(Task.status.in_(OPEN_STATUSES))
    return list(session.execute(stmt.order_by(Task.id)).scalars())


def _leader_instruction_ids(session: Session, leader_id: int) -> list[int]:
    return list(session.execute(select(Instruction.id).where(Instruction.leader_id == leader_id)
                                .order_by(Instruction.id)).scalars())


def leader_aliases(session: Session, leader_id: int) -> list[str]:
    return list(session.execute(select(LeaderAlias.alias).where(LeaderAlias.leader_id == leader_id)
                                .order_by(LeaderAlias.id)).scalars())


def delete_leader(session: Session, leader: Leader) -> None:
    """Refused while a task or an instruction names the leader."""
    task_ids = _leader_task_ids(session, leader.id)
    instructions = _leader_instruction_ids(session, leader.id)
    if task_ids or instructions:
        raise Conflict("error.leader_in_use", name=leader.name, tasks=len(task_ids), instructions=len(instructions),
                       ids=_id_list(task_ids))
    record(session, "leader.delete", "leader", entity_id=leader.id, summary=leader.name,
           changes={"name": (leader.name, None), "title": (leader.title, None),
                    "aliases": (leader_aliases(session, leader.id), None)})
    session.execute(delete(LeaderAlias).where(LeaderAlias.leader_id == leader.id))
    session.delete(leader)
    session.flush()


def merge_leaders(session: Session, gone: Leader, kept: Leader) -> dict[str, list[int]]:
    if gone.id == kept.id:
        raise InvalidValue("error.same_leader", name=kept.name)
    task_ids = _leader_task_ids(session, gone.id)
    instructions = _leader_instruction_ids(session, gone.id)
    if task_ids:
        session.execute(update(Task).where(Task.id.in_(task_ids)).values(leader_id=kept.id))
    if instructions:
        session.execute(update(Instruction).where(Instruction.id.in_(instructions)).values(leader_id=kept.id))
    names = [gone.name, *leader_aliases(session, gone.id)]
    session.execute(delete(LeaderAlias).where(LeaderAlias.leader_id == gone.id))
    session.delete(gone)
    session.flush()
    for name in names:
        if name != kept.name:
            session.add(LeaderAlias(leader_id=kept.id, alias=name))
    session.flush()
    record(session, "leader.merge", "leader", entity_id=kept.id, summary=f"{gone.name} → {kept.name}",
           changes={"leader": (gone.name, kept.name), "tasks": (task_ids, task_ids),
                    "instructions": (instructions, instructions), "aliases": (None, names)})
    return {"tasks": task_ids, "instructions": instructions}


def reassign_leaders(session: Session, src: Leader, dst: Leader, *, open_only: bool = False) -> list[int]:
    """Hand ``src``'s tasks to ``dst`` (instructions already given stay with who gave them)."""
    if src.id == dst.id:
        raise InvalidValue("error.same_leader", name=dst.name)
    task_ids = _leader_task_ids(session, src.id, open_only=open_only)
    if task_ids:
        session.execute(update(Task).where(Task.id.in_(task_ids)).values(leader_id=dst.id))
        session.flush()
        record(session, "leader.reassign", "leader", entity_id=dst.id, summary=f"{src.name} → {dst.name}",
               changes={"leader": (src.name, dst.name), "tasks": (task_ids, task_ids), "open_only": (None, open_only)})
    return task_ids


def _id_list(ids: Sequence[int], most: int = 10) -> str:
    shown = ", ".join(f"#{i}" for i in sorted(set(ids))[:most])
    return shown + (" …" if len(set(ids)) > most else "")


# ---------------------------------------------------------------- tasks

@dataclass
class DueDate:
    """A due date as the parser read it: the date (None = ongoing) and the text as typed."""

    date: dt.date | None
    text: str | None


def task_co_units(session: Session, task_id: int) -> list[str]:
    return list(session.execute(
        select(Unit.name).join(TaskUnit, TaskUnit.unit_id == Unit.id).where(TaskUnit.task_id == task_id)
        .order_by(TaskUnit.position, Unit.name)).scalars())


def task_tags(session: Session, task_id: int) -> list[str]:
    return list(session.execute(select(TaskTag.tag).where(TaskTag.task_id == task_id).order_by(TaskTag.tag)).scalars())


def _set_co_units(session: Session, task: Task, units: Sequence[Unit]) -> None:
    session.execute(delete(TaskUnit).where(TaskUnit.task_id == task.id))
    seen = set()
    for position, unit in enumerate(units):
        if unit.id in seen or unit.id == task.lead_unit_id:
            continue
        seen.add(unit.id)
        session.add(TaskUnit(task_id=task.id, unit_id=unit.id, position=position))


def _set_tags(session: Session, task: Task, tags: Sequence[str]) -> None:
    session.execute(delete(TaskTag).where(TaskTag.task_id == task.id))
    for tag in dict.fromkeys(t.strip() for t in tags if t and t.strip()):
        session.add(TaskTag(task_id=task.id, tag=tag))


def _check_dates(start: dt.date, due: dt.date | None) -> None:
    if due is not None and due < start:
        raise InvalidValue("error.due_before_start", due=due.isoformat(), start=start.isoformat())


def add_task(session: Session, *, title: str, area: Area, lead: Unit | None, co_units: Sequence[Unit] = (),
             leader: Leader | None = None, start: dt.date, due: DueDate | None = None, detail: str | None = None,
             invest: float | None = None, targets: Sequence[float | None] | None = None,
             works_start: dt.date | None = None, production: dt.date | None = None,
             tags: Sequence[str] = (), ref: str | None = None, source: str | None = None,
             report_rule: str | None = None) -> Task:
    title = nonempty(title, "title")
    due = due or DueDate(None, None)
    _check_dates(start, due.date)
    targets = tuple(targets) if targets else (None, None, None, None)
    task = Task(id=allocate_task_ids(session, 1)[0], area_id=area.id, title=title, detail=(detail or "").strip() or None,
                lead_unit_id=lead.id if lead else None, leader_id=leader.id if leader else None,
                start=start, due=due.date, due_text=due.text, invest=check_amount(invest, "invest"),
                target_q1=targets[0], target_q2=targets[1], target_q3=targets[2], target_q4=targets[3],
                works_start=works_start, production=production,
                ref=(ref or "").strip() or None, source=(source or "").strip() or None,
                report_rule=report_rule or None)
    session.add(task)
    session.flush()
    _set_co_units(session, task, co_units)
    _set_tags(session, task, tags)
    record(session, "task.add", "task", entity_id=task.id, task_id=task.id, summary=title,
           changes={"title": (None, title), "area": (None, area.key), "lead_unit": (None, lead.name if lead else None),
                    "due": (None, due.date), "due_text": (None, due.text), "start": (None, start),
                    **({"report_rule": (None, report_rule)} if report_rule else {})})
    return task


def edit_task(session: Session, task: Task, *, title: str | None = None, area: Area | None = None,
              lead: Unit | None = None, clear_lead: bool = False, co_units: Sequence[Unit] | None = None,
              leader: Leader | None = None, clear_leader: bool = False,
              start: dt.date | None = None, due: DueDate | None = None, detail: str | None = None,
              invest: float | None = None, targets: Sequence[float | None] | None = None,
              works_start: dt.date | None = None, production: dt.date | None = None,
              tags: Sequence[str] | None = None, ref: str | None = None, source: str | None = None,
              report_rule: str | None = None) -> dict:
    updates: dict[str, Any] = {}
    if title is not None:
        updates["title"] = nonempty(title, "title")
    if area is not None:
        updates["area_id"] = area.id
    if lead is not None:
        updates["lead_unit_id"] = lead.id
    elif clear_lead:
        updates["lead_unit_id"] = None
    if leader is not None:
        updates["leader_id"] = leader.id
    elif clear_leader:
        updates["leader_id"] = None
    if start is not None:
        updates["start"] = start
    extension_changes: dict[str, tuple[Any, Any]] = {}
    if due is not None:
        if active_extensions(session, task):
            extension_changes = correct_extension_due(session, task, due)
        else:
            updates["due"] = due.date
            updates["due_text"] = due.text
    if detail is not None:
        updates["detail"] = detail.strip() or None
    if invest is not None:
        updates["invest"] = check_amount(invest, "invest")
    if targets is not None:
        for key, value in zip(("target_q1", "target_q2", "target_q3", "target_q4"), targets):
            updates[key] = value
    if works_start is not None:
        updates["works_start"] = works_start
    if production is not None:
        updates["production"] = production
    if ref is not None:
        updates["ref"] = ref.strip() or None
    if source is not None:
        updates["source"] = source.strip() or None
    if report_rule is not None:  # "" clears the task's own duty (its lead unit's applies)
        updates["report_rule"] = report_rule or None
    _check_dates(updates.get("start", task.start), updates.get("due", task.due))
    if "start" in updates:
        _check_start_before_events(session, task, updates["start"])
    changes = diff(task, updates)
    changes.update(extension_changes)
    for name, given, read, write in (("co_units", co_units, task_co_units, _set_co_units),
                                     ("tags", tags, task_tags, _set_tags)):
        if given is None:
            continue
        before = read(session, task.id)
        write(session, task, given)
        session.flush()
        after = read(session, task.id)
        if before != after:
            changes[name] = (before, after)
    if changes:
        task.updated_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        record(session, "task.edit", "task", entity_id=task.id, task_id=task.id, summary=task.title, changes=changes)
    return changes


def _check_start_before_events(session: Session, task: Task, start: dt.date) -> None:
    """A task's start may not move after anything already recorded on it."""
    first = [session.execute(select(func.min(model.on_date)).where(model.task_id == task.id)).scalar()
             for model in (Progress, StatusChange, Extension, Instruction)]
    first = [d for d in first if d is not None]
    if first and start > min(first):
        raise InvalidValue("error.start_after_events", start=start.isoformat(), first=min(first).isoformat())


def delete_task(session: Session, task: Task) -> None:
    record(session, "task.delete", "task", entity_id=task.id, task_id=task.id, summary=task.title,
           changes={"title": (task.title, None), "due": (task.due, None), "status": (task.status, None)})
    for model in (Progress, StatusChange, Extension, Instruction, TaskUnit, TaskTag):
        session.execute(delete(model).where(model.task_id == task.id))
    session.delete(task)


# status changes: the verb, the status it sets, the statuses it may follow
TRANSITIONS = {
    "done": ("done", ("active", "paused")),
    "pause": ("paused", ("active",)),
    "cancel": ("cancelled", ("active", "paused", "done")),
    "reopen": ("active", ("done", "paused", "cancelled")),
}


def latest_status_change(session: Session, task_id: int) -> StatusChange | None:
    return session.execute(select(StatusChange).where(StatusChange.task_id == task_id)
                           .order_by(StatusChange.on_date.desc(), StatusChange.id.desc()).limit(1)).scalar_one_or_none()


def change_status(session: Session, task: Task, verb: str, *, on: dt.date, note: str | None = None) -> StatusChange:
    """done / pause / cancel / reopen on a date; kept as a dated row so reports can replay it."""
    new_status, allowed_from = TRANSITIONS[verb]
    if task.status not in allowed_from:
        raise Conflict("error.bad_transition", id=task.id, verb=verb, status=task.status)
    last = latest_status_change(session, task.id)
    if last is not None and on < last.on_date:
        raise InvalidValue("error.status_before_last", on=on.isoformat(), last=last.on_date.isoformat())
    if on < task.start:
        raise InvalidValue("error.before_start", on=on.isoformat(), start=task.start.isoformat())
    not_after_today(on)
    old = task.status
    change = StatusChange(task_id=task.id, status=new_status, on_date=on, note=(note or "").strip() or None,
                          recorded_by=current_user())
    session.add(change)
    task.status = new_status
    session.flush()
    record(session, f"task.{verb}", "status_change", entity_id=change.id, task_id=task.id, summary=task.title,
           changes={"status": (old, new_status), "on": (None, on)})
    return change


def due_in_force(session: Session, task: Task, on: dt.date) -> dt.date | None:
    from taskctl.snapshot import dues_in_force

    moved = dues_in_force(session, on, [task.id]).get(task.id)
    return moved[0] if moved else task.due


def active_extensions(session: Session, task: Task) -> list[Extension]:
    """The task's extensions not withdrawn, oldest first."""
    return list(session.execute(select(Extension).where(Extension.task_id == task.id, Extension.withdrawn_on.is_(None))
                                .order_by(Extension.on_date, Extension.id)).scalars())


def _latest_extension_event(session: Session, task: Task) -> dt.date | None:
    """The date of the task's latest extension granted or withdrawn."""
    granted = session.execute(select(func.max(Extension.on_date)).where(Extension.task_id == task.id,
                                                                         Extension.withdrawn_on.is_(None))).scalar()
    withdrawn = session.execute(select(func.max(Extension.withdrawn_on)).where(Extension.task_id == task.id)).scalar()
    dates = [d for d in (granted, withdrawn) if d is not None]
    return max(dates) if dates else None


def extend_task(session: Session, task: Task, *, to: DueDate, reason: str, on: dt.date) -> Extension:
    """延期: move the due date in force to a *later* date, from the day it is granted."""
    reason = nonempty(reason, "reason")
    if to.date is None:
        raise InvalidValue("error.extend_needs_date", value=to.text)
    not_after_today(on)
    if on < task.start:
        raise InvalidValue("error.before_start", on=on.isoformat(), start=task.start.isoformat())
    last = _latest_extension_event(session, task)
    if last is not None and on < last:
        raise InvalidValue("error.extend_before_last", on=on.isoformat(), last=last.isoformat())
    _check_dates(task.start, to.date)
    old_due = due_in_force(session, task, on)
    if old_due is None:
        raise InvalidValue("error.extend_ongoing", id=task.id)
    if to.date <= old_due:
        raise InvalidValue("error.extend_not_later", to=to.date.isoformat(), due=old_due.isoformat(), id=task.id)
    ext = Extension(task_id=task.id, on_date=on, old_due=old_due, new_due=to.date, new_due_text=to.text,
                    reason=reason, recorded_by=current_user())
    session.add(ext)
    session.flush()
    record(session, "task.extend", "extension", entity_id=ext.id, task_id=task.id, summary=reason,
           changes={"due": (old_due, to.date), "on": (None, on)})
    return ext


def withdraw_extension(session: Session, task: Task, ext_id: int, *, on: dt.date, reason: str | None = None) -> Extension:
    """Withdraw the task's latest extension from ``on``: before that day it was in force (reports
    already sent stay as they were), from that day the earlier due date is in force again."""
    ext = session.get(Extension, ext_id)
    if ext is None or ext.task_id != task.id:
        raise NotFound("error.unknown_extension", id=ext_id, task=task.id)
    if ext.withdrawn_on is not None:
        raise InvalidValue("error.extension_withdrawn", id=ext_id, on=ext.withdrawn_on.isoformat())
    active = active_extensions(session, task)
    if active and active[-1].id != ext.id:
        raise InvalidValue("error.withdraw_latest_first", id=ext_id, latest=active[-1].id)
    not_after_today(on)
    if on < ext.on_date:
        raise InvalidValue("error.withdraw_before_grant", on=on.isoformat(), granted=ext.on_date.isoformat())
    ext.withdrawn_on = on
    ext.withdrawn_reason = (reason or "").strip() or None
    session.flush()
    record(session, "task.extend_withdraw", "extension", entity_id=ext.id, task_id=task.id,
           summary=ext.withdrawn_reason or "",
           changes={"due": (ext.new_due, ext.old_due), "withdrawn_on": (None, on)})
    return ext


def correct_extension_due(session: Session, task: Task, due: DueDate) -> dict:
    """``task edit --due`` on an extended task corrects the latest extension's new date."""
    ext = active_extensions(session, task)[-1]
    if due.date is None:
        raise InvalidValue("error.extend_needs_date", value=due.text)
    _check_dates(task.start, due.date)
    if ext.old_due is not None and due.date <= ext.old_due:
        raise InvalidValue("error.correct_not_after_old", id=ext.id, due=due.date.isoformat(),
                           old=ext.old_due.isoformat(), task=task.id)
    changes = {}
    if (ext.new_due, ext.new_due_text) != (due.date, due.text):
        changes = {"extension_due": (ext.new_due, due.date)}
        if ext.new_due_text != due.text:
            changes["extension_due_text"] = (ext.new_due_text, due.text)
        ext.new_due, ext.new_due_text = due.date, due.text
        session.flush()
    return changes


def instruct(session: Session, task: Task, *, leader: Leader, text: str, on: dt.date) -> Instruction:
    text = nonempty(text, "text")
    not_after_today(on)
    if on < task.start:
        raise InvalidValue("error.before_start", on=on.isoformat(), start=task.start.isoformat())
    row = Instruction(task_id=task.id, leader_id=leader.id, on_date=on, text=text, recorded_by=current_user())
    session.add(row)
    session.flush()
    record(session, "task.instruct", "instruction", entity_id=row.id, task_id=task.id, summary=text,
           changes={"leader": (None, leader.name), "on": (None, on)})
    return row


# ---------------------------------------------------------------- progress

PROGRESS_FIELDS = ("on_date", "percent", "invest_done", "stage", "note", "problems", "next_steps")


def add_progress(session: Session, task: Task, *, on: dt.date, percent: float, invest_done: float | None = None,
                 stage_: str | None = None, note: str | None = None, problems: str | None = None,
                 next_steps: str | None = None, recorded_by: str | None = None):
    """A progress update of ``task`` (``taskctl.updates.add``, on this session's connection)."""
    from taskctl import updates

    return updates.add(session, task.id, on=on, percent=percent, invest_done=invest_done, stage_=stage_, note=note,
                       problems=problems, next_steps=next_steps, recorded_by=recorded_by)


def edit_progress(session: Session, update: Progress, **fields: Any) -> dict:
    from taskctl import roles

    roles.require_leads(session, update.task_id)  # a unit corrects only the tasks it leads (one line, not 0 rows)
    updates: dict[str, Any] = {}
    if fields.get("on") is not None:
        task = get_task(session, update.task_id)
        if fields["on"] < task.start:
            raise InvalidValue("error.before_start", on=fields["on"].isoformat(), start=task.start.isoformat())
        updates["on_date"] = not_after_today(fields["on"])
    if fields.get("percent") is not None:
        updates["percent"] = check_percent(fields["percent"])
    if fields.get("invest_done") is not None:
        updates["invest_done"] = check_amount(fields["invest_done"], "invest_done")
    if fields.get("stage") is not None:
        updates["stage"] = stage(fields["stage"])
    for key, attr in (("note", "note"), ("problems", "problems"), ("next_steps", "next_steps")):
        if fields.get(key) is not None:
            updates[attr] = fields[key].strip() or None
    changes = diff(update, updates)
    if changes:
        record(session, "progress.edit", "progress", entity_id=update.id, task_id=update.task_id,
               summary=f"#{update.id}", changes=changes)
    return changes


def delete_progress(session: Session, update: Progress) -> None:
    from taskctl import roles

    roles.require_leads(session, update.task_id)
    record(session, "progress.delete", "progress", entity_id=update.id, task_id=update.task_id,
           summary=f"#{update.id} {update.percent:g}% @ {update.on_date.isoformat()}",
           changes={k: (getattr(update, k), None) for k in PROGRESS_FIELDS if getattr(update, k) is not None})
    session.delete(update)


# ---------------------------------------------------------------- 申请销号 → 审结 (the two-step closing)

def pending_close_request(session: Session, task_id: int):
    """The task's closing request still waiting for the office (not returned), or None."""
    from taskctl.models import CloseRequest

    return session.execute(select(CloseRequest).where(CloseRequest.task_id == task_id,
                                                      CloseRequest.returned_on.is_(None))
                           .order_by(CloseRequest.on_date.desc(), CloseRequest.id.desc()).limit(1)).scalar_one_or_none()


def request_close(session: Session, task: Task, *, on: dt.date, note: str | None = None):
    """A unit asks the office to close its task: a dated request, not a status (the task stays active)."""
    from taskctl.models import CloseRequest

    if task.status != "active":
        raise Conflict("close.not_active", id=task.id, status=task.status)
    if pending_close_request(session, task.id) is not None:
        raise Conflict("close.already_requested", id=task.id)
    if on < task.start:
        raise InvalidValue("error.before_start", on=on.isoformat(), start=task.start.isoformat())
    last = latest_status_change(session, task.id)
    if last is not None and on < last.on_date:
        raise InvalidValue("error.status_before_last", on=on.isoformat(), last=last.on_date.isoformat())
    not_after_today(on)
    request = CloseRequest(task_id=task.id, on_date=on, note=(note or "").strip() or None, recorded_by=current_user())
    session.add(request)
    session.flush()
    record(session, "task.request_close", "close_request", entity_id=request.id, task_id=task.id,
           summary=task.title, changes={"on": (None, on), "note": (None, request.note)})
    return request


def return_close(session: Session, task: Task, *, reason: str, on: dt.date):
    """The office returns a closing request (退回) with its reason; the task stays active."""
    request = pending_close_request(session, task.id)
    if request is None:
        raise Conflict("close.none_pending", id=task.id)
    reason = nonempty(reason, "reason")
    if on < request.on_date:
        raise InvalidValue("close.return_before_request", on=on.isoformat(), requested=request.on_date.isoformat())
    not_after_today(on)
    request.returned_on = on
    request.return_reason = reason
    session.flush()
    record(session, "task.return", "close_request", entity_id=request.id, task_id=task.id, summary=task.title,
           changes={"returned_on": (None, on), "reason": (None, reason)})
    return request
