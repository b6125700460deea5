"""The Friday file (周报): the weekly status export for ISO week W.

As of D = the earlier of W's Sunday and today (or ``--as-of`` inside W), in
seven parts, each a ``Report`` (the one report model), so every format holds
the same rows and figures:

    summary         the quarter report by area for the quarter holding D (``quarter_report``), with totals
    open_tasks      every task active on D: light, latest and expected percent, latest note, 申请销号 pending
    progressed      every progress update dated Monday..D, with the change since the task's previous update
    became_overdue  tasks overdue on D (``overdue_report``) whose due date in force fell in Monday-1..D-1,
                    i.e. overdue on D but not before the week began
    completed       tasks done on D whose completion is dated Monday..D
    no_update       tasks active on D, started by D, with no update dated Monday..D
    instructions    leader instructions dated Monday..D

The summary and the overdue part are built by ``taskctl.reports`` themselves,
so the weekly file agrees with ``quarter`` and ``overdue`` for the same date.
Nothing depends on the clock beyond D: the same data and week give
byte-identical CSV, JSON and Markdown.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from taskctl.dates import parse_week, quarter_of
from taskctl.errors import InvalidValue
from taskctl.i18n import t
from taskctl.reader import reader_of
from taskctl.render.cells import cell_text, csv_cell, csv_formatter, display_value, json_value
from taskctl.render.text import csv_writer, markdown_table
from taskctl.render.words import header, say
from taskctl.reports.model import Column, Msg, Report, round1
from taskctl.snapshot import Filters, TaskFacts, gc_paused, snapshot

PARTS = ("summary", "open_tasks", "progressed", "became_overdue", "completed", "no_update", "instructions")

# (key, kind, shown in Markdown/XLSX); JSON and CSV carry every column
OPEN_COLUMNS = (("id", "int", True), ("area", "text", False), ("area_name", "text", True), ("title", "text", True),
                ("lead_unit", "text", True), ("co_units", "list", True), ("leader", "text", True),
                ("due", "date", True), ("due_text", "text", True), ("state", "state", True),
                ("light", "light", True), ("percent", "percent", True), ("percent_expected", "percent", True),
                ("last_update", "date", True), ("note", "text", True), ("close_requested", "bool", True))
PROGRESSED_COLUMNS = (("id", "int", True), ("area", "text", False), ("area_name", "text", True),
                      ("title", "text", True), ("lead_unit", "text", True), ("on", "date", True),
                      ("percent", "percent", True), ("change", "number", True), ("invest_done", "money", True),
                      ("stage", "stage", False), ("note", "text", True), ("problems", "text", True),
                      ("next", "text", True))
OVERDUE_COLUMNS = (("id", "int", True), ("area", "text", False), ("area_name", "text", True), ("title", "text", True),
                   ("lead_unit", "text", True), ("leader", "text", True), ("due", "date", True),
                   ("due_text", "text", False), ("original_due", "date", False), ("days_overdue", "int", True),
                   ("percent", "percent", True), ("last_update", "date", True), ("note", "text", True))
COMPLETED_COLUMNS = (("id", "int", True), ("area", "text", False), ("area_name", "text", True),
                     ("title", "text", True), ("lead_unit", "text", True), ("leader", "text", True),
                     ("due", "date", True), ("completed_on", "date", True), ("done_late", "bool", True))
NO_UPDATE_COLUMNS = (("id", "int", True), ("area", "text", False), ("area_name", "text", True),
                     ("title", "text", True), ("lead_unit", "text", True), ("leader", "text", True),
                     ("due", "date", True), ("state", "state", False), ("light", "light", True),
                     ("last_update", "date", True), ("days_since", "int", True))
INSTRUCTION_COLUMNS = (("on", "date", True), ("instructed_by", "text", True), ("id", "int", True),
                       ("area", "text", False), ("area_name", "text", True), ("title", "text", True),
                       ("lead_unit", "text", True), ("text", "text", True))
OWN_LABELS = {"change": "weekly.col.change", "completed_on": "weekly.col.completed_on",
              "days_overdue": "weekly.col.days_overdue", "days_since": "weekly.col.days_since",
              "instructed_by": "weekly.col.instructed_by", "text": "weekly.col.instruction", "next": "col.next",
              "on": "col.on", "problems": "col.problems"}


@dataclass
class Weekly:
    week: str  # 2023-W05
    monday: dt.date
    sunday: dt.date
    as_of: dt.date
    quarter: str  # 2023Q1
    title: Msg
    parts: list[Report]
    totals: dict[str, Any]  # the summary's totals

    @property
    def row_count(self) -> int:
        return sum(len(p.rows) for p in self.parts)

    def part(self, name: str) -> Report:
        return next(p for p in self.parts if p.name == name)


def _columns(spec) -> list[Column]:
    return [Column(key=k, kind=kind, table=shown, label=OWN_LABELS.get(k)) for k, kind, shown in spec]


def _pick(row: dict[str, Any], columns: list[Column]) -> dict[str, Any]:
    return {c.key: row.get(c.key) for c in columns}


def week_dates(week: str | None, *, today: dt.date, as_of: dt.date | None = None) -> tuple[str, dt.date, dt.date, dt.date]:
    """(label, Monday, Sunday, as-of) of an ISO week; as of the earlier of its Sunday and today."""
    monday, sunday = parse_week(week, today=today) if week or as_of is None else parse_week(None, today=as_of)
    iso = monday.isocalendar()
    label = f"{iso.year}-W{iso.week:02d}"
    if as_of is None:
        as_of = min(sunday, today)
        if as_of < monday:
            raise InvalidValue("weekly.not_started", week=label, today=today.isoformat())
    elif not monday <= as_of <= sunday:
        raise InvalidValue("weekly.as_of_outside", as_of=as_of.isoformat(), week=label, monday=monday.isoformat(),
                           sunday=sunday.isoformat())
    return label, monday, sunday, as_of


def weekly(session, *, week: str | None, today: dt.date, as_of: dt.date | None = None,
           filters: Filters | None = None) -> Weekly:
    with gc_paused():
        return _weekly(session, week=week, today=today, as_of=as_of, filters=filters)


def _weekly(session, *, week: str | None, today: dt.date, as_of: dt.date | None,
            filters: Filters | None) -> Weekly:
    from taskctl.reports import overdue_report, quarter_report

    filters = filters or Filters()
    label, monday, sunday, as_of = week_dates(week, today=today, as_of=as_of)
    year, q = quarter_of(as_of)
    # one snapshot of D for every part: the summary, the overdue part and the task lists agree by construction
    every = snapshot(session, as_of, filters)
    summary = quarter_report(session, year=year, quarter=q, by="area", filters=filters, as_of=as_of, facts=every)
    summary.name = "summary"
    summary.title = Msg("weekly.part.summary", quarter=f"{year}Q{q}")
    totals = dict(summary.meta.get("totals") or {})

    # a task assigned after D is not in the file of D (recording it today changes no file already sent)
    facts = [f for f in every if f.state != "cancelled" and f.start <= as_of]
    by_id = {f.id: f for f in facts}

    # Rows are built straight from the facts, only the columns each part shows (the fields of
    # ``reports.rows.task_row``, which tests/test_weekly_speed.py holds them to): no full task row per
    # task kept aside, no copy of it per part — at 100,000 tasks that was most of the time and memory.
    cols = _columns(OPEN_COLUMNS)
    open_rows = [_open_row(f) for f in facts if f.status == "active"]
    open_tasks = Report(name="open_tasks", title=Msg("weekly.part.open_tasks"), columns=cols, rows=open_rows, as_of=as_of)

    progressed = _progressed(session, by_id, monday, as_of)

    cols = _columns(OVERDUE_COLUMNS)
    first_day, last_day = monday - dt.timedelta(days=1), as_of - dt.timedelta(days=1)
    overdue = overdue_report(session, as_of=as_of, filters=filters, facts=every)
    became = [_pick(r, cols) for r in overdue.rows if r.get("due") is not None and first_day <= r["due"] <= last_day]
    del overdue
    became_overdue = Report(name="became_overdue", title=Msg("weekly.part.became_overdue"), columns=cols, rows=became,
                            as_of=as_of)

    cols = _columns(COMPLETED_COLUMNS)
    done = [_completed_row(f) for f in facts
            if f.status == "done" and f.status_on is not None and monday <= f.status_on <= as_of]
    completed = Report(name="completed", title=Msg("weekly.part.completed"), columns=cols, rows=done, as_of=as_of)

    cols = _columns(NO_UPDATE_COLUMNS)
    silent = []
    missed = _missed_reports(session, [f for f in facts if f.status == "active" and f.start <= as_of], as_of)
    for f in facts:
        if f.id in missed:  # a task with a reporting duty: listed when it missed its latest report day
            if missed[f.id]:
                silent.append(_no_update_row(f, as_of))
            continue
        if f.status == "active" and f.start <= as_of and (f.last_update is None or f.last_update < monday):
            silent.append(_no_update_row(f, as_of))
    no_update = Report(name="no_update", title=Msg("weekly.part.no_update"), columns=cols, rows=silent, as_of=as_of)

    instructions = _instructions(session, by_id, monday, as_of)

    title = Msg("weekly.title", week=label, monday=monday.isoformat(), sunday=sunday.isoformat(),
              as_of=as_of.isoformat())
    return Weekly(week=label, monday=monday, sunday=sunday, as_of=as_of, quarter=f"{year}Q{q}", title=title,
                  parts=[summary, open_tasks, progressed, became_overdue, completed, no_update, instructions],
                  totals=totals)


def _missed_reports(session, facts: list[TaskFacts], as_of: dt.date) -> dict[int, bool]:
    """For the tasks with a reporting duty: whether each missed its latest report day before D
    (the rule of ``stale``; taskctl.duties)."""
    from taskctl.duties import duties_of, judge_duty, update_dates
    from taskctl.workdays import ledger_calendar

    duties = duties_of(session, [f.id for f in facts]) if facts else {}
    if not duties:
        return {}
    calendar = ledger_calendar(session)
    updates = update_dates(session, list(duties), as_of)
    out = {}
    for f in facts:
        if f.id in duties:
            counted_from = max(f.start, f.status_on) if f.status_on else f.start
            out[f.id] = judge_duty(duties[f.id], counted_from=counted_from, as_of=as_of, updates=updates[f.id],
                                   calendar=calendar).stale
    return out


def _open_row(f: TaskFacts) -> dict[str, Any]:
    j = f.judgement
    return {"id": f.id, "area": f.area_key, "area_name": f.area_name, "title": f.title, "lead_unit": f.lead_unit,
            "co_units": list(f.co_units), "leader": f.leader, "due": f.due, "due_text": f.due_text,
            "state": j.state, "light": j.light, "percent": round1(j.percent), "percent_expected": round1(j.expected),
            "last_update": f.last_update, "note": f.note, "close_requested": f.close_requested}


def _completed_row(f: TaskFacts) -> dict[str, Any]:
    return {"id": f.id, "area": f.area_key, "area_name": f.area_name, "title": f.title, "lead_unit": f.lead_unit,
            "leader": f.leader, "due": f.due, "completed_on": f.status_on, "done_late": f.judgement.done_late}


def _no_update_row(f: TaskFacts, as_of: dt.date) -> dict[str, Any]:
    j = f.judgement
    return {"id": f.id, "area": f.area_key, "area_name": f.area_name, "title": f.title, "lead_unit": f.lead_unit,
            "leader": f.leader, "due": f.due, "state": j.state, "light": j.light, "last_update": f.last_update,
            "days_since": (as_of - (f.last_update or f.start)).days}


def _progressed(session, by_id: dict[int, TaskFacts], monday: dt.date, as_of: dt.date) -> Report:
    """The week's updates as plain rows (columns, not ORM objects), each with the percent of the task's
    update just before it — the one before in (date, id) order, found by the database through the
    (task, date) index instead of loading every earlier update of every task updated this week."""
    cols = _columns(PROGRESSED_COLUMNS)
    found = [u for u in reader_of(session).rows(
        "SELECT p.task_id, p.on_date, p.id, p.percent, p.invest_done, p.stage, p.note, p.problems, p.next_steps, "
        "(SELECT b.percent FROM progress b WHERE b.task_id = p.task_id AND (b.on_date < p.on_date OR "
        "(b.on_date = p.on_date AND b.id < p.id)) ORDER BY b.on_date DESC, b.id DESC LIMIT 1) "
        "FROM progress p WHERE p.on_date >= :monday AND p.on_date <= :d", {"monday": monday, "d": as_of}, dates=(1,))
        if u[0] in by_id]
    found.sort(key=lambda u: (by_id[u[0]].area_number, u[0], u[1], u[2]))
    rows = []
    for task_id, on, _, percent, invest_done, stage, note, problems, next_steps, prior in found:
        f = by_id[task_id]
        rows.append({"id": task_id, "area": f.area_key, "area_name": f.area_name, "title": f.title,
                     "lead_unit": f.lead_unit, "on": on, "percent": round1(percent),
                     "change": round1(percent - prior) if prior is not None else None,
                     "invest_done": round1(invest_done), "stage": stage, "note": note, "problems": problems,
                     "next": next_steps})
    return Report(name="progressed", title=Msg("weekly.part.progressed"), columns=cols, rows=rows, as_of=as_of)


def _instructions(session, by_id: dict[int, TaskFacts], monday: dt.date, as_of: dt.date) -> Report:
    cols = _columns(INSTRUCTION_COLUMNS)
    found = reader_of(session).rows(
        "SELECT i.task_id, i.on_date, l.name, i.text FROM instruction i JOIN leader l ON l.id = i.leader_id "
        "WHERE i.on_date >= :monday AND i.on_date <= :d ORDER BY i.on_date, i.id", {"monday": monday, "d": as_of},
        dates=(1,))
    rows = []
    for task_id, on, name, text in found:
        f = by_id.get(task_id)
        if f is not None:
            rows.append({"on": on, "instructed_by": name, "id": task_id, "area": f.area_key,
                         "area_name": f.area_name, "title": f.title, "lead_unit": f.lead_unit, "text": text})
    return Report(name="instructions", title=Msg("weekly.part.instructions"), columns=cols, rows=rows, as_of=as_of)


# ---------------------------------------------------------------- JSON / CSV / Markdown

def to_dict(doc: Weekly) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    for part in doc.parts:
        body: dict[str, Any] = {"total": len(part.rows)}
        if part.name == "summary":
            body["totals"] = json_value(doc.totals)
        body["rows"] = [{c.key: json_value(r.get(c.key)) for c in part.columns} for r in part.rows]
        parts[part.name] = body
    return {"report": "weekly", "week": doc.week, "from": doc.monday.isoformat(), "to": doc.sunday.isoformat(),
            "as_of": doc.as_of.isoformat(), "quarter": doc.quarter, "parts": parts}


def to_json(doc: Weekly) -> bytes:
    return (json.dumps(to_dict(doc), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _summary_rows(doc: Weekly, part: Report) -> list[dict[str, Any]]:
    """The summary's rows and, in the files people read, its totals row."""
    if part.name != "summary" or not part.rows:
        return part.rows
    return part.rows + [{"key": "total", "name": t("weekly.total_row"), **doc.totals}]


