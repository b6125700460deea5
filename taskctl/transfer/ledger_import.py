"""Importing an office ledger (tasks) or a batch of progress reports.

Two passes.  ``plan_*`` reads every row, resolves areas, units, leaders and
tasks, and collects *every* error with its row and column, writing nothing.
``apply`` writes the plan in the command's one transaction: new rows with
bulk INSERTs (a 100,000-row ledger goes in within seconds), changed tasks
through the ORM, and ONE history entry for the whole import.

Matching: a row's 编号/id names an existing task; otherwise area + title
does; otherwise the row is a new task.  A file holding the same task twice is
an error, so an import never duplicates.  A progress row updates the task's
report of the same date rather than adding a second one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from taskctl import ledger as L
from taskctl.config import current_user
from taskctl.dates import parse_date
from taskctl.errors import InvalidValue, NotFound, TaskctlError
from taskctl.i18n import t
from taskctl.models import (
    Area, Leader, LeaderAlias, Progress, StatusChange, Task, TaskTag, TaskUnit, Unit, UnitAlias,
)
from taskctl.snapshot import CHUNK, dues_in_force, for_tasks
from taskctl.transfer.source import Table

Tick = Callable[[str, int, int], None]  # (phase, done, total)

SPLIT_UNITS = re.compile(r"[、，,;；/／\s]+")
TASK_SCALARS = ("title", "area_id", "detail", "lead_unit_id", "leader_id", "start", "due", "due_text", "invest",
                "target_q1", "target_q2", "target_q3", "target_q4", "works_start", "production", "ref", "source")


@dataclass
class RowError:
    row: int | None
    column: str | None
    message: str

    def line(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return t("import.error_at_column", row=self.row, column=self.column, message=self.message)
        return t("import.error_at", row=self.row, message=self.message)


@dataclass
class Action:
    row: int
    op: str  # add | update
    label: str
    fields: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    kind: str
    file: str
    rows_read: int = 0
    added: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    duplicate_columns: list[str] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    new_leaders: list[str] = field(default_factory=list)
    encoding: str | None = None
    sheet: str | None = None
    dry_run: bool = False


class ImportFailed(TaskctlError):
    key = "import.failed"


# ---------------------------------------------------------------- cells

def _text(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is str:  # noqa: E721 - the common case, already stripped by the reader
        return value or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time(0) else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return f"{value:g}"
    text = str(value).strip()
    return text or None


def _blank(value: Any) -> bool:
    return _text(value) is None


def split_names(text: str | None) -> list[str]:
    return [p for p in SPLIT_UNITS.split(text or "") if p]


def guess_unit_kind(name: str) -> str:
    """The kind of a unit created by ``--create-units``, from how Chinese unit names end."""
    if re.search(r"(经济区|开发区|经开区|高新区|园区|新区|示范区|产业园)$", name):
        return "zone"
    if re.search(r"(县|区|旗|市)$", name) and not name.startswith("市"):
        return "county"
    if re.search(r"(公司|集团|厂|企业)$", name):
        return "enterprise"
    return "department"


def _compact_ids(ids: list[int]) -> str:
    """1,2,3,7 -> "1-3,7": a 100,000-task import stays one short history entry."""
    out: list[str] = []
    ids = sorted(ids)
    i = 0
    while i < len(ids):
        j = i
        while j + 1 < len(ids) and ids[j + 1] == ids[j] + 1:
            j += 1
        out.append(str(ids[i]) if i == j else f"{ids[i]}-{ids[j]}")
        i = j + 1
    return ",".join(out)


class _Context:
    """Lookups loaded once, and the errors of the whole file."""

    def __init__(self, session: Session, table: Table, *, today: dt.date, year: int, create_units: bool) -> None:
        self.session, self.table, self.today, self.year = session, table, today, year
        # a row without a start cell starts as `task add` would (PRODUCT.md: the day it is assigned)
        self.default_start = today if today.year == year else dt.date(year, 1, 1)
        self.create_units = create_units
        self.errors: list[RowError] = []
        self.areas: dict[str, Area | None] = {}
        self.units: dict[str, tuple[int, str]] = {}
        for uid, name in session.execute(select(Unit.id, Unit.name)):
            self.units[name] = (uid, name)
        for uid, alias, name in session.execute(select(UnitAlias.unit_id, UnitAlias.alias, Unit.name)
                                                .join(Unit, Unit.id == UnitAlias.unit_id)):
            self.units.setdefault(alias, (uid, name))
        self.leaders: dict[str, int] = dict(session.execute(select(Leader.name, Leader.id)).all())
        for alias, leader_id in session.execute(select(LeaderAlias.alias, LeaderAlias.leader_id)):
            self.leaders.setdefault(alias, leader_id)
        self.unknown_units: dict[str, list[int]] = defaultdict(list)
        self.unknown_leaders: dict[str, list[int]] = defaultdict(list)
        self._dates: dict[tuple, Any] = {}

    def error(self, row: int | None, column: str | None, exc_or_text: Exception | str) -> None:
        message = exc_or_text.message() if isinstance(exc_or_text, TaskctlError) else str(exc_or_text)
        header = self.table.headers.get(column, column) if column else None
        self.errors.append(RowError(row, header, message))

    def area(self, text: str) -> Area | None:
        if text not in self.areas:
            try:
                self.areas[text] = L.find_area(self.session, text, lenient=True)
            except TaskctlError:
                self.areas[text] = None
        return self.areas[text]

    def unit(self, name: str, row: int) -> str:
        """The unit's canonical name (an unknown name is remembered and returned as is)."""
        found = self.units.get(name)
        if found is not None:
            return found[1]
        self.unknown_units[name].append(row)
        return name

    def leader(self, name: str, row: int) -> str:
        if name not in self.leaders:
            self.unknown_leaders[name].append(row)
        return name

    def workdays(self, day: dt.date, n: int) -> dt.date:
        """5个工作日内 in a deadline cell: the ledger's working-day calendar (taskctl.workdays)."""
        from taskctl.workdays import ledger_calendar

        return ledger_calendar(self.session).add_workdays(day, n)

    def date(self, value: Any, row: int, column: str, *, role: str = "end", start: dt.date | None = None):
        value = value if isinstance(value, (dt.date, dt.datetime)) else _text(value)
        key = (value, role, start)
        found = self._dates.get(key)  # ledgers repeat their deadlines: read each phrase once
        if found is None:
            try:
                found = parse_date(value, year=self.year, today=self.today, role=role, start=start,
                                   workdays=self.workdays)
            except TaskctlError as exc:
                found = exc
            self._dates[key] = found
        if isinstance(found, TaskctlError):
            self.error(row, column, found)
            return None
        return found

    def number(self, value: Any, row: int, column: str) -> float | None:
        try:
            return L.parse_number(value if isinstance(value, (int, float)) and not isinstance(value, bool)
                                  else _text(value), column)
        except TaskctlError as exc:
            self.error(row, column, exc)
            return None

    def whole(self, value: Any, row: int, column: str) -> int | None:
        text = _text(value)
        if text is None:
            return None
        text = text.lstrip("#")
        if not (text.isascii() and text.isdigit()) or len(text) > 18:  # not ² or ١, nor beyond any id
            self.error(row, column, t("import.not_an_id", value=text))
            return None
        return int(text)

    def unknown_name_errors(self) -> None:
        if self.create_units:
            return
        for kind, names in (("unit", self.unknown_units), ("leader", self.unknown_leaders)):
            if names:
                listed = "; ".join(f"{name} ({t('import.row' if len(rows) == 1 else 'import.rows', rows=_rows(rows))})"
                                   for name, rows in names.items())
                self.errors.append(RowError(None, None, t(f"import.unknown_{kind}s", n=len(names), names=listed)))


