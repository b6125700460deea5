"""The fast weekly export says what the straightforward one said.

The weekly parts are built straight from the facts (not through ``task_row``), the progress and
instructions read as column tuples, the CSV formatted by one formatter per column and streamed, and
the XLSX data rows written as sheet XML instead of through openpyxl's cells.  Each is compared here
with a reference built the plain way from the same data — the code these replaced, kept verbatim
below — on the example ledger with reporting duties, a closing request, instructions and notes a
spreadsheet could read as formulas added.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from decimal import Decimal

import pytest

from conftest import ok

WEEKS = [("2023-W13", None), ("2023-W12", None), ("2023-W13", "2023-03-29"), ("2023-W10", None)]


@pytest.fixture
def busy_demo(demo_env):
    """The example ledger and what its weeks lack: duties, a closing request, instructions, two updates
    on one day, notes that read as formulas, control characters, long text."""
    ok("unit", "edit", "双塔区", "--report", "每周二前")
    ok("unit", "edit", "龙城区", "--report", "weekly:FR")
    ok("task", "edit", "5", "--report", "monthly:5")
    ok("task", "request-close", "7", "--note", "=完成了")
    ok("progress", "add", "8", "--percent", "70", "--on", "2023-03-29", "--note", "=SUM(A1:A3), 第二行\n换行",
       "--problems", "-缺资金", "--next", " 前后有空格 ")
    ok("progress", "add", "8", "--percent", "72.25", "--on", "2023-03-29", "--note", "同日第二条 & <b>")
    ok("progress", "add", "9", "--percent", "50", "--invest-done", "1234.5", "--stage", "building", "--on",
       "2023-03-28", "--note", "+plus", "--next", "@at")
    ok("progress", "add", "10", "--percent", "33.3", "--on", "2023-03-27", "--note", "#N/A")
    ok("task", "instruct", "3", "--leader", "任振波", "--text", "=加快进度", "--on", "2023-03-30")
    ok("task", "instruct", "12", "--leader", "任振波", "--text", "请抓紧\r\n落实", "--on", "2023-03-27")
    return demo_env


def _session(db_url):
    from taskctl import Ledger
    from taskctl.config import database_url

    ledger = Ledger.open(database_url(db_url))
    return ledger, ledger.transaction(write=False)


def _docs(db_url, lang="en"):
    """(the fast document, the reference parts) for each week of WEEKS."""
    from taskctl.i18n import speaking
    from taskctl.transfer.weekly import weekly

    out = []
    ledger, tx = _session(db_url)
    with ledger, tx as session, speaking(lang):
        for week, as_of in WEEKS:
            day = dt.date.fromisoformat(as_of) if as_of else None
            doc = weekly(session, week=week, today=dt.date(2023, 3, 31), as_of=day)
            out.append((doc, _reference_parts(session, doc)))
    return out


# ---------------------------------------------------------------- the reference: the parts as they were built

def _reference_parts(session, doc) -> dict[str, list[dict]]:
    """open_tasks, progressed, completed, no_update and instructions built the way the weekly export
    built them before: a full ``task_row`` per task, picked per part; ORM objects for the updates."""
    from sqlalchemy import select

    from taskctl.models import Instruction, Leader, Progress
    from taskctl.reports.model import round1
    from taskctl.reports.rows import task_row
    from taskctl.snapshot import snapshot
    from taskctl.transfer import weekly as W

    monday, as_of = doc.monday, doc.as_of
    every = snapshot(session, as_of)
    facts = [f for f in every if f.state != "cancelled" and f.start <= as_of]
    by_id = {f.id: f for f in facts}
    rows_of = {f.id: task_row(f) for f in facts}

    def pick(row, spec):
        return {k: row.get(k) for k, _, _ in spec}

    parts = {"open_tasks": [pick(rows_of[f.id], W.OPEN_COLUMNS) for f in facts if f.status == "active"]}

    week_updates = [p for p in session.execute(
        select(Progress).where(Progress.on_date >= monday, Progress.on_date <= as_of)).scalars() if p.task_id in by_id]
    history: dict[int, list] = {}
    for p in session.execute(select(Progress).where(Progress.task_id.in_({p.task_id for p in week_updates}),
                                                    Progress.on_date <= as_of)
                             .order_by(Progress.task_id, Progress.on_date, Progress.id)).scalars():
        history.setdefault(p.task_id, []).append(p)
    rows = []
    for p in sorted(week_updates, key=lambda p: ((by_id[p.task_id].area_number, p.task_id), p.on_date, p.id)):
        updates = history[p.task_id]
        index = next(i for i, u in enumerate(updates) if u.id == p.id)
        previous = updates[index - 1].percent if index > 0 else None
        rows.append(pick({**rows_of[p.task_id], "on": p.on_date, "percent": round1(p.percent),
                          "change": round1(p.percent - previous) if previous is not None else None,
                          "invest_done": round1(p.invest_done), "stage": p.stage, "note": p.note,
                          "problems": p.problems, "next": p.next_steps}, W.PROGRESSED_COLUMNS))
    parts["progressed"] = rows

    parts["completed"] = [pick(dict(rows_of[f.id], completed_on=f.status_on), W.COMPLETED_COLUMNS) for f in facts
                          if f.status == "done" and f.status_on is not None and monday <= f.status_on <= as_of]
    silent = []
    missed = W._missed_reports(session, [f for f in facts if f.status == "active" and f.start <= as_of], as_of)
    for f in facts:
        since = f.last_update or f.start
        if f.id in missed:
            if missed[f.id]:
                silent.append(pick(dict(rows_of[f.id], days_since=(as_of - since).days), W.NO_UPDATE_COLUMNS))
            continue
        if f.status == "active" and f.start <= as_of and (f.last_update is None or f.last_update < monday):
            silent.append(pick(dict(rows_of[f.id], days_since=(as_of - since).days), W.NO_UPDATE_COLUMNS))
    parts["no_update"] = silent

    found = session.execute(select(Instruction, Leader.name).join(Leader, Leader.id == Instruction.leader_id)
                            .where(Instruction.on_date >= monday, Instruction.on_date <= as_of)
                            .order_by(Instruction.on_date, Instruction.id)).all()
    parts["instructions"] = [pick({**rows_of[i.task_id], "on": i.on_date, "instructed_by": name, "text": i.text},
                                  W.INSTRUCTION_COLUMNS) for i, name in found if i.task_id in by_id]
    return parts


def _typed(rows: list[dict]) -> list[list[tuple]]:
    """Rows with each value's type, key order included (1 == 1.0 == True must not pass for equal)."""
    return [[(k, type(v).__name__, v) for k, v in row.items()] for row in rows]


