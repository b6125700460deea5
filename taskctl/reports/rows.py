"""The task row: the fields PRODUCT.md promises scripts for every task, in every task-shaped report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from taskctl.reports.model import C, Column, round1

if TYPE_CHECKING:
    from taskctl.snapshot import TaskFacts


TASK_COLUMNS = (
    ("id", "int", True), ("ref", "text", False), ("area", "text", False), ("area_name", "text", True),
    ("title", "text", True), ("lead_unit", "text", True), ("co_units", "list", False), ("leader", "text", True),
    ("start", "date", False), ("due", "date", True), ("due_text", "text", True), ("original_due", "date", False),
    ("status", "status", False), ("state", "state", True), ("done_late", "bool", False), ("light", "light", True),
    ("percent", "percent", True), ("percent_expected", "percent", True), ("last_update", "date", True),
    ("invest_planned", "money", False), ("invest_done", "money", False), ("stage", "stage", False),
    ("extensions", "int", False), ("tags", "list", False), ("note", "text", False),
    ("close_requested", "bool", False),
)


def task_columns(extra: tuple = (), drop: dict[str, int] | None = None) -> list[Column]:
    drop = drop or {}
    return [C(k, kind, table, drop=drop.get(k)) for k, kind, table in TASK_COLUMNS + tuple(extra)]


# On a narrow terminal the ledger keeps id, title, light, then progress, state and lead unit longest.
TASK_LIST_DROP = {"due_text": 1, "area_name": 2, "leader": 3, "last_update": 4, "percent_expected": 5, "due": 6,
                  "lead_unit": 7, "state": 8, "percent": 9}


def task_row(f: "TaskFacts") -> dict[str, Any]:
    """The fields PRODUCT.md promises scripts for every task row."""
    return {
        "id": f.id, "ref": f.ref, "area": f.area_key, "area_name": f.area_name, "title": f.title,
        "lead_unit": f.lead_unit, "co_units": list(f.co_units), "leader": f.leader, "start": f.start,
        "due": f.due, "due_text": f.due_text, "original_due": f.original_due, "status": f.status,
        "state": f.state, "done_late": f.judgement.done_late, "light": f.light,
        "percent": round1(f.percent), "percent_expected": round1(f.expected), "last_update": f.last_update,
        "invest_planned": round1(f.invest), "invest_done": round1(f.invest_done), "stage": f.stage,
        "extensions": f.extensions, "tags": list(f.tags), "note": f.note, "close_requested": f.close_requested,
    }


def state_counts(facts: "list[TaskFacts]") -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in facts:
        counts[f.state] = counts.get(f.state, 0) + 1
    return counts