def _rows(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:5])
    return shown + (f", … (+{len(rows) - 5})" if len(rows) > 5 else "")


# ---------------------------------------------------------------- tasks

@dataclass
class _TaskRow:
    row: int
    values: dict[str, Any]  # the fields the file has, parsed
    target: int | None = None  # existing task to update
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def _parse_task(ctx: _Context, rownum: int, cells: list[Any], section: list[Area | None]) -> _TaskRow | None:
    table = ctx.table
    n = len(cells)
    by_field = {name: cells[i] if i < n else None for name, i in table.columns.items()}
    cell = by_field.get
    only, count = _single_value(cells)
    if only is not None and (count > 1 or _blank(cell("title"))):
        # a heading row (一、聚焦扩大投资) sets the area of the rows below; a merged note is skipped
        area = ctx.area(only)
        if area is not None:
            section[0] = area
            return None
        if count > 1:
            return None
    values: dict[str, Any] = {}
    if table.has("id"):
        values["id"] = ctx.whole(cell("id"), rownum, "id")
    area_text = _text(cell("area")) if table.has("area") else None
    if area_text:
        area = ctx.area(area_text)
        if area is None:
            try:
                L.find_area(ctx.session, area_text, lenient=True)
            except TaskctlError as exc:
                ctx.error(rownum, "area", exc)
        values["area"] = area
    elif section[0] is not None:
        values["area"] = section[0]
    elif not values.get("id"):
        ctx.error(rownum, "area" if table.has("area") else None, t("import.area_required"))
    title = _text(cell("title"))
    if title is None:
        ctx.error(rownum, "title", InvalidValue("error.empty", field="title"))
    values["title"] = title
    for name in ("ref", "detail", "source"):
        if table.has(name):
            values[name] = _text(cell(name))
    if table.has("lead_unit"):
        name = _text(cell("lead_unit"))
        values["lead_unit"] = ctx.unit(name, rownum) if name else None
    if table.has("co_units"):
        values["co_units"] = [ctx.unit(n, rownum) for n in dict.fromkeys(split_names(_text(cell("co_units"))))]
    if table.has("leader"):
        name = _text(cell("leader"))
        values["leader"] = ctx.leader(name, rownum) if name else None
    if table.has("start") and not _blank(cell("start")):
        parsed = ctx.date(cell("start"), rownum, "start", role="start")
        if parsed is not None:
            if parsed.date is None:
                ctx.error(rownum, "start", InvalidValue("error.needs_date", value=_text(cell("start"))))
            values["start"] = parsed.date
    for name in ("works_start", "production", "status_on"):
        if table.has(name):
            values[name] = None
            if not _blank(cell(name)):
                parsed = ctx.date(cell(name), rownum, name)
                if parsed is not None:
                    if parsed.date is None:
                        ctx.error(rownum, name, InvalidValue("error.needs_date", value=_text(cell(name))))
                    values[name] = parsed.date
    if table.has("due") or table.has("due_text"):
        values["due"] = _read_due(ctx, rownum, cell("due") if table.has("due") else None,
                                  cell("due_text") if table.has("due_text") else None, values.get("start"))
    if table.has("status"):
        text = _text(cell("status"))
        if text:
            status = L.status_word(text)
            if status is None:
                ctx.error(rownum, "status", t("import.bad_status", value=text))
            values["status"] = status
    if table.has("invest"):
        amount = ctx.number(cell("invest"), rownum, "invest")
        try:
            values["invest"] = L.check_amount(amount, "invest")
        except TaskctlError as exc:
            ctx.error(rownum, "invest", exc)
    targets = _read_targets(ctx, rownum, cell)
    if targets is not None:
        values["targets"] = targets
    if table.has("tags"):
        values["tags"] = list(dict.fromkeys(split_names(_text(cell("tags")))))
    return _TaskRow(rownum, values)