def _reference_csv(doc, headers: str = "en") -> bytes:
    """The weekly CSV as ``to_csv`` wrote it before: every cell through ``csv_cell``/``display_value``,
    a list of every row, ``csv_text``, then the BOM."""
    from taskctl.i18n import t
    from taskctl.render.cells import csv_cell, display_value
    from taskctl.render.text import csv_text, with_bom
    from taskctl.render.words import header
    from taskctl.transfer.weekly import _summary_rows, csv_keys

    def value(v, kind):
        if headers == "zh" and v is not None and kind in ("light", "state", "status", "stage", "bool"):
            return t("weekly.yes") if v is True else "" if v is False else display_value(v, kind)
        return csv_cell(v, kind)

    keys = csv_keys(doc)
    if headers == "zh":
        first = {}
        for part in doc.parts:
            for c in part.columns:
                first.setdefault(c.key, (part, c))
        labels = [t("weekly.col.part")]
        for k in keys[1:]:
            part, c = first[k]
            label = header(c)
            labels.append(label if label not in labels else f"{label}（{t(f'weekly.part_name.{part.name}')}）")
    else:
        labels = keys
    body = []
    for part in doc.parts:
        own = {c.key: c for c in part.columns}
        name = t(f"weekly.part_name.{part.name}") if headers == "zh" else part.name
        for row in _summary_rows(doc, part):
            if part.name == "summary" and row.get("key") == "total":
                row = dict(row, name=None)
            body.append([name] + [value(row.get(k), own[k].kind) if k in own else "" for k in keys[1:]])
    return with_bom(csv_text(labels, body))