def csv_keys(doc: Weekly) -> list[str]:
    keys: list[str] = ["part"]
    for part in doc.parts:
        for c in part.columns:
            if c.key not in keys:
                keys.append(c.key)
    return keys


HEADERS = ("en", "zh")
_WORD_KINDS = ("light", "state", "status", "stage", "bool")


def _csv_value(value: Any, kind: str, headers: str) -> str:
    """English keys for scripts; with Chinese headers, lights, states, stages and yes/no as Chinese words."""
    if headers == "zh" and value is not None and kind in _WORD_KINDS:
        return t("weekly.yes") if value is True else "" if value is False else display_value(value, kind)
    return csv_cell(value, kind)


def _csv_formatter(kind: str, headers: str) -> Callable[[Any], str]:
    """``_csv_value(value, kind, headers)`` as one function chosen once per column; the translated words
    of a column (a handful of states or lights over 100,000 rows) are looked up once each."""
    plain = csv_formatter(kind)
    if headers != "zh" or kind not in _WORD_KINDS:
        return plain
    said: dict[tuple[type, Any], str] = {}

    def word(value: Any) -> str:
        if value is None:
            return plain(value)
        key = (type(value), value)
        try:
            return said[key]
        except KeyError:
            text = said[key] = _csv_value(value, kind, headers)
            return text
        except TypeError:  # unhashable: not a word
            return _csv_value(value, kind, headers)

    return word