def _single_value(cells: list[Any]) -> tuple[str | None, int]:
    """(the value, how many cells hold it) when every non-blank cell holds the same value, else (None, 0)."""
    only, count = None, 0
    for c in cells:
        text = _text(c)
        if text is None:
            continue
        if only is None:
            only, count = text, 1
        elif text == only:
            count += 1
        else:
            return None, 0
    return only, count


def _read_due(ctx: _Context, rownum: int, due_cell: Any, text_cell: Any, start: dt.date | None) -> L.DueDate | None:
    """The due date from 完成时限, keeping the text as typed; a ``due_text`` column restores the
    ledger's wording (6月底前) when it names the same date as the ``due`` cell."""
    start = start or ctx.default_start
    due = None
    if not _blank(due_cell):
        due = ctx.date(due_cell, rownum, "due", start=start)
        if due is None:
            return None
    text = None
    if not _blank(text_cell):
        try:
            text = parse_date(_text(text_cell), year=ctx.year, today=ctx.today, start=start, workdays=ctx.workdays)
        except TaskctlError as exc:
            if due is None:
                ctx.error(rownum, "due_text", exc)
                return None
    if due is None and text is None:
        return L.DueDate(None, None)
    if due is None:
        return L.DueDate(text.date, text.text)
    if text is not None and text.date == due.date:
        return L.DueDate(due.date, text.text)
    return L.DueDate(due.date, due.text)


def _read_targets(ctx: _Context, rownum: int, cell) -> tuple | None:
    table = ctx.table
    quarter_cols = [f"target_q{i}" for i in range(1, 5)]
    if any(table.has(c) for c in quarter_cols):
        values: list[float | None] = []
        for c in quarter_cols:
            values.append(ctx.number(cell(c), rownum, c) if table.has(c) else None)
        text = ",".join(f"Q{i}={v:g}" for i, v in enumerate(values, start=1) if v is not None)
        column = next(c for c in quarter_cols if table.has(c))
    elif table.has("targets"):
        text = _text(cell("targets")) or ""
        column = "targets"
    else:
        return None
    try:
        return L.parse_targets(text)
    except TaskctlError as exc:
        ctx.error(rownum, column, exc)
        return None


def plan_tasks(session: Session, table: Table, *, today: dt.date, year: int, create_units: bool = False,
               tick: Tick | None = None) -> tuple[ImportResult, list[_TaskRow], _Context]:
    """Read and check every row; nothing is written."""
    ctx = _Context(session, table, today=today, year=year, create_units=create_units)
    result = ImportResult(kind="tasks", file=table.name, rows_read=len(table.rows), encoding=table.encoding,
                          sheet=table.sheet, unknown_columns=list(table.unknown),
                          duplicate_columns=list(table.duplicates))
    existing: dict[int, tuple[int, str]] = {}
    by_key: dict[tuple[int, str], list[int]] = defaultdict(list)
    for tid, area_id, title in session.execute(select(Task.id, Task.area_id, Task.title)):
        existing[tid] = (area_id, title)
        by_key[(area_id, title)].append(tid)

    section: list[Area | None] = [None]
    parsed: list[_TaskRow] = []
    total = len(table.rows)
    for n, (rownum, cells) in enumerate(table.rows, start=1):
        item = _parse_task(ctx, rownum, cells, section)
        if item is not None:
            parsed.append(item)
        if tick and (n % 1000 == 0 or n == total):
            tick("check", n, total)

    # match rows to tasks; the same task twice in one file is an error
    seen_ids: dict[int, int] = {}
    seen_keys: dict[tuple[int, str], int] = {}
    for item in parsed:
        v = item.values
        area = v.get("area")
        foreign = False
        if v.get("id") is not None and v["id"] in existing:
            old_area, old_title = existing[v["id"]]
            # neither area nor title agree: the id is another ledger's (an export imported elsewhere), and
            # overwriting an unrelated task would lose it — match on area + title instead
            foreign = area is not None and bool(v.get("title")) and area.id != old_area and v["title"] != old_title
        if v.get("id") is not None and v["id"] in existing and not foreign:
            item.target = v["id"]
        elif area is not None and v.get("title"):
            matches = by_key.get((area.id, v["title"]), [])
            if len(matches) > 1:
                ctx.error(item.row, "title", t("import.ambiguous_title", n=len(matches),
                                               ids=", ".join(f"#{i}" for i in matches)))
            elif matches:
                item.target = matches[0]
        elif v.get("id") is not None and area is None:
            ctx.error(item.row, "id", NotFound("error.unknown_task", id=v["id"]))
        if item.target is not None:
            if item.target in seen_ids:
                ctx.error(item.row, None, t("import.same_task_twice", id=item.target, other=seen_ids[item.target]))
            seen_ids[item.target] = item.row
        elif area is not None and v.get("title"):
            key = (area.id, v["title"])
            if key in seen_keys:
                ctx.error(item.row, "title", t("import.duplicate_row", other=seen_keys[key]))
            seen_keys[key] = item.row
    ctx.unknown_name_errors()
    _check_tasks(ctx, parsed, today)
    result.errors = ctx.errors
    result.new_units = sorted(ctx.unknown_units) if create_units else []
    result.new_leaders = sorted(ctx.unknown_leaders) if create_units else []
    return result, parsed, ctx


