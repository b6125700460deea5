"""The example ledger: built from the 2023-01-28 dispatch meeting (taskctl/data/demo.json).

Loaded through the same ledger functions a user's commands call, so the demo
obeys every rule of the real ledger; it is one history entry, like any bulk load.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

from sqlalchemy.orm import Session

from taskctl import ledger as L
from taskctl.dates import parse_date

DEMO_YEAR = 2023


def demo_data() -> dict[str, Any]:
    return json.loads(resources.files("taskctl").joinpath("data/demo.json").read_text(encoding="utf-8"))


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def load_demo(session: Session) -> dict[str, int]:
    data = demo_data()
    today = dt.date.fromisoformat(data.get("today", f"{DEMO_YEAR}-03-31"))
    session.info["batch"] = True
    try:
        counts = _load(session, data, today)
    finally:
        session.info.pop("batch", None)
    L.record(session, "demo.load", "ledger", summary="example ledger", changes={k: (None, v) for k, v in counts.items()})
    return counts


def _load(session: Session, data: dict[str, Any], today: dt.date) -> dict[str, int]:
    year = data.get("year", DEMO_YEAR)
    for u in data["units"]:
        L.add_unit(session, name=u["name"], kind=u["kind"], aliases=u.get("aliases") or [],
                   contact_person=u.get("contact_person"), contact_phone=u.get("contact_phone"))
    for ld in data["leaders"]:
        L.add_leader(session, name=ld["name"], title=ld.get("title"))
    n_progress = 0
    events: list[tuple[dt.date, int, str, Any, dict]] = []
    for spec in data["tasks"]:
        start = _day(spec.get("start")) or dt.date(year, 1, 1)
        due = None
        if spec.get("due"):
            parsed = parse_date(spec["due"], year=year, today=today, start=start)
            due = L.DueDate(parsed.date, parsed.text)
        targets = spec.get("targets") or {}
        milestones = spec.get("milestones") or {}
        task = L.add_task(
            session, title=spec["title"], area=L.find_area(session, spec["area"]),
            lead=L.find_unit(session, spec["lead"]) if spec.get("lead") else None,
            co_units=[L.find_unit(session, n) for n in spec.get("co") or []],
            leader=L.find_leader(session, spec["leader"]) if spec.get("leader") else None,
            start=start, due=due, detail=spec.get("detail"), invest=spec.get("invest"),
            targets=tuple(targets.get(q) for q in L.QUARTER_KEYS) if targets else None,
            works_start=_day(milestones.get("works_start")), production=_day(milestones.get("production")),
            tags=spec.get("tags") or [], ref=spec.get("ref"), source=spec.get("source"))
        for p in spec.get("progress") or []:
            L.add_progress(session, task, on=_day(p["on"]), percent=p["percent"], invest_done=p.get("invest_done"),
                           stage_=p.get("stage"), note=p.get("note"), problems=p.get("problems"),
                           next_steps=p.get("next"), recorded_by=p.get("by"))
            n_progress += 1
        # status changes, extensions and instructions are replayed in date order across the ledger
        for s in spec.get("status") or []:
            events.append((_day(s["on"]), 1, "status", task, s))
        for x in spec.get("extensions") or []:
            events.append((_day(x["on"]), 0, "extend", task, x))
        for i in spec.get("instructions") or []:
            events.append((_day(i["on"]), 2, "instruct", task, i))
    for on, _, kind, task, spec in sorted(events, key=lambda e: (e[0], e[1], e[3].id)):
        if kind == "status":
            L.change_status(session, task, spec["action"], on=on, note=spec.get("note"))
        elif kind == "extend":
            parsed = parse_date(spec["to"], year=year, today=today, start=task.start)
            L.extend_task(session, task, to=L.DueDate(parsed.date, parsed.text), reason=spec["reason"], on=on)
        else:
            L.instruct(session, task, leader=L.find_leader(session, spec["leader"]), text=spec["text"], on=on)
    return {"units": len(data["units"]), "leaders": len(data["leaders"]), "tasks": len(data["tasks"]),
            "progress": n_progress}
