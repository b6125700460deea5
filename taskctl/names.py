"""Looking things up by the names people type — areas, units, leaders, tasks, settings — in SQL text.

Reads through a ``Reader`` (``taskctl.reader``), so a report resolves "发改委" without SQLAlchemy; the
writers' ``ledger.find_unit`` and friends are these lookups plus the ORM object.  A name that matches
nothing raises one line that suggests the closest one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from taskctl.errors import NotFound
from taskctl.reader import reader_of


def suggest(name: str, candidates: Iterable[str]) -> str:
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.4)
    if not found:  # Chinese names: a shared character is a better hint than edit distance
        scored = [(len(set(name) & set(c)), c) for c in candidates]
        scored = [s for s in scored if s[0] > 0]
        found = [max(scored)[1]] if scored else []
    return found[0] if found else ""


def not_found(kind: str, name: str, candidates: Iterable[str]) -> NotFound:
    hint = suggest(name, candidates)
    if hint:
        return NotFound("error.unknown_suggest", kind=kind, name=name, hint=hint)
    return NotFound("error.unknown", kind=kind, name=name)


def setting(source: Any, key: str, default: str | None = None) -> str | None:
    value = reader_of(source).scalar("SELECT value FROM setting WHERE key = :k", {"k": key})
    return default if value is None else value


def ledger_year(source: Any) -> int:
    from taskctl.config import today

    value = setting(source, "year")
    return int(value) if value else today().year


def area_id(source: Any, ref: str, *, lenient: bool = False) -> int:
    """An area by number, key, Chinese or English name — exactly.  ``lenient`` (the importer) also
    takes the forms ledgers write around the name: 聚焦扩大投资, 一、聚焦扩大投资."""
    ref = (ref or "").strip()
    areas = reader_of(source).rows("SELECT id, number, key, name_zh, name_en FROM area ORDER BY number")
    for aid, number, key, name_zh, name_en in areas:
        if ref in (str(number), key, name_zh) or ref.lower() in (key.lower(), (name_en or "").lower()):
            return aid
    if lenient:
        for aid, _number, _key, name_zh, _name_en in areas:  # 聚焦扩大投资 / 扩大投资抓项目
            if name_zh in ref:
                return aid
    raise not_found("area", ref, [a[2] for a in areas] + [a[3] for a in areas])


def _by_name(source: Any, kind: str, table: str, alias_table: str, owner: str, name: str) -> int:
    q = reader_of(source)
    name = (name or "").strip()
    found = q.scalar(f"SELECT id FROM {table} WHERE name = :n", {"n": name})
    if found is None:
        found = q.scalar(f"SELECT {owner} FROM {alias_table} WHERE alias = :n", {"n": name})
    if found is None:
        names = q.column(f"SELECT name FROM {table}") + q.column(f"SELECT alias FROM {alias_table}")
        raise not_found(kind, name, names)
    return found


def unit_id(source: Any, name: str) -> int:
    """A unit by its name or one of its aliases (发改委 → 市发展和改革委员会)."""
    return _by_name(source, "unit", "unit", "unit_alias", "unit_id", name)


def leader_id(source: Any, name: str) -> int:
    return _by_name(source, "leader", "leader", "leader_alias", "leader_id", name)


def task_id(source: Any, tid: int) -> int:
    """The task ``tid`` as the caller may see it; else one line (for a unit or leader role, one that does
    not say whether another unit's task exists)."""
    from taskctl import roles

    roles.note_task(tid)
    q = reader_of(source)
    if q.scalar("SELECT id FROM task WHERE id = :t", {"t": tid}) is None:
        who = roles.caller(q)
        if who.restricted:  # invisible to this role: say whose it is not, never whether it exists
            raise roles.refusal(who, tid)
        raise NotFound("error.unknown_task", id=tid)
    return tid