def _check_tasks(ctx: _Context, parsed: list[_TaskRow], today: dt.date) -> None:
    """Cross-field rules, and for matched tasks the changes the row makes."""
    session = ctx.session
    targets = [p.target for p in parsed if p.target is not None]
    tasks: dict[int, Any] = {}
    co: dict[int, list[str]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    last_status: dict[int, dt.date] = {}  # the date of each task's latest status change
    unit_names = dict(session.execute(select(Unit.id, Unit.name)).all())
    leader_names = dict(session.execute(select(Leader.id, Leader.name)).all())
    table = Task.__table__
    for row in for_tasks(session, select(table.c.id, *[c for c in table.c if c.name != "id"]), Task.id, targets):
        tasks[row.id] = row  # plain rows: comparing 100,000 tasks must not build 100,000 ORM objects
    for task_id, name in for_tasks(session, select(TaskUnit.task_id, Unit.name).join(Unit, Unit.id == TaskUnit.unit_id)
                                    .order_by(TaskUnit.task_id, TaskUnit.position, Unit.name), TaskUnit.task_id, targets):
        co[task_id].append(name)
    for task_id, tag in for_tasks(session, select(TaskTag.task_id, TaskTag.tag).order_by(TaskTag.task_id, TaskTag.tag),
                                   TaskTag.task_id, targets):
        tags[task_id].append(tag)
    for task_id, on_date in for_tasks(session, select(StatusChange.task_id, StatusChange.on_date)
                                       .order_by(StatusChange.task_id, StatusChange.on_date, StatusChange.id),
                                       StatusChange.task_id, targets):
        last_status[task_id] = on_date
    in_force = dues_in_force(session, today, targets)
    default_start = ctx.default_start

    for item in parsed:
        v = item.values
        if item.target is None:
            start = v.get("start") or default_start
            due = v.get("due")
            if due is not None and due.date is not None and due.date < start:
                ctx.error(item.row, "due", InvalidValue("error.due_before_start", due=due.date.isoformat(),
                                                          start=start.isoformat()))
            on = v.get("status_on") or today
            if v.get("status") not in (None, "active") and on < start:
                ctx.error(item.row, "status_on" if v.get("status_on") else "status",
                          InvalidValue("error.before_start", on=on.isoformat(), start=start.isoformat()))
            continue
        task = tasks[item.target]
        changes: dict[str, tuple[Any, Any]] = {}

        def put(name: str, old: Any, new: Any) -> None:
            if old != new:
                changes[name] = (old, new)

        area = v.get("area")
        if area is not None:
            put("area_id", task.area_id, area.id)
        if v.get("title"):
            put("title", task.title, v["title"])
        for name in ("ref", "detail", "source", "invest", "works_start", "production"):
            if name in v:
                put(name, getattr(task, name), v[name])
        if "lead_unit" in v:
            put("lead_unit", unit_names.get(task.lead_unit_id), v["lead_unit"])
        if "leader" in v:
            put("leader", leader_names.get(task.leader_id), v["leader"])
        if "co_units" in v:
            wanted = [n for n in v["co_units"] if n != v.get("lead_unit", unit_names.get(task.lead_unit_id))]
            put("co_units", co.get(task.id, []), wanted)
        if "tags" in v:
            put("tags", tags.get(task.id, []), sorted(v["tags"]))
        if "targets" in v:
            old = (task.target_q1, task.target_q2, task.target_q3, task.target_q4)
            for i, (o, n) in enumerate(zip(old, v["targets"]), start=1):
                put(f"target_q{i}", o, n)
        if v.get("start") is not None:
            put("start", task.start, v["start"])
        due = v.get("due")
        if due is not None:
            if task.id in in_force:
                cur_date, cur_text, n_ext = in_force[task.id]
                if due.date != cur_date:
                    ctx.error(item.row, "due", t("import.extended", id=task.id, due=cur_date.isoformat(), n=n_ext))
            else:
                cur_date, cur_text = task.due, task.due_text
                if due.date != cur_date:
                    put("due", cur_date, due.date)
                    put("due_text", cur_text, due.text)
                elif due.text != cur_text and due.text != (due.date.isoformat() if due.date else None):
                    put("due_text", cur_text, due.text)  # same date, the ledger's own wording
        start = changes.get("start", (None, task.start))[1]
        due_date = changes["due"][1] if "due" in changes else task.due
        if due_date is not None and due_date < start:
            ctx.error(item.row, "due" if "due" in changes else "start",
                      InvalidValue("error.due_before_start", due=due_date.isoformat(), start=start.isoformat()))
        status = v.get("status")
        if status is not None and status != task.status:
            on = v.get("status_on") or today
            last = last_status.get(task.id)
            column = "status_on" if v.get("status_on") else "status"
            if last is not None and on < last:
                ctx.error(item.row, column, InvalidValue("error.status_before_last", on=on.isoformat(),
                                                           last=last.isoformat()))
            elif on < start:
                ctx.error(item.row, column, InvalidValue("error.before_start", on=on.isoformat(),
                                                           start=start.isoformat()))
            changes["status"] = (task.status, status)
            changes["status_on"] = (last, on)
        item.changes = changes


def _history_json(changes: dict[str, tuple[Any, Any]]) -> str:
    """The History.changes text, as ``ledger.record`` writes it."""
    def plain(value: Any) -> Any:
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    return json.dumps({k: [plain(o), plain(n)] for k, (o, n) in changes.items()}, ensure_ascii=False, sort_keys=True)


def bulk_insert(session: Session, table, rows: list[dict[str, Any]]) -> None:
    """Many rows into ``table`` in the session's transaction: COPY on PostgreSQL (a row-by-row
    executemany is ten times slower there), executemany on SQLite."""
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    if dialect.name != "postgresql":
        columns = list(rows[0])
        if dialect.paramstyle != "qmark":  # pragma: no cover - another SQLite driver
            conn.execute(table.insert(), rows)
            return
        # the columns' own bind processors (dates and times stored exactly as the ORM stores them), then
        # one executemany: SQLAlchemy's per-row parameter handling would cost more than SQLite itself
        processors = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
        quote = dialect.identifier_preparer.quote
        statement = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
                     f"VALUES ({', '.join('?' for _ in columns)})")
        conn.exec_driver_sql(statement, [tuple(row[c] if proc is None else proc(row[c])
                                               for c, proc in zip(columns, processors)) for row in rows])
        return
    from taskctl.roles import caller

    if caller(session).restricted:  # PostgreSQL refuses COPY FROM where row-level security applies
        conn.execute(table.insert(), rows)
        return
    from psycopg import sql

    columns = list(rows[0])
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    with conn.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def apply_tasks(session: Session, result: ImportResult, parsed: list[_TaskRow], ctx: _Context, *,
                today: dt.date, tick: Tick | None = None) -> None:
    """Write a checked plan (``result.errors`` must be empty), with one history entry for all of it."""
    assert not result.errors
    adds = [p for p in parsed if p.target is None]
    updates = [p for p in parsed if p.target is not None and p.changes]
    result.added, result.updated = len(adds), len(updates)
    result.skipped = result.rows_read - result.added - result.updated
    if not (adds or updates or ctx.unknown_units or ctx.unknown_leaders):
        return
    # The history entry goes first: on SQLite its INSERT takes the write lock before ids are counted.
    history_row = L.record(session, "import.tasks", "import",
                           summary=t("import.history_summary", file=result.file, added=result.added,
                                     updated=result.updated))
    session.flush()
    units = {name: uid for name, (uid, _) in ctx.units.items()}
    leaders = dict(ctx.leaders)
    batch_before = session.info.get("batch")
    session.info["batch"] = True
    try:
        for name in sorted(ctx.unknown_units):
            units[name] = L.add_unit(session, name=name, kind=guess_unit_kind(name)).id
        for name in sorted(ctx.unknown_leaders):
            leaders[name] = L.add_leader(session, name=name).id
        default_start = ctx.default_start
        user = current_user()
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        total = len(adds) + len(updates)
        added_ids = L.allocate_task_ids(session, len(adds))
        for start in range(0, len(adds), CHUNK):
            task_rows, links, tag_rows, status_rows = [], [], [], []
            for p, task_id in zip(adds[start:start + CHUNK], added_ids[start:start + CHUNK]):
                v = p.values
                due = v.get("due") or L.DueDate(None, None)
                targets = v.get("targets") or (None, None, None, None)
                lead_id = units[v["lead_unit"]] if v.get("lead_unit") else None
                status = v.get("status") or "active"
                task_rows.append({
                    "id": task_id, "area_id": v["area"].id, "title": v["title"], "detail": v.get("detail"),
                    "lead_unit_id": lead_id, "leader_id": leaders[v["leader"]] if v.get("leader") else None,
                    "start": v.get("start") or default_start, "due": due.date, "due_text": due.text,
                    "status": status, "invest": v.get("invest"),
                    "target_q1": targets[0], "target_q2": targets[1], "target_q3": targets[2],
                    "target_q4": targets[3], "works_start": v.get("works_start"), "production": v.get("production"),
                    "ref": v.get("ref"), "source": v.get("source"), "created_at": now, "updated_at": now,
                })
                seen = {lead_id}
                for position, name in enumerate(v.get("co_units") or []):
                    uid = units[name]
                    if uid not in seen:
                        seen.add(uid)
                        links.append({"task_id": task_id, "unit_id": uid, "position": position})
                for tag in v.get("tags") or []:
                    tag_rows.append({"task_id": task_id, "tag": tag})
                if status != "active":
                    status_rows.append({"task_id": task_id, "status": status,
                                        "on_date": v.get("status_on") or today, "note": None,
                                        "recorded_by": user, "recorded_at": now})
            for model, rows in ((Task, task_rows), (TaskUnit, links), (TaskTag, tag_rows),
                                (StatusChange, status_rows)):
                bulk_insert(session, model.__table__, rows)
            if tick:
                tick("write", min(start + CHUNK, len(adds)), total)

        history: dict[str, tuple[Any, Any]] = {}
        if updates:
            wanted = [p.target for p in updates]
            tasks = {}
            for start in range(0, len(wanted), CHUNK):
                tasks.update({task.id: task for task in session.execute(
                    select(Task).where(Task.id.in_(wanted[start:start + CHUNK]))).scalars()})
            for n, p in enumerate(updates, start=1):
                task = tasks[p.target]
                _apply_changes(session, task, p.changes, units, leaders, user, now)
                for name, (old, new) in p.changes.items():
                    history[f"#{task.id}.{name}"] = (old, new)
                if tick and (n % 1000 == 0 or n == len(updates)):
                    tick("write", len(adds) + n, total)
        history.update({"file": (None, result.file), "added": (None, result.added),
                        "updated": (None, result.updated)})
        if added_ids:
            history["added_ids"] = (None, _compact_ids(added_ids))
        if result.new_units:
            history["units_created"] = (None, result.new_units)
        if result.new_leaders:
            history["leaders_created"] = (None, result.new_leaders)
        if history_row is not None:
            history_row.changes = _history_json(history)
        session.flush()
    finally:
        session.info["batch"] = batch_before


