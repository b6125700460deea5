"""Progress updates (进展), recorded with SQL text: the ledger's most frequent write, without the ORM.

A unit liaison adds an update to each of its tasks every week, so ``progress add`` goes through a
``Reader`` (``taskctl.reader``) on the driver itself, as the reports do.  It writes what the ORM's
writers write: the ``progress`` row, and one ``history`` row (留痕) whose changes carry the ``__undo__``
list ``taskctl undo`` reads (``["ins", "progress", {"id": …}]``: the command added that row).  Called
with an ORM session (the demo, a fallback transaction) it writes on the session's own connection; in a
bulk operation (``session.info["batch"]``) it writes no history row of its own — the bulk operation
records one entry, and the session's undo capture finds the new row by its id.
"""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

from taskctl.config import current_user
from taskctl.errors import InvalidValue
from taskctl.reader import reader_of
from taskctl.values import check_amount, check_percent, not_after_today, stage

FIELDS = ("on_date", "percent", "invest_done", "stage", "note", "problems", "next_steps")
UNDO_KEY = "__undo__"  # taskctl.undo.UNDO_KEY


def previous_percent(source: Any, task_id: int, on: dt.date, *, before_id: int | None = None) -> float | None:
    """The percent of the task's latest update dated on or before ``on`` (other than ``before_id``)."""
    other = " AND id <> :before" if before_id is not None else ""
    return reader_of(source).scalar(
        f"SELECT percent FROM progress WHERE task_id = :t AND on_date <= :on{other} ORDER BY on_date DESC, id DESC "
        "LIMIT 1", {"t": task_id, "on": on, "before": before_id})


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def add(source: Any, task_id: int, *, on: dt.date, percent: float, invest_done: float | None = None,
        stage_: str | None = None, note: str | None = None, problems: str | None = None,
        next_steps: str | None = None, recorded_by: str | None = None) -> SimpleNamespace:
    """Record an update of the task ``task_id`` (which the caller has found); the update as recorded.
    Every value is checked before anything is written."""
    q = reader_of(source)
    percent = check_percent(percent)
    start = q.one("SELECT start FROM task WHERE id = :t", {"t": task_id}, dates=(0,))[0]
    if on < start:
        raise InvalidValue("error.before_start", on=on.isoformat(), start=start.isoformat())
    not_after_today(on)
    row = {"task_id": task_id, "on_date": on, "percent": percent,
           "invest_done": check_amount(invest_done, "invest_done"), "stage": stage(stage_),
           "note": (note or "").strip() or None, "problems": (problems or "").strip() or None,
           "next_steps": (next_steps or "").strip() or None, "recorded_by": recorded_by or current_user()}
    now = _now()
    row["id"] = q.insert("progress", {**row, "recorded_at": now})
    if not q.info.get("batch"):
        changes: dict[str, Any] = {k: [None, _plain(row[k])] for k in FIELDS if row[k] is not None}
        changes[UNDO_KEY] = [["ins", "progress", {"id": row["id"]}]]
        q.insert("history", {"at": now, "user": current_user(), "action": "progress.add", "entity": "progress",
                             "entity_id": row["id"], "task_id": task_id, "summary": f"{percent:g}% @ {on.isoformat()}",
                             "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True)})
    return SimpleNamespace(**row)