def _csv_row(doc: Weekly, part: Report, row: dict[str, Any]) -> dict[str, Any]:
    if part.name == "summary" and row.get("key") == "total":
        return dict(row, name=None)  # the totals row is told by its key; the name is a translated word
    return row


def _csv_labels(doc: Weekly, keys: list[str], headers: str) -> list[str]:
    if headers != "zh":
        return keys
    first: dict[str, tuple[Report, Column]] = {}
    for part in doc.parts:
        for c in part.columns:
            first.setdefault(c.key, (part, c))
    labels = [t("weekly.col.part")]
    for k in keys[1:]:
        part, c = first[k]
        # two parts' columns may share a header (聚焦领域): the later one names its part
        label = header(c)
        labels.append(label if label not in labels else f"{label}（{t(f'weekly.part_name.{part.name}')}）")
    return labels


def _csv_lines(doc: Weekly, part: Report, keys: list[str], headers: str, first: str | None = None):
    """The part's rows as CSV cells in the order of ``keys`` (blank where the part has no such column),
    after ``first`` (the part column) when given; each formatter chosen once per column."""
    own = {c.key: c for c in part.columns}
    offset = 0 if first is None else 1
    plan = [(i + offset, k, _csv_formatter(own[k].kind, headers)) for i, k in enumerate(keys) if k in own]
    blank = [""] * (len(keys) + offset)
    if first is not None:
        blank[0] = first
    for row in _summary_rows(doc, part):
        row = _csv_row(doc, part, row)
        get = row.get
        cells = blank.copy()
        for i, k, fmt in plan:
            cells[i] = fmt(get(k))
        yield cells