def _apply_changes(session: Session, task: Task, changes: dict[str, tuple[Any, Any]], units: dict[str, int],
                   leaders: dict[str, int], user: str, now: dt.datetime) -> None:
    updates: dict[str, Any] = {}
    for name, (_, new) in changes.items():
        if name in TASK_SCALARS:
            updates[name] = new
        elif name == "lead_unit":
            updates["lead_unit_id"] = units[new] if new else None
        elif name == "leader":
            updates["leader_id"] = leaders[new] if new else None
    L.diff(task, updates)
    if "co_units" in changes:
        session.execute(TaskUnit.__table__.delete().where(TaskUnit.task_id == task.id))
        lead = task.lead_unit_id
        rows, seen = [], {lead}
        for position, name in enumerate(changes["co_units"][1]):
            if units[name] not in seen:
                seen.add(units[name])
                rows.append({"task_id": task.id, "unit_id": units[name], "position": position})
        if rows:
            session.execute(insert(TaskUnit), rows)
    if "tags" in changes:
        session.execute(TaskTag.__table__.delete().where(TaskTag.task_id == task.id))
        if changes["tags"][1]:
            session.execute(insert(TaskTag), [{"task_id": task.id, "tag": tag} for tag in changes["tags"][1]])
    if "status" in changes:
        new = changes["status"][1]
        session.add(StatusChange(task_id=task.id, status=new, on_date=changes["status_on"][1], recorded_by=user,
                                 recorded_at=now))
        task.status = new
    task.updated_at = now