def _reference_workbook(path, sheets, charts=(), properties=None) -> None:
    """``write_workbook`` as it was: every data cell through openpyxl's write-only cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from taskctl.cleaning import strip_controls
    from taskctl.render import xlsx as X

    wb = Workbook(write_only=True)
    for key, value in (properties or {}).items():
        setattr(wb.properties, key, strip_controls(value) if isinstance(value, str) else value)
    header_font, bold = Font(bold=True), Font(bold=True)
    header_fill = PatternFill("solid", fgColor=X.HEADER_FILL)
    header_align = Alignment(vertical="center", wrap_text=True)
    light_fills = {k: PatternFill("solid", fgColor=v) for k, v in X.LIGHT_FILL.items()}
    light_fonts = {k: Font(color=v) for k, v in X.LIGHT_FONT.items()}
    for sheet in sheets:
        ws = wb.create_sheet(title=X._sheet_title(sheet.title))
        ws.freeze_panes = "A2"
        widths = [max(6, X.text_width(h) + 2) for h in sheet.headers]
        for row in sheet.rows[:X.WIDTH_SAMPLE]:
            for i, (value, kind) in enumerate(zip(row, sheet.kinds)):
                widths[i] = max(widths[i], X._cell_text_width(value, kind) + 2)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(w, X.MAX_WIDTH)
        cells = []
        for label in sheet.headers:
            cell = WriteOnlyCell(ws, value=None)
            X._set_text(cell, label)
            cell.font, cell.fill, cell.alignment = header_font, header_fill, header_align
            cells.append(cell)
        ws.append(cells)
        for index, row in enumerate(sheet.rows):
            light = sheet.lights[index] if sheet.lights else None
            bold_row = index in sheet.bold_rows
            cells = []
            for value, kind in zip(row, sheet.kinds):
                if not bold_row and X._plain(value, kind):
                    cells.append(value)
                    continue
                cell = WriteOnlyCell(ws, value=None)
                X._fill(cell, value, kind)
                if kind == "light" and light in light_fills:
                    cell.fill, cell.font = light_fills[light], light_fonts[light]
                elif bold_row:
                    cell.font = bold
                cells.append(cell)
            ws.append(cells)
        for chart in charts:
            if chart.sheet == sheet.title:
                ws.add_chart(X._bar_chart(ws, chart), chart.anchor)
    wb.save(str(path))


def _read_back(path) -> list[str]:
    """What a reader sees: sheets, panes, widths, charts, properties and every cell's value, type,
    number format, font and fill."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    out = [f"title={wb.properties.title!r}", f"sheets={wb.sheetnames}"]
    for ws in wb.worksheets:
        out.append(f"== {ws.title} freeze={ws.freeze_panes} dims={ws.dimensions} charts={len(ws._charts)}")
        out += [f"col {k} {d.width}" for k, d in sorted(ws.column_dimensions.items())]
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                f, fill, a = c.font, c.fill, c.alignment
                out.append(f"{c.coordinate} {c.data_type} {type(c.value).__name__} {c.value!r} {c.number_format!r} "
                           f"b={f.b} {f.color.rgb if f.color else None} {fill.fill_type} "
                           f"{fill.fgColor.rgb if fill.fgColor else None} {a.vertical} {a.wrap_text}")
    return out


# ---------------------------------------------------------------- the tests

def test_parts_equal_the_reference(busy_demo):
    compared = 0
    for doc, reference in _docs(busy_demo):
        for name, rows in reference.items():
            assert _typed(doc.part(name).rows) == _typed(rows), (doc.week, doc.as_of, name)
            compared += len(rows)
        assert doc.part("progressed").rows and doc.part("no_update").rows
    assert compared > 100
    doc = _docs(busy_demo)[0][0]
    assert len(doc.part("instructions").rows) == 2
    assert any(r["close_requested"] for r in doc.part("open_tasks").rows)
    same_day = [(r["percent"], r["change"]) for r in doc.part("progressed").rows
                if r["id"] == 8 and r["on"] == dt.date(2023, 3, 29)]
    assert [p for p, _ in same_day] == [70, 72.2] and same_day[1][1] == 2.2  # the earlier id first, then the change


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_csv_equals_the_reference(busy_demo, lang):
    from taskctl.i18n import speaking
    from taskctl.transfer.weekly import part_csv, to_csv

    rows, files = 0, []
    for doc, _ in _docs(busy_demo, lang):
        for headers in ("en", "zh"):
            with speaking("zh") if headers == "zh" else speaking(lang):
                fast, slow = to_csv(doc, headers), _reference_csv(doc, headers)
                assert fast == slow, (doc.week, headers)
                files.append(fast)
                rows += len(list(csv.reader(io.StringIO(fast.decode("utf-8-sig"))))) - 1
                for part in doc.parts:
                    one = part_csv(doc, part, headers)
                    assert one.startswith(b"\xef\xbb\xbf")
                    assert len(list(csv.reader(io.StringIO(one.decode("utf-8-sig"))))) == \
                        len(part.rows) + 1 + (part.name == "summary" and bool(part.rows))
    assert rows > 200
    assert b"'=SUM(A1:A3)" in files[0] and "'-缺资金".encode() in files[0]  # neutralised as before


