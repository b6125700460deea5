"""The per-unit report form (报送表): one unit's open tasks with last week's figures and empty columns
for this week's, in the layout the unit fills in; `import progress` reads it back.

The form's header row uses the progress importer's own Chinese headers, plus 报送单位 (the unit the form
was made for) on every row: the importer then refuses any row for a task that unit does not lead,
whoever runs the import.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from taskctl.i18n import t

# (header, width): what the unit sees; the importer reads the ones in taskctl.transfer.source
HEADERS = (("编号", 6), ("报送单位", 14), ("聚焦领域", 10), ("工作任务", 40), ("完成时限", 12), ("上周进度", 10),
           ("上周完成投资", 12), ("上次报送", 12), ("报送日期", 12), ("完成进度", 10), ("完成投资", 12),
           ("阶段", 8), ("进展情况", 40), ("存在问题", 30), ("下步打算", 30))
FILLED_BY_UNIT = ("报送日期", "完成进度", "完成投资", "阶段", "进展情况", "存在问题", "下步打算")


def form_rows(session: Session, unit, *, as_of: dt.date, last_week: dt.date) -> list[list[Any]]:
    """The unit's open tasks (it leads them) as of ``as_of``, with the figures in force at ``last_week``."""
    from taskctl.snapshot import Filters, snapshot

    now = [f for f in snapshot(session, as_of, Filters(unit_id=unit.id, open_only=True)) if f.lead_unit_id == unit.id]
    before = {f.id: f for f in snapshot(session, last_week, Filters(task_ids=[f.id for f in now]))} if now else {}
    rows = []
    for f in now:
        b = before.get(f.id)
        rows.append([f.id, unit.name, f.area_name, f.title, f.due_text or (f.due.isoformat() if f.due else None),
                     b.latest_percent if b else None, b.invest_done if b else None,
                     b.last_update.isoformat() if b and b.last_update else None,
                     None, None, None, None, None, None, None])
    return rows


def write_form(path: str | Path, unit_name: str, title: str, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from taskctl.transfer.atomic import write_with

    wb = Workbook()
    ws = wb.active
    ws.title = "进展"
    ws.append([title])
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.append([h for h, _ in HEADERS])
    fill = PatternFill("solid", fgColor="FFF2CC")
    for col, (header, width) in enumerate(HEADERS, start=1):
        cell = ws.cell(2, col)
        cell.font = Font(bold=True)
        if header in FILLED_BY_UNIT:
            cell.fill = fill
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(r, col)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
    for r in range(3, 3 + len(rows)):
        for col in (4, 13, 14, 15):
            ws.cell(r, col).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    write_with(path, wb.save)
    del unit_name


def form_title(unit_name: str, week: str, monday: dt.date, sunday: dt.date) -> str:
    return t("form.title", unit=unit_name, week=week, monday=monday.isoformat(), sunday=sunday.isoformat())