def describe_task_actions(result: ImportResult, parsed: list[_TaskRow]) -> None:
    """What a dry run would do, row by row."""
    for p in parsed:
        v = p.values
        if p.target is None:
            area = v["area"].name_zh if v.get("area") else ""
            result.actions.append(Action(p.row, "add", f"{area} · {v.get('title')}"))
        elif p.changes:
            fields = [k for k in p.changes if k != "status_on"]
            result.actions.append(Action(p.row, "update", f"#{p.target} {v.get('title') or ''}".strip(), fields))
    result.added = sum(1 for a in result.actions if a.op == "add")
    result.updated = sum(1 for a in result.actions if a.op == "update")
    result.skipped = result.rows_read - result.added - result.updated


def import_tasks(session: Session, table: Table, *, today: dt.date, year: int, create_units: bool = False,
                 dry_run: bool = False, tick: Tick | None = None) -> ImportResult:
    result, parsed, ctx = plan_tasks(session, table, today=today, year=year, create_units=create_units, tick=tick)
    result.dry_run = dry_run
    if result.errors:
        return result
    if dry_run:
        describe_task_actions(result, parsed)
        return result
    apply_tasks(session, result, parsed, ctx, today=today, tick=tick)
    return result


# ---------------------------------------------------------------- progress

@dataclass
class _ProgressRow:
    row: int
    task_id: int
    values: dict[str, Any]
    target: Progress | None = None  # the same task's report of the same date
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    label: str = ""