class Text(str):
    pass


ODD_VALUES = [None, "", "plain", "=1+1", "+1", "-1", "@x", "\tx", "\rx", " spaced ", "中文", Text("=sub"), 0, 1, -5,
              10 ** 20, 0.0, -0.0, 1.5, 2 / 3, 1e15, 1e16, -1e15, float("nan"), float("inf"), True, False,
              dt.date(2023, 3, 31), dt.datetime(2023, 3, 31, 8, 5, 9), [], ["a", "b"], ["=a", "b"], [1, None, 2.5],
              ("x",), Decimal("1.50"), {"k": 1}]


@pytest.mark.parametrize("kind", ["text", "int", "number", "percent", "money", "date", "datetime", "light", "state",
                                  "list", "bool", "stage"])
def test_the_column_formatter_is_csv_cell(kind):
    from taskctl.render.cells import csv_cell, csv_formatter

    fmt = csv_formatter(kind)
    for value in ODD_VALUES:
        assert fmt(value) == csv_cell(value, kind), (kind, value)


def test_the_weekly_column_formatter_is_csv_value():
    from taskctl.i18n import speaking
    from taskctl.transfer.weekly import _csv_formatter, _csv_value

    for lang in ("en", "zh"):
        with speaking(lang):
            for headers in ("en", "zh"):
                for kind in ("light", "state", "stage", "bool", "text", "percent", "date", "list"):
                    fmt = _csv_formatter(kind, headers)
                    values = ODD_VALUES + ["red", "green", "overdue", "on_track", "building", "red", True]
                    for value in values:
                        if isinstance(value, float) and math.isnan(value) or isinstance(value, dict):
                            continue
                        if kind in ("light", "state", "stage") and headers == "zh" and \
                                not isinstance(value, (str, bool)) and value is not None:
                            continue  # translated words are for keys
                        assert fmt(value) == _csv_value(value, kind, headers), (lang, headers, kind, value)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_weekly_xlsx_reads_back_as_the_reference(busy_demo, tmp_path, lang, monkeypatch):
    from taskctl.i18n import speaking
    from taskctl.render import xlsx as X
    from taskctl.transfer.weekly import write_xlsx

    cells = 0
    for n, (doc, _) in enumerate(_docs(busy_demo, lang)):
        with speaking(lang):
            fast, slow = tmp_path / f"fast{n}.xlsx", tmp_path / f"slow{n}.xlsx"
            write_xlsx(doc, fast)
            monkeypatch.setattr(X, "write_workbook", lambda path, sheets, charts=(), properties=None, tick=None:
                                _reference_workbook(path, sheets, charts, properties))
            write_xlsx(doc, slow)
            monkeypatch.undo()
        a, b = _read_back(fast), _read_back(slow)
        assert a == b, doc.week
        cells += len(a)
    assert cells > 1000


def test_odd_values_read_back_as_the_reference(tmp_path):
    """Every kind of column with every odd value, in plain, light and bold (totals) rows."""
    from taskctl.render.xlsx import Sheet, write_workbook

    kinds = ["text", "int", "number", "percent", "money", "date", "datetime", "light", "state", "list", "bool"]
    values = [v for v in ODD_VALUES if not isinstance(v, dict)] + \
        ["#N/A", "#DIV/0!", "a\x01b", "x" * 40000, "a&b<c>d\re\"f'g\th\ni", "<t>", "]]>", dt.date(1900, 1, 15)]
    rows, lights = [], []
    for i, value in enumerate(values):
        rows.append([value] * len(kinds))
        lights.append(["red", "yellow", "green", None, "blue"][i % 5])
    sheets = [Sheet(title="奇怪:的/值", headers=[f"列 {k}" for k in kinds], kinds=kinds, rows=rows, lights=lights,
                    bold_rows={1, 5, 20}),
              Sheet(title="empty", headers=["a", "b"], kinds=["text", "int"], rows=[]),
              Sheet(title="no lights", headers=["a"], kinds=["light"], rows=[["red"], [None]])]
    write_workbook(tmp_path / "fast.xlsx", sheets, properties={"title": "t\x02itle"})
    _reference_workbook(tmp_path / "slow.xlsx", sheets, properties={"title": "t\x02itle"})
    fast, slow = _read_back(tmp_path / "fast.xlsx"), _read_back(tmp_path / "slow.xlsx")
    assert len(fast) > 400
    assert fast == slow
