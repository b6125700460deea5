"""The XLSX writer — every workbook taskctl writes (weekly file, ledger export) goes through it.

One sheet per table, header row frozen, widths fitted to Chinese text (a wide character
counts double), dates as real Excel dates, percents as plain numbers shown with a % sign,
lights as coloured cells, text stored as text (so ``=1+1`` typed in a note never runs as a
formula), and optionally a native bar chart that refers to a sheet's cells.  The write-only
workbook keeps a 100,000-row ledger export fast.  openpyxl is imported only inside.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taskctl.cleaning import CONTROL, strip_controls
from taskctl.render.cells import FORMULA_START

LIGHT_FILL = {"red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE"}
LIGHT_FONT = {"red": "9C0006", "yellow": "9C5700", "green": "006100"}
HEADER_FILL = "D9E1F2"
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = '0.0"%"'
MAX_WIDTH = 60


@dataclass
class Sheet:
    """One table for a sheet: header labels, column kinds (``taskctl.reports.model.KINDS``) and typed rows.

    ``lights`` gives, per row, the light that colours the row's ``light`` cells
    (the cell shows a translated word; the colour needs the key).
    """

    title: str
    headers: list[str]
    kinds: list[str]
    rows: list[list[Any]]
    lights: list[str | None] | None = None
    bold_rows: set[int] = field(default_factory=set)  # 0-based indexes into rows (totals)


@dataclass
class BarChart:
    """A clustered bar chart over a block of one sheet: categories and one series per value column."""

    sheet: str  # the sheet whose cells it refers to (and where it is placed)
    title: str
    category_col: int  # 1-based column index
    value_cols: list[int]
    first_row: int  # first data row (1-based; the header is row first_row - 1)
    last_row: int
    y_title: str = ""
    anchor: str = "A1"


WIDTH_SAMPLE = 2000  # rows looked at to fit a column's width (a 100,000-row sheet need not be measured whole)


def text_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_text_width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind == "date" or isinstance(value, (dt.date, dt.datetime)):
        return 10
    if kind == "percent" and isinstance(value, (int, float)):
        return len(f"{value:.1f}%")
    if isinstance(value, float):
        return len(f"{value:g}")
    return max((text_width(line) for line in str(value).splitlines()), default=0)


def write_workbook(path: str | Path, sheets: list[Sheet], charts: list[BarChart] = (),
                   properties: dict[str, str] | None = None, tick=None) -> None:
    """Write ``sheets`` (in order) to ``path`` as a new workbook; ``tick(phase, done, total)`` follows the rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    if properties:
        for key, value in properties.items():
            setattr(wb.properties, key, strip_controls(value) if isinstance(value, str) else value)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    header_align = Alignment(vertical="center", wrap_text=True)
    bold = Font(bold=True)
    light_fills = {k: PatternFill("solid", fgColor=v) for k, v in LIGHT_FILL.items()}
    light_fonts = {k: Font(color=v) for k, v in LIGHT_FONT.items()}
    charts_by_sheet: dict[str, list[BarChart]] = {}
    for chart in charts:
        charts_by_sheet.setdefault(chart.sheet, []).append(chart)
    titles = {s.title for s in sheets}
    for chart in charts:
        if chart.sheet not in titles:
            raise ValueError(f"chart refers to a missing sheet {chart.sheet!r}")

    total = sum(len(sheet.rows) for sheet in sheets)
    done = 0
    for sheet in sheets:
        ws = wb.create_sheet(title=_sheet_title(sheet.title))
        ws.freeze_panes = "A2"
        widths = [max(6, text_width(h) + 2) for h in sheet.headers]
        for row in sheet.rows[:WIDTH_SAMPLE]:
            for i, (value, kind) in enumerate(zip(row, sheet.kinds)):
                w = _cell_text_width(value, kind) + 2
                if w > widths[i]:
                    widths[i] = w
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(w, MAX_WIDTH)
        header_cells = []
        for label in sheet.headers:
            cell = WriteOnlyCell(ws, value=None)
            _set_text(cell, label)
            cell.font, cell.fill, cell.alignment = header_font, header_fill, header_align
            header_cells.append(cell)
        ws.append(header_cells)
        for index, row in enumerate(sheet.rows):
            light = sheet.lights[index] if sheet.lights else None
            bold_row = index in sheet.bold_rows
            cells = []
            for value, kind in zip(row, sheet.kinds):
                if not bold_row and _plain(value, kind):
                    cells.append(value)  # a bare value is much cheaper than a cell object
                    continue
                cell = WriteOnlyCell(ws, value=None)
                _fill(cell, value, kind)
                if kind == "light" and light in light_fills:
                    cell.fill, cell.font = light_fills[light], light_fonts[light]
                elif bold_row:
                    cell.font = bold
                cells.append(cell)
            ws.append(cells)
            done += 1
            if tick and done % 1000 == 0:
                tick("write", done, total)
        for chart in charts_by_sheet.get(sheet.title, []):
            ws.add_chart(_bar_chart(ws, chart), chart.anchor)
    if tick:
        tick("write", total, total)
    wb.save(str(path))





def _plain(value: Any, kind: str) -> bool:
    """A value openpyxl stores as is, with no number format or style: text that cannot read as a
    formula, whole numbers and non-percent figures, blanks."""
    if value is None:
        return kind != "light"
    if type(value) is str:  # noqa: E721
        return kind != "light" and not value.startswith(FORMULA_START) and not CONTROL.search(value)
    if type(value) in (int, float):
        return kind in ("int", "number", "money")
    return False


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", "_", strip_controls(title))[:31]


def _set_text(cell, text: str) -> None:
    """Store as text, never as a formula, without a visible quote; without control characters, which
    XML cannot hold (stored before they were refused at input, or written straight into the database)."""
    cell.value = strip_controls(text)
    cell.data_type = "s"


def _fill(cell, value: Any, kind: str) -> None:
    if value is None:
        return
    if kind in ("date", "datetime") and isinstance(value, (dt.date, dt.datetime)):
        cell.value = value
        cell.number_format = DATE_FORMAT if kind == "date" else "yyyy-mm-dd hh:mm"
        return
    if isinstance(value, bool):
        _set_text(cell, "✓" if value else "")
        return
    if isinstance(value, (int, float)) and kind in ("int", "number", "percent", "money"):
        cell.value = value
        if kind == "percent":
            cell.number_format = PERCENT_FORMAT
        return
    if isinstance(value, (list, tuple)):
        _set_text(cell, "、".join(str(v) for v in value))
        return
    if isinstance(value, (dt.date, dt.datetime)):
        _set_text(cell, value.isoformat())
        return
    if isinstance(value, (int, float)):
        cell.value = value
        return
    _set_text(cell, str(value))


def _bar_chart(ws, spec: BarChart):
    from openpyxl.chart import BarChart as XLBarChart
    from openpyxl.chart import Reference

    chart = XLBarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = spec.title
    chart.y_axis.title = spec.y_title
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    # openpyxl >= 3.1 hides axes unless told otherwise
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.height, chart.width = 9, 18
    for col in spec.value_cols:
        data = Reference(ws, min_col=col, max_col=col, min_row=spec.first_row - 1, max_row=spec.last_row)
        chart.add_data(data, titles_from_data=True)
    cats = Reference(ws, min_col=spec.category_col, max_col=spec.category_col, min_row=spec.first_row,
                     max_row=spec.last_row)
    chart.set_categories(cats)
    return chart


# ---------------------------------------------------------------- reading