PROGRESS_ATTRS = {"percent": "percent", "invest_done": "invest_done", "stage": "stage", "note": "note",
                  "problems": "problems", "next": "next_steps"}


def plan_progress(session: Session, table: Table, *, today: dt.date, year: int,
                  tick: Tick | None = None) -> tuple[ImportResult, list[_ProgressRow], _Context]:
    ctx = _Context(session, table, today=today, year=year, create_units=False)
    result = ImportResult(kind="progress", file=table.name, rows_read=len(table.rows), encoding=table.encoding,
                          sheet=table.sheet, unknown_columns=list(table.unknown),
                          duplicate_columns=list(table.duplicates))
    info: dict[int, tuple[int, str, dt.date]] = {}
    leads: dict[int, int | None] = {}
    by_title: dict[str, list[int]] = defaultdict(list)
    for tid, area_id, title, start, lead in session.execute(select(Task.id, Task.area_id, Task.title, Task.start,
                                                                   Task.lead_unit_id)):
        info[tid] = (area_id, title, start)
        leads[tid] = lead
        by_title[title].append(tid)
    from taskctl import roles

    who = roles.caller(session)
    my_unit = session.execute(select(Unit.id).where(Unit.name == who.unit)).scalar() if who.kind == "unit" else None
    form_units: dict[str, Unit | None] = {}
    parsed: list[_ProgressRow] = []
    seen: dict[tuple[int, dt.date], int] = {}
    total = len(table.rows)
    for n, (rownum, cells) in enumerate(table.rows, start=1):
        if tick and (n % 1000 == 0 or n == total):
            tick("check", n, total)
        cell = lambda name: table.cell(cells, name)  # noqa: E731
        errors_before = len(ctx.errors)
        form_unit = _text(cell("form_unit")) if table.has("form_unit") else None
        if form_unit and all(_blank(cell(k)) for k in ("percent", "invest_done", "stage", "note", "problems", "next")):
            continue  # a form's row the unit left empty: nothing reported for that task
        if who.restricted and table.has("id") and not _blank(cell("id")):
            wanted_id = ctx.whole(cell("id"), rownum, "id")
            if wanted_id is not None and (wanted_id not in info or leads.get(wanted_id) != my_unit):
                ctx.error(rownum, "id", roles.refusal(who, wanted_id))
                continue
        task_id = _progress_task(ctx, rownum, cell, info, by_title)
        if task_id is not None and who.kind == "unit" and leads.get(task_id) != my_unit:
            ctx.error(rownum, "id", roles.refusal(who, task_id))
            continue
        if task_id is not None and form_unit:
            if form_unit not in form_units:
                try:
                    form_units[form_unit] = L.find_unit(session, form_unit)
                except TaskctlError as exc:
                    form_units[form_unit] = None
                    ctx.error(rownum, "form_unit", exc)
            unit = form_units[form_unit]
            if unit is None:
                continue
            if leads.get(task_id) != unit.id:
                ctx.error(rownum, "id", t("form.not_led", id=task_id, unit=unit.name))
                continue
        values: dict[str, Any] = {}
        on = today
        if table.has("on") and not _blank(cell("on")):
            parsed_on = ctx.date(cell("on"), rownum, "on")
            if parsed_on is not None:
                if parsed_on.date is None:
                    ctx.error(rownum, "on", InvalidValue("error.needs_date", value=_text(cell("on"))))
                else:
                    on = parsed_on.date
        values["on"] = on
        if _blank(cell("percent")):
            ctx.error(rownum, "percent", InvalidValue("error.empty", field="percent"))
        else:
            percent = ctx.number(cell("percent"), rownum, "percent")
            if percent is not None:
                try:
                    values["percent"] = L.check_percent(percent)
                except TaskctlError as exc:
                    ctx.error(rownum, "percent", exc)
        if table.has("invest_done"):
            amount = ctx.number(cell("invest_done"), rownum, "invest_done")
            try:
                values["invest_done"] = L.check_amount(amount, "invest_done")
            except TaskctlError as exc:
                ctx.error(rownum, "invest_done", exc)
        if table.has("stage"):
            try:
                values["stage"] = L.stage(_text(cell("stage")))
            except TaskctlError as exc:
                ctx.error(rownum, "stage", exc)
        for name in ("note", "problems", "next"):
            if table.has(name):
                values[name] = _text(cell(name))
        if task_id is None or len(ctx.errors) > errors_before:
            continue
        start = info[task_id][2]
        if on < start:
            ctx.error(rownum, "on" if table.has("on") else None,
                      InvalidValue("error.before_start", on=on.isoformat(), start=start.isoformat()))
            continue
        key = (task_id, on)
        if key in seen:
            ctx.error(rownum, None, t("import.same_report_twice", id=task_id, on=on.isoformat(), other=seen[key]))
            continue
        seen[key] = rownum
        parsed.append(_ProgressRow(rownum, task_id, values, label=f"#{task_id} {on.isoformat()}"))
    # an update of the same task and date is corrected, not duplicated
    ids = sorted({p.task_id for p in parsed})
    same_day: dict[tuple[int, dt.date], Progress] = {}
    for task_id, on_date, update_id in for_tasks(session, select(Progress.task_id, Progress.on_date, Progress.id)
                                                  .order_by(Progress.id), Progress.task_id, ids):
        same_day[(task_id, on_date)] = update_id
    loaded = {}
    wanted = sorted({same_day[(p.task_id, p.values["on"])] for p in parsed if (p.task_id, p.values["on"]) in same_day})
    for start in range(0, len(wanted), CHUNK):
        for update in session.execute(select(Progress).where(Progress.id.in_(wanted[start:start + CHUNK]))).scalars():
            loaded[update.id] = update
    same_day = {key: loaded[uid] for key, uid in same_day.items() if uid in loaded}
    for p in parsed:
        p.target = same_day.get((p.task_id, p.values["on"]))
        if p.target is not None:
            for name, attr in PROGRESS_ATTRS.items():
                if name in p.values and getattr(p.target, attr) != p.values[name]:
                    p.changes[attr] = (getattr(p.target, attr), p.values[name])
    result.errors = ctx.errors
    return result, parsed, ctx


