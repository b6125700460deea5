"""The escalation ladder and its slips (一事一单): 提醒 → 催办 → 督办 → 通报.

The ladder is data (``ladder_level`` rows; none = the default ladder below):
each level has a colour, a trigger and its days, the days a unit has to reply
and the text of what is required.  Triggers are the only vocabulary in code:

    before_due  N   the deadline in force is 0..N days ahead          (提醒, blue, 3)
    behind      N   behind 序时 or not started on D (and on D − N)     (催办, yellow, 0)
    overdue     N   overdue on D by N days or more (at least 1)        (督办, red, 0)
    unanswered  N   a slip of level ``after`` unanswered N days or more (通报, after 督办, 5)

As of D a task (active, started) is due a slip at level L when L's trigger
fires, it has had no slip at L for the deadline in force (one slip per task,
level and deadline: an extension re-arms the ladder), and no slip at L or a
higher level is open; of the levels that qualify only the highest is due.

A slip replays as of any date: it exists from its issue date; its answers and
verdicts (``notice_event``) count from their own dates; it is closed when its
reply is accepted or its task is done (or cancelled) as of D.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from taskctl.config import current_user
from taskctl.documents.common import add_days, days_between, doc_date, fill, number_text, placeholders
from taskctl.errors import Conflict, InvalidValue, NotFound
from taskctl.i18n import t
from taskctl.ledger import record
from taskctl.models import LadderLevel, Notice, NoticeEvent
from taskctl.reports.model import Msg, Report, round1
from taskctl.snapshot import Filters, TaskFacts, snapshot
from taskctl.reports.model import C

TRIGGERS = ("before_due", "behind", "overdue", "unanswered")
COLOURS = {"blue": "blue", "蓝": "blue", "蓝色": "blue", "yellow": "yellow", "黄": "yellow", "黄色": "yellow",
           "orange": "orange", "橙": "orange", "橙色": "orange", "red": "red", "红": "red", "红色": "red",
           "purple": "purple", "紫": "purple", "紫色": "purple", "black": "black", "黑": "black", "黑色": "black"}
COLOUR_HEX = {"blue": "1F4E9E", "yellow": "B8860B", "orange": "D2691E", "red": "C00000", "purple": "6A1B9A",
              "black": "000000"}
# the fields a level's text may use
TEXT_FIELDS = ("title", "unit", "leader", "due", "due_text", "days_left", "days_overdue", "percent", "expected",
               "reply_by", "state", "after_number")
SLIP_STATUSES = ("unanswered", "answered", "rejected", "accepted", "task_done", "task_cancelled")


@dataclass
class Level:
    key: str
    name: str
    title: str
    colour: str
    trigger: str
    days: int = 0
    after: str | None = None
    reply_days: int = 3
    text: str = ""
    position: int = 0


def default_ladder() -> list[Level]:
    """The common ladder (texts in the interface language)."""
    spec = (("remind", "blue", "before_due", 3, None, 3), ("urge", "yellow", "behind", 0, None, 3),
            ("supervise", "red", "overdue", 0, None, 3), ("bulletin", "purple", "unanswered", 5, "supervise", 3))
    return [Level(key=key, name=t(f"notice.level.{key}.name"), title=t(f"notice.level.{key}.title"), colour=colour,
                  trigger=trigger, days=days, after=after, reply_days=reply, text=t(f"notice.level.{key}.text"),
                  position=i + 1)
            for i, (key, colour, trigger, days, after, reply) in enumerate(spec)]


def ladder(session: Session) -> tuple[list[Level], bool]:
    """(the ladder in force, whether it is the default one)."""
    rows = session.execute(select(LadderLevel).order_by(LadderLevel.position, LadderLevel.key)).scalars().all()
    if not rows:
        return default_ladder(), True
    return [Level(key=r.key, name=r.name, title=r.title, colour=r.colour, trigger=r.trigger, days=r.days,
                  after=r.after, reply_days=r.reply_days, text=r.text, position=r.position) for r in rows], False


def level_dict(level: Level) -> dict[str, Any]:
    out = asdict(level)
    out.pop("position")
    return out


def check_ladder(levels: Sequence[Level]) -> list[Level]:
    """Every level valid, keys unique, ``after`` naming a lower level; positions 1..n in the given order."""
    if not levels:
        raise InvalidValue("notice.ladder_empty")
    seen: list[str] = []
    out = []
    for i, level in enumerate(levels):
        key = (level.key or "").strip()
        if not key or not key.replace("_", "").replace("-", "").isalnum() or not key.isascii():
            raise InvalidValue("notice.bad_key", value=level.key)
        if key in seen:
            raise InvalidValue("notice.duplicate_level", key=key)
        colour = COLOURS.get((level.colour or "").strip().lower())
        if colour is None:
            raise InvalidValue("notice.bad_colour", value=level.colour, choices=", ".join(dict.fromkeys(COLOURS.values())))
        if level.trigger not in TRIGGERS:
            raise InvalidValue("notice.bad_trigger", value=level.trigger, choices=", ".join(TRIGGERS))
        for name, value in (("days", level.days), ("reply_days", level.reply_days)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise InvalidValue("notice.bad_days", field=name, value=value)
        after = (level.after or "").strip() or None
        if level.trigger == "unanswered":
            if after is None or after not in seen:
                raise InvalidValue("notice.bad_after", key=key, value=after or "")
        else:
            after = None
        name = (level.name or "").strip()
        title = (level.title or "").strip() or name
        text = (level.text or "").strip()
        if not name or not text:
            raise InvalidValue("notice.level_incomplete", key=key)
        unknown = [p for p in placeholders(text) if p not in TEXT_FIELDS]
        if unknown:
            raise InvalidValue("notice.bad_field", key=key, fields=", ".join(unknown), known=", ".join(TEXT_FIELDS))
        seen.append(key)
        out.append(Level(key=key, name=name, title=title, colour=colour, trigger=level.trigger, days=level.days,
                         after=after, reply_days=level.reply_days, text=text, position=i + 1))
    return out


def set_ladder(session: Session, levels: Sequence[Level]) -> list[Level]:
    """Replace the ladder (one history entry with the old and the new one)."""
    new = check_ladder(levels)
    old, _ = ladder(session)
    used = set(session.execute(select(Notice.level).distinct()).scalars())
    gone = sorted(used - {lv.key for lv in new})
    if gone:
        raise Conflict("notice.level_in_use", keys=", ".join(gone))
    session.execute(delete(LadderLevel))
    for lv in new:
        session.add(LadderLevel(key=lv.key, position=lv.position, name=lv.name, title=lv.title, colour=lv.colour,
                                trigger=lv.trigger, days=lv.days, after=lv.after, reply_days=lv.reply_days,
                                text=lv.text))
    session.flush()
    record(session, "ladder.set", "ladder", summary=" → ".join(lv.name for lv in new),
           changes={"ladder": ([level_dict(lv) for lv in old], [level_dict(lv) for lv in new])})
    return new


def reset_ladder(session: Session) -> list[Level]:
    """Back to the default ladder: its rows go, so it follows the interface language again."""
    old, default = ladder(session)
    new = default_ladder()
    gone = sorted(set(session.execute(select(Notice.level).distinct()).scalars()) - {lv.key for lv in new})
    if gone:
        raise Conflict("notice.level_in_use", keys=", ".join(gone))
    if not default:
        session.execute(delete(LadderLevel))
        record(session, "ladder.reset", "ladder", summary=" → ".join(lv.name for lv in new),
               changes={"ladder": ([level_dict(lv) for lv in old], None)})
    return new


def find_level(levels: Sequence[Level], ref: str) -> Level:
    ref = (ref or "").strip()
    for lv in levels:
        if ref in (lv.key, lv.name, lv.title):
            return lv
    raise NotFound("notice.unknown_level", value=ref, known=", ".join(f"{lv.key} ({lv.name})" for lv in levels))


# ---------------------------------------------------------------- slips as of D

@dataclass
class Slip:
    """A slip as of a date: the row, its level, what its events say by then."""

    notice: Notice
    level: Level | None
    status: str  # one of SLIP_STATUSES
    answered_on: dt.date | None = None
    answer: str | None = None
    verdict_on: dt.date | None = None
    reason: str | None = None  # the last rejection's reason
    waiting_since: dt.date | None = None  # issue date, or the last rejection: the unit owes an answer since

    @property
    def open(self) -> bool:
        return self.status in ("unanswered", "answered", "rejected")

    @property
    def label(self) -> str:
        return slip_label(self.notice, self.level)


def slip_label(n: Notice, level: Level | None) -> str:
    return t("notice.number", name=level.name if level else n.level, year=n.year, number=n.number)


def _slip(n: Notice, level: Level | None, events: Sequence[NoticeEvent], fact: TaskFacts | None) -> Slip:
    slip = Slip(notice=n, level=level, status="unanswered", waiting_since=n.issued_on)
    for e in events:
        if e.kind == "answer":
            slip.status, slip.answered_on, slip.answer = "answered", e.on_date, e.text
        elif e.kind == "reject":
            slip.status, slip.verdict_on, slip.reason, slip.waiting_since = "rejected", e.on_date, e.text, e.on_date
        elif e.kind == "accept":
            slip.status, slip.verdict_on = "accepted", e.on_date
    if slip.status != "accepted" and fact is not None and fact.status in ("done", "cancelled"):
        slip.status = "task_done" if fact.status == "done" else "task_cancelled"
    return slip


def slips_as_of(session: Session, as_of: dt.date, facts: dict[int, TaskFacts] | None = None,
                task_ids: Sequence[int] | None = None) -> list[Slip]:
    """Every slip issued on or before ``as_of``, in its state on that date (issue order)."""
    levels = {lv.key: lv for lv in ladder(session)[0]}
    stmt = select(Notice).where(Notice.issued_on <= as_of).order_by(Notice.issued_on, Notice.id)
    wanted = set(task_ids) if task_ids is not None else None
    if wanted is not None and len(wanted) <= 1000:  # beyond that, filter here rather than bind 100,000 ids
        stmt = stmt.where(Notice.task_id.in_(sorted(wanted)))
    notices = [n for n in session.execute(stmt).scalars() if wanted is None or n.task_id in wanted]
    if not notices:
        return []
    events: dict[int, list[NoticeEvent]] = defaultdict(list)
    ids = [n.id for n in notices]
    for start in range(0, len(ids), 5000):
        for e in session.execute(select(NoticeEvent).where(NoticeEvent.notice_id.in_(ids[start:start + 5000]),
                                                           NoticeEvent.on_date <= as_of)
                                 .order_by(NoticeEvent.on_date, NoticeEvent.id)).scalars():
            events[e.notice_id].append(e)
    if facts is None:
        facts = {f.id: f for f in snapshot(session, as_of, Filters(task_ids=sorted({n.task_id for n in notices})))}
    return [_slip(n, levels.get(n.level), events.get(n.id, ()), facts.get(n.task_id)) for n in notices]


# ---------------------------------------------------------------- which tasks are due a slip

@dataclass
class DueSlip:
    fact: TaskFacts
    level: Level
    after: Slip | None = None  # the unanswered slip an `unanswered` level follows


def _fires(level: Level, f: TaskFacts, as_of: dt.date, open_slips: list[Slip],
           behind_before: dict[int, str] | None) -> tuple[bool, Slip | None]:
    if level.trigger == "before_due":
        return f.due is not None and 0 <= days_between(as_of, f.due) <= level.days, None
    if level.trigger == "behind":
        if f.state not in ("behind", "not_started"):
            return False, None
        if level.days and behind_before is not None:
            return behind_before.get(f.id) in ("behind", "not_started"), None
        return True, None
    if level.trigger == "overdue":
        return f.state == "overdue" and days_between(f.due, as_of) >= max(level.days, 1), None
    for slip in open_slips:  # unanswered
        if (slip.notice.level == level.after and slip.status in ("unanswered", "rejected")
                and days_between(slip.waiting_since, as_of) >= level.days):
            return True, slip
    return False, None


def due_slips(session: Session, as_of: dt.date, filters: Filters | None = None,
              facts: list[TaskFacts] | None = None) -> list[DueSlip]:
    """The tasks due a slip as of ``as_of`` and the level of each (area then id order)."""
    levels, _ = ladder(session)
    position = {lv.key: lv.position for lv in levels}
    if facts is None:
        facts = snapshot(session, as_of, filters)
    active = [f for f in facts if f.status == "active" and f.start <= as_of]
    if not active:
        return []
    slips = slips_as_of(session, as_of, {f.id: f for f in facts}, task_ids=[f.id for f in active])
    by_task: dict[int, list[Slip]] = defaultdict(list)
    for s in slips:
        by_task[s.notice.task_id].append(s)
    behind_before: dict[int, dict[int, str]] = {}
    for lv in levels:
        if lv.trigger == "behind" and lv.days and lv.days not in behind_before:
            earlier = add_days(as_of, -lv.days)  # counted like every threshold (documents.common)
            behind_before[lv.days] = {f.id: f.state for f in snapshot(session, earlier, filters)}
    out = []
    for f in active:
        own = by_task.get(f.id, [])
        open_slips = [s for s in own if s.open]
        highest_open = max((position.get(s.notice.level, 0) for s in open_slips), default=0)
        chosen: DueSlip | None = None
        for lv in levels:
            if lv.position <= highest_open:
                continue
            if any(s.notice.level == lv.key and s.notice.due_on_issue == f.due for s in own):
                continue
            fires, after = _fires(lv, f, as_of, open_slips, behind_before.get(lv.days))
            if fires:
                chosen = DueSlip(f, lv, after)  # later levels are higher: the last that fires wins
        if chosen is not None:
            out.append(chosen)
    return out


# ---------------------------------------------------------------- recording

def _text_values(f: TaskFacts, level: Level, on: dt.date, after: Slip | None) -> dict[str, Any]:
    return {
        "title": f.title, "unit": f.lead_unit or t("common.none"), "leader": f.leader or t("common.none"),
        "due": doc_date(f.due) if f.due else t("notice.no_due"), "due_text": f.due_text or "",
        "days_left": days_between(on, f.due) if f.due else "",
        "days_overdue": max(days_between(f.due, on), 0) if f.due else 0,
        "percent": number_text(f.percent) + ("%" if f.percent is not None else ""),
        "expected": number_text(f.expected) + ("%" if f.expected is not None else ""),
        "reply_by": doc_date(add_days(on, level.reply_days)), "state": t("state." + f.state),
        "after_number": after.label if after else "",
    }


def issue(session: Session, *, on: dt.date, today: dt.date, task_ids: Sequence[int] | None = None,
          level_key: str | None = None, filters: Filters | None = None) -> list[Notice]:
    """Record the slips due as of ``on`` (or for ``task_ids``; ``level_key`` forces a level), numbered
    per year and level.  Re-running on the same day issues nothing new."""
    from taskctl.ledger import get_task

    if on > today:
        raise InvalidValue("notice.future", on=on.isoformat(), today=today.isoformat())
    levels, _ = ladder(session)
    forced = find_level(levels, level_key) if level_key else None
    if task_ids is not None:
        for tid in task_ids:
            get_task(session, tid)
        facts = snapshot(session, on, Filters(task_ids=list(task_ids)))
        due = {d.fact.id: d for d in due_slips(session, on, facts=facts)}
        chosen: list[DueSlip] = []
        by_id = {f.id: f for f in facts}
        for tid in dict.fromkeys(task_ids):
            f = by_id[tid]
            if f.status != "active" or f.start > on:
                raise InvalidValue("notice.task_not_active", id=tid, status=t("status." + f.status), on=on.isoformat())
            if forced is None:
                if tid not in due:
                    raise InvalidValue("notice.not_due", id=tid, on=on.isoformat())
                chosen.append(due[tid])
                continue
            open_same = [s for s in slips_as_of(session, on, by_id, task_ids=[tid])
                         if s.open and s.notice.level == forced.key]
            if open_same:
                raise Conflict("notice.open_exists", id=tid, level=forced.name, number=open_same[0].label)
            chosen.append(DueSlip(f, forced, due[tid].after if tid in due and due[tid].level.key == forced.key
                                  else None))
    else:
        chosen = due_slips(session, on, filters)
        if forced is not None:
            chosen = [d for d in chosen if d.level.key == forced.key]
    issued = []
    next_number: dict[str, int] = {}
    for d in chosen:
        lv = d.level
        if lv.key not in next_number:
            highest = session.execute(select(func.max(Notice.number)).where(Notice.year == on.year,
                                                                           Notice.level == lv.key)).scalar()
            next_number[lv.key] = (highest or 0) + 1
        number = next_number[lv.key]
        next_number[lv.key] += 1
        f = d.fact
        n = Notice(task_id=f.id, level=lv.key, year=on.year, number=number, issued_on=on,
                   reply_by=add_days(on, lv.reply_days), due_on_issue=f.due, state_on_issue=f.state,
                   required=fill(lv.text, _text_values(f, lv, on, d.after)), recorded_by=current_user())
        session.add(n)
        issued.append((n, lv))
    session.flush()  # once: the ids for the history rows
    for n, lv in issued:
        record(session, "notice.issue", "notice", entity_id=n.id, task_id=n.task_id, summary=slip_label(n, lv),
               changes={"level": (None, lv.key), "number": (None, n.number), "issued_on": (None, on),
                        "reply_by": (None, n.reply_by)})
    return [n for n, _ in issued]


def get_slip(session: Session, notice_id: int) -> Notice:
    n = session.get(Notice, notice_id)
    if n is None:
        raise NotFound("notice.unknown_slip", id=notice_id)
    return n


def _event(session: Session, n: Notice, kind: str, on: dt.date, today: dt.date, text: str | None) -> NoticeEvent:
    if on > today:
        raise InvalidValue("notice.future", on=on.isoformat(), today=today.isoformat())
    if on < n.issued_on:
        raise InvalidValue("notice.before_issue", on=on.isoformat(), issued=n.issued_on.isoformat())
    last = session.execute(select(func.max(NoticeEvent.on_date)).where(NoticeEvent.notice_id == n.id)).scalar()
    if last is not None and on < last:
        raise InvalidValue("notice.before_last", on=on.isoformat(), last=last.isoformat())
    # judged as of the latest of the dates involved, so a later event cannot be written under an earlier one
    slip = slips_as_of(session, max(on, last or on), task_ids=[n.task_id])
    slip = next(s for s in slip if s.notice.id == n.id)
    label = slip.label
    if not slip.open:
        raise Conflict("notice.closed", number=label, status=t(f"notice.status.{slip.status}"))
    if kind == "answer" and slip.status == "answered":
        raise Conflict("notice.already_answered", number=label)
    if kind in ("accept", "reject") and slip.status != "answered":
        raise Conflict("notice.no_answer", number=label)
    event = NoticeEvent(notice_id=n.id, kind=kind, on_date=on, text=text, recorded_by=current_user())
    session.add(event)
    session.flush()
    record(session, f"notice.{kind}", "notice", entity_id=n.id, task_id=n.task_id, summary=f"{label}: {text}" if text else label,
           changes={kind: (None, on), **({"text": (None, text)} if text else {})})
    return event


def answer(session: Session, notice_id: int, *, on: dt.date, today: dt.date, text: str) -> tuple[Notice, str]:
    from taskctl.ledger import nonempty

    from taskctl import roles

    n = get_slip(session, notice_id)
    roles.require_leads(session, n.task_id)  # a slip is addressed to its task's lead unit
    _event(session, n, "answer", on, today, nonempty(text, "text"))
    return n, slip_label(n, _level_of(session, n))


def accept(session: Session, notice_id: int, *, on: dt.date, today: dt.date) -> tuple[Notice, str]:
    n = get_slip(session, notice_id)
    _event(session, n, "accept", on, today, None)
    return n, slip_label(n, _level_of(session, n))


def reject(session: Session, notice_id: int, *, on: dt.date, today: dt.date, reason: str) -> tuple[Notice, str]:
    from taskctl.ledger import nonempty

    n = get_slip(session, notice_id)
    _event(session, n, "reject", on, today, nonempty(reason, "reason"))
    return n, slip_label(n, _level_of(session, n))


def _level_of(session: Session, n: Notice) -> Level | None:
    return next((lv for lv in ladder(session)[0] if lv.key == n.level), None)


def notice_counts(source, first: dt.date, last: dt.date) -> dict[int, int]:
    """Slips issued per task between ``first`` and ``last`` (both included): the reports' ``notices``
    (``source``: a session or a ``Reader``)."""
    from taskctl.reports.quarter import notice_counts as counts

    return counts(source, first, last)


# ---------------------------------------------------------------- the list

NOTICE_COLUMNS = (("kind", "text", False), ("slip", "int", True), ("number", "text", True),
                  ("level", "text", False), ("level_name", "text", True), ("colour", "text", False),
                  ("task_id", "int", True), ("title", "text", True), ("lead_unit", "text", True),
                  ("leader", "text", False), ("due", "date", True), ("due_text", "text", False),
                  ("state", "state", True), ("light", "light", False), ("percent", "percent", False),
                  ("percent_expected", "percent", False), ("issued_on", "date", True), ("reply_by", "date", True),
                  ("status", "text", False), ("status_text", "text", True), ("reply_overdue", "bool", False), ("answered_on", "date", False),
                  ("answer", "text", False))


def _columns():
    labels = {"status_text": "notice.col.status", "title": "col.title", "lead_unit": "col.lead_unit", "leader": "col.leader", "due": "col.due",
              "due_text": "col.due_text", "state": "col.state", "light": "col.light", "percent": "col.percent",
              "percent_expected": "col.percent_expected"}
    # on a narrow terminal: hidden in this order (the last note names them); the slip's number stays whole
    drop = {"issued_on": 1, "due": 2, "level_name": 3, "state": 4, "lead_unit": 5, "reply_by": 6}
    return [C(k, kind, table=shown, label=labels.get(k, f"notice.col.{k}"), drop=drop.get(k))
            for k, kind, shown in NOTICE_COLUMNS]


def _row(f: TaskFacts | None, level: Level | None, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {k: None for k, _, _ in NOTICE_COLUMNS}
    if level is not None:
        row.update(level=level.key, level_name=level.name, colour=level.colour)
    if f is not None:
        row.update(task_id=f.id, title=f.title, lead_unit=f.lead_unit, leader=f.leader, due=f.due,
                   due_text=f.due_text, state=f.state, light=f.light, percent=round1(f.percent),
                   percent_expected=round1(f.expected))
    row.update(extra)
    return row


def notice_report(session: Session, *, as_of: dt.date, filters: Filters | None = None,
                  every_slip: bool = False) -> Report:
    """`notice list`: the tasks due a slip (kind ``due``) and the open slips (kind ``slip``) as of D;
    ``every_slip`` lists every slip issued by D, closed ones too."""
    facts = snapshot(session, as_of, filters)
    by_id = {f.id: f for f in facts}
    due = due_slips(session, as_of, facts=facts)
    rows = [_row(d.fact, d.level, kind="due", status="due", status_text=t("notice.status.due")) for d in due]
    slips = [s for s in slips_as_of(session, as_of, by_id, task_ids=list(by_id)) if every_slip or s.open]
    late = 0
    for s in slips:
        overdue_reply = s.status in ("unanswered", "rejected") and s.notice.reply_by < as_of
        late += overdue_reply
        rows.append(_row(by_id.get(s.notice.task_id), s.level, kind="slip", slip=s.notice.id, number=s.label,
                         issued_on=s.notice.issued_on, reply_by=s.notice.reply_by,
                         status=s.status,
                         status_text=t(f"notice.status.{s.status}") + (t("notice.reply_late") if overdue_reply else ""),
                         reply_overdue=overdue_reply, answered_on=s.answered_on, answer=s.answer))
        rows[-1]["level"] = s.notice.level
    n_open = sum(1 for s in slips if s.open)
    by_level: dict[str, int] = {}
    for d in due:
        by_level[d.level.name] = by_level.get(d.level.name, 0) + 1
    levels = " · ".join(f"{name} {n}" for name, n in by_level.items())
    footer = Msg("notice.list_footer", due=len(due), levels=f"（{levels}）" if levels else "", open=n_open, late=late)
    columns = _columns()
    return Report(name="notices", title=Msg("notice.list_title", as_of=as_of.isoformat()), columns=columns, rows=rows,
                  as_of=as_of, meta={"due": len(due), "open": n_open, "reply_overdue": late}, footer=footer)


def ladder_report(session: Session) -> Report:
    levels, default = ladder(session)
    rows = [dict(level_dict(lv), position=lv.position, trigger_text=_trigger_text(lv, levels),
                 colour_name=t(f"notice.colour.{lv.colour}")) for lv in levels]
    columns = [C("position", "int", label="notice.col.position"), C("key", label="notice.col.key", drop=3),
               C("name", label="notice.col.level_name"), C("title", label="notice.col.slip_title", drop=2),
               C("colour", table=False, label="notice.col.colour"), C("colour_name", label="notice.col.colour"),
               C("trigger", table=False, label="notice.col.trigger"),
               C("days", "int", table=False, label="notice.col.days"),
               C("after", table=False, label="notice.col.after"),
               C("trigger_text", label="notice.col.trigger"),
               C("reply_days", "int", label="notice.col.reply_days"),
               C("text", label="notice.col.text", drop=1)]
    return Report(name="ladder", title=Msg("notice.ladder_title"), columns=columns, rows=rows,
                  meta={"default": default},
                  footer=Msg("notice.ladder_default") if default else Msg("notice.ladder_custom", n=len(rows)))


def _trigger_text(lv: Level, levels: Sequence[Level]) -> str:
    after = next((x.name for x in levels if x.key == lv.after), lv.after or "")
    if lv.days == 0 and lv.trigger in ("behind", "overdue"):
        return t(f"notice.trigger.{lv.trigger}_now")
    return t(f"notice.trigger.{lv.trigger}", days=lv.days, after=after)


def edit_level(levels: list[Level], key: str, **changes: Any) -> list[Level]:
    """The ladder with one level changed, added (at the end, or at ``position``) or removed."""
    levels = [replace(lv) for lv in levels]
    position = changes.pop("position", None)
    remove = changes.pop("remove", False)
    found = next((lv for lv in levels if lv.key == key), None)
    if remove:
        if found is None:
            raise NotFound("notice.unknown_level", value=key, known=", ".join(lv.key for lv in levels))
        return [lv for lv in levels if lv.key != key]
    given = {k: v for k, v in changes.items() if v is not None}
    if found is None:
        missing = [k for k in ("name", "colour", "trigger", "text") if k not in given]
        if missing:
            raise InvalidValue("notice.new_level_needs", key=key, fields=", ".join("--" + m for m in missing))
        found = Level(key=key, **{"title": "", **given})
        levels.append(found)
    else:
        for k, v in given.items():
            setattr(found, k, v)
    if position is not None:
        levels.remove(found)
        levels.insert(max(0, min(len(levels), position - 1)), found)
    return levels


def levels_from_json(data: Any) -> list[Level]:
    """A ladder file (as `ladder show --format json` prints it): a list of levels, or {"rows": [...]}."""
    if isinstance(data, dict):
        data = data.get("rows")
    if not isinstance(data, list):
        raise InvalidValue("notice.ladder_file")
    out = []
    fields_ = {"key", "name", "title", "colour", "trigger", "days", "after", "reply_days", "text"}
    for item in data:
        if not isinstance(item, dict) or "key" not in item:
            raise InvalidValue("notice.ladder_file")
        try:
            out.append(Level(**{"title": "", **{k: v for k, v in item.items() if k in fields_}}))
        except TypeError:  # a level without its name, colour or trigger
            raise InvalidValue("notice.level_incomplete", key=item.get("key")) from None
    return out



# ---------------------------------------------------------------- the slips as documents

def slip_documents(session: Session, notices: Sequence[Notice], office: str) -> list[dict[str, Any]]:
    """What each slip page says (一事一单): number, unit, task, deadline, state, what is required, reply-by."""
    levels = {lv.key: lv for lv in ladder(session)[0]}
    facts: dict[tuple[dt.date, int], TaskFacts] = {}
    by_day: dict[dt.date, set[int]] = defaultdict(set)
    for n in notices:
        by_day[n.issued_on].add(n.task_id)
    for day, ids in by_day.items():  # one snapshot per issue date, not one per slip
        chosen = Filters(task_ids=sorted(ids)) if len(ids) <= 1000 else None
        for f in snapshot(session, day, chosen):
            if f.id in ids:
                facts[(day, f.id)] = f
    out = []
    for n in notices:
        f = facts[(n.issued_on, n.task_id)]
        lv = levels.get(n.level)
        date = doc_date
        deadline = f.due_text or ""
        if f.due is not None and deadline != f.due.isoformat():
            deadline = f"{deadline}（{date(f.due)}）" if deadline else date(f.due)
        percent = "—" if f.percent is None else f"{number_text(f.percent)}%"
        expected = "—" if f.expected is None else f"{number_text(f.expected)}%"
        fields_ = [
            (t("notice.doc.unit"), f.lead_unit or t("common.none")),
            (t("notice.doc.co_units"), "、".join(f.co_units) or t("common.none")),
            (t("notice.doc.leader"), f.leader or t("common.none")),
            (t("notice.doc.task"), t("notice.doc.task_text", id=f.id, title=f.title)),
            (t("notice.doc.deadline"), deadline or t("notice.no_due")),
            (t("notice.doc.state"), t("notice.doc.state_text", state=t("state." + n.state_on_issue),
                                      percent=percent, expected=expected)),
            (t("notice.doc.required"), n.required),
            (t("notice.doc.reply_by"), date(n.reply_by)),
        ]
        out.append({"office": office, "title": lv.title if lv else n.level, "name": lv.name if lv else n.level,
                    "colour_hex": COLOUR_HEX.get(lv.colour if lv else "red", "C00000"),
                    "number": slip_label(n, lv), "fields": [list(x) for x in fields_], "issued_on": n.issued_on,
                    "date": date(n.issued_on),
                    "closing": t("notice.doc.closing", reply_by=date(n.reply_by), office=office)})
    return out