def write_csv(doc: Weekly, stream: BinaryIO, headers: str = "en") -> None:
    """The one CSV (see ``to_csv``) written to a binary stream row by row: no list of every row's cells
    and no whole-file string beside the bytes written."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
    try:
        with gc_paused():
            text.write("\ufeff")
            keys = csv_keys(doc)
            writer = csv_writer(text)
            writer.writerow(_csv_labels(doc, keys, headers))
            for part in doc.parts:
                name = t(f"weekly.part_name.{part.name}") if headers == "zh" else part.name
                writer.writerows(_csv_lines(doc, part, keys[1:], headers, first=name))
        text.flush()
    finally:
        text.detach()


def to_csv(doc: Weekly, headers: str = "en") -> bytes:
    """One CSV: a ``part`` column, then every part's columns (the union, in part order); each row fills its own.

    ``headers="zh"`` (the document built in Chinese): Chinese headers and part names, and lights,
    states and stages as Chinese words — for people; the default English keys are for scripts."""
    buf = io.BytesIO()
    write_csv(doc, buf, headers)
    return buf.getvalue()


def part_csv(doc: Weekly, part: Report, headers: str = "en") -> bytes:
    labels = [header(c) if headers == "zh" else c.key for c in part.columns]
    buf = io.BytesIO()
    text = io.TextIOWrapper(buf, encoding="utf-8", newline="", write_through=False)
    text.write("\ufeff")
    writer = csv_writer(text)
    writer.writerow(labels)
    writer.writerows(_csv_lines(doc, part, [c.key for c in part.columns], headers))
    text.flush()
    text.detach()
    return buf.getvalue()


def write_csv_parts(doc: Weekly, directory: Path, headers: str = "en") -> list[Path]:
    """``-o DIR``: one CSV per part, named weekly-2023-W05-1-summary.csv … (sorted in part order)."""
    from taskctl.transfer.atomic import write_bytes

    written = []
    for n, part in enumerate(doc.parts, start=1):
        path = Path(directory) / f"weekly-{doc.week}-{n}-{part.name}.csv"
        write_bytes(path, part_csv(doc, part, headers))
        written.append(path)
    return written


def to_markdown(doc: Weekly) -> bytes:
    lines = [f"# {say(doc.title)}", ""]
    for part in doc.parts:
        cols = [c for c in part.columns if c.table]
        lines += [f"## {say(part.title)} ({len(part.rows)})", ""]
        if not part.rows:
            lines += [t("weekly.none"), ""]
            continue
        rows = _summary_rows(doc, part)
        total = part.name == "summary" and rows[-1].get("key") == "total"
        lines += markdown_table([header(c) for c in cols], [c.kind for c in cols],
                                ([cell_text(row, c) for c in cols] for row in (rows[:-1] if total else rows)),
                                [[cell_text(rows[-1], c) for c in cols]] if total else [])
        lines.append("")
    return "\n".join(lines).encode("utf-8")


# ---------------------------------------------------------------- XLSX

def _xlsx_value(value: Any, kind: str) -> Any:
    """Lights, states and stages as translated words (the light cell is coloured as well); the rest as is."""
    if value is not None and kind in ("light", "state", "status", "stage"):
        return display_value(value, kind)
    return value


def _xlsx_converter(kind: str) -> Callable[[Any], Any] | None:
    """``_xlsx_value`` for a column of ``kind``, chosen once: None where values go as they are; the
    translated words of a column looked up once each."""
    if kind not in ("light", "state", "status", "stage"):
        return None
    said: dict[tuple[type, Any], Any] = {}

    def word(value: Any) -> Any:
        try:
            key = (type(value), value)
            return said[key]
        except KeyError:
            text = said[key] = _xlsx_value(value, kind)
            return text
        except TypeError:  # unhashable: not a word
            return _xlsx_value(value, kind)

    return word


def write_xlsx(doc: Weekly, path: Path, tick=None) -> None:
    from taskctl.render.xlsx import BarChart, Sheet, write_workbook

    sheets = []
    charts = []
    for part in doc.parts:
        cols = [c for c in part.columns if c.table]
        rows = _summary_rows(doc, part)
        title = t("weekly.sheet.summary") if part.name == "summary" else say(part.title)
        plan = [(c.key, _xlsx_converter(c.kind)) for c in cols]
        with gc_paused():
            cells = [[get(k) if conv is None else conv(get(k)) for k, conv in plan] for get in (r.get for r in rows)]
        sheet = Sheet(title=title, headers=[header(c) for c in cols],
                      kinds=["text" if c.kind in ("group", "stage") else c.kind for c in cols],
                      rows=cells, lights=[r.get("light") for r in rows])
        if part.name == "summary" and part.rows:
            sheet.bold_rows = {len(rows) - 1}
            keys = [c.key for c in cols]
            charts.append(BarChart(sheet=title, title=t("weekly.chart_title"), category_col=keys.index("name") + 1,
                                   value_cols=[keys.index("percent_actual") + 1, keys.index("percent_expected") + 1],
                                   first_row=2, last_row=len(part.rows) + 1, y_title=t("weekly.chart_axis"),
                                   anchor=f"B{len(rows) + 4}"))
        sheets.append(sheet)
    write_workbook(path, sheets, charts, properties={"title": say(doc.title)}, tick=tick)