def _progress_task(ctx: _Context, rownum: int, cell, info: dict, by_title: dict) -> int | None:
    table = ctx.table
    title = _text(cell("title")) if table.has("title") else None
    task_id = ctx.whole(cell("id"), rownum, "id") if table.has("id") else None
    if task_id is not None:
        if task_id not in info:
            ctx.error(rownum, "id", NotFound("error.unknown_task", id=task_id))
            return None
        if not title or title == info[task_id][1]:
            return task_id
        # ids of another ledger (an export imported into an empty one): the title decides
        found = _by_title(ctx, rownum, cell, title, info, by_title, quiet=True)
        if found is None:
            ctx.error(rownum, "title", t("import.id_title_mismatch", id=task_id, title=info[task_id][1]))
        return found
    if not title:
        ctx.error(rownum, "title" if table.has("title") else "id", t("import.progress_needs_task"))
        return None
    return _by_title(ctx, rownum, cell, title, info, by_title)


def _by_title(ctx: _Context, rownum: int, cell, title: str, info: dict, by_title: dict,
              quiet: bool = False) -> int | None:
    table = ctx.table
    matches = by_title.get(title, [])
    area_text = _text(cell("area")) if table.has("area") else None
    if area_text and matches:
        area = ctx.area(area_text)
        if area is None:
            ctx.error(rownum, "area", t("import.unknown_area", value=area_text))
            return None
        matches = [m for m in matches if info[m][0] == area.id]
    if not matches:
        if not quiet:
            ctx.error(rownum, "title", t("import.no_task_titled", title=title))
        return None
    if len(matches) > 1:
        ctx.error(rownum, "title", t("import.ambiguous_title", n=len(matches), ids=", ".join(f"#{i}" for i in matches)))
        return None
    return matches[0]


def import_progress(session: Session, table: Table, *, today: dt.date, year: int, dry_run: bool = False,
                    tick: Tick | None = None) -> ImportResult:
    result, parsed, _ = plan_progress(session, table, today=today, year=year, tick=tick)
    result.dry_run = dry_run
    if result.errors:
        return result
    adds = [p for p in parsed if p.target is None]
    updates = [p for p in parsed if p.target is not None and p.changes]
    result.added, result.updated = len(adds), len(updates)
    result.skipped = result.rows_read - result.added - result.updated
    if dry_run:
        for p in parsed:
            if p.target is None:
                result.actions.append(Action(p.row, "add", f"{p.label} {p.values.get('percent', 0):g}%"))
            elif p.changes:
                result.actions.append(Action(p.row, "update", f"{p.label} (#{p.target.id})", list(p.changes)))
        return result
    user = current_user()
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    total = len(adds) + len(updates)
    history: dict[str, tuple[Any, Any]] = {}
    for start in range(0, len(adds), CHUNK):
        chunk = adds[start:start + CHUNK]
        bulk_insert(session, Progress.__table__, [{
            "task_id": p.task_id, "on_date": p.values["on"], "percent": p.values["percent"],
            "invest_done": p.values.get("invest_done"), "stage": p.values.get("stage"),
            "note": p.values.get("note"), "problems": p.values.get("problems"), "next_steps": p.values.get("next"),
            "recorded_by": user, "recorded_at": now} for p in chunk])
        if tick:
            tick("write", start + len(chunk), total)
    for p in updates:
        L.diff(p.target, {attr: new for attr, (_, new) in p.changes.items()})
        for attr, pair in p.changes.items():
            history[f"#{p.task_id}@{p.values['on'].isoformat()}.{attr}"] = pair
    session.flush()
    history.update({"file": (None, result.file), "added": (None, result.added), "updated": (None, result.updated)})
    if result.added or result.updated:
        L.record(session, "import.progress", "import",
                 summary=t("import.history_summary", file=result.file, added=result.added, updated=result.updated),
                 changes=history)
    return result
