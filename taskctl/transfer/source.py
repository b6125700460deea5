"""Reading an office ledger: CSV or XLSX, its header row, and which column is which.

Real ledgers put a merged title (and a line like 填报单位：…) above the header,
write headers in Chinese with units in brackets (计划投资（万元）), break them
over two lines, and add columns of their own (备注).  ``read_table`` finds the
header row, maps each header to a field by its aliases, and reports the
columns it does not know.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taskctl.errors import InvalidValue, TaskctlError
from taskctl.transfer.encoding import decode, sniff_delimiter, unneutralise

# field -> header aliases (compared after _norm: NFKC, no spaces, lower case).
TASK_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "任务编号", "task_id"),
    "ref": ("ref", "序号", "序", "台账序号"),
    "area": ("area", "聚焦领域", "领域", "所属领域", "重点领域", "六个聚焦"),
    "title": ("title", "工作任务", "任务内容", "任务名称", "重点任务", "任务", "项目名称", "工作事项", "督办事项"),
    "detail": ("detail", "具体内容", "工作措施", "主要内容", "具体措施", "工作内容", "建设内容"),
    "lead_unit": ("lead_unit", "lead", "牵头单位", "责任单位", "主责单位"),
    "co_units": ("co_units", "配合单位", "协办单位", "协同单位"),
    "leader": ("leader", "责任领导", "包保领导", "分管领导", "领导"),
    "start": ("start", "开始时间", "开始日期", "开始"),
    "due": ("due", "完成时限", "完成时间", "时限", "截止时间", "截止日期", "完成期限"),
    "due_text": ("due_text", "时限原文", "时限(原文)", "完成时限(原文)"),
    "status": ("status", "状态", "完成状态", "任务状态"),
    "status_on": ("status_on", "状态日期", "状态变更日期"),
    "invest": ("invest", "invest_planned", "计划投资", "总投资", "计划总投资", "年度计划投资"),
    "targets": ("targets", "季度目标"),
    "target_q1": ("target_q1", "q1", "q1目标", "一季度目标", "一季度"),
    "target_q2": ("target_q2", "q2", "q2目标", "二季度目标", "二季度"),
    "target_q3": ("target_q3", "q3", "q3目标", "三季度目标", "三季度"),
    "target_q4": ("target_q4", "q4", "q4目标", "四季度目标", "四季度"),
    "works_start": ("works_start", "计划开工", "开工时间", "计划开工时间"),
    "production": ("production", "计划投产", "投产时间", "计划投产时间"),
    "tags": ("tags", "标签"),
    "source": ("source", "来源", "任务来源"),
}
PROGRESS_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "任务编号", "task_id"),
    "title": TASK_FIELDS["title"],
    "area": TASK_FIELDS["area"],
    "on": ("on", "报送日期", "日期", "报送时间", "填报日期"),
    "percent": ("percent", "完成进度", "进度", "完成比例", "完成进度(%)", "进度(%)"),
    "invest_done": ("invest_done", "完成投资", "累计完成投资", "已完成投资"),
    "stage": ("stage", "阶段", "形象进度"),
    "note": ("note", "进展情况", "工作进展", "进展", "完成情况"),
    "problems": ("problems", "存在问题", "问题"),
    "next": ("next", "next_steps", "下步打算", "下步计划", "下一步打算", "下一步计划"),
    "form_unit": ("form_unit", "报送单位"),  # the unit a report form (export form) was made for
}
# Columns our own exports write that an import does not read: known, so not reported.
INFORMATIONAL = {
    "tasks": ("area_name", "领域名称", "original_due", "原定时限", "extensions", "延期次数"),
    "progress": ("area_name", "领域名称", "lead_unit", "牵头单位", "recorded_by", "记录人", "update_id",
                 "完成时限", "上周进度", "上周完成投资", "上次报送"),
}
REQUIRED = {"tasks": ("title",), "progress": ("percent",)}
SHEET_NAMES = {"tasks": ("tasks", "任务", "任务台账", "台账"), "progress": ("progress", "进展", "进展情况")}
HEADER_SCAN = 30


def fields_for(kind: str) -> dict[str, tuple[str, ...]]:
    return TASK_FIELDS if kind == "tasks" else PROGRESS_FIELDS


def _norm(text: Any) -> str:
    text = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", text).strip("*:").lower()


def _index(kind: str) -> dict[str, str]:
    return {_norm(alias): name for name, aliases in fields_for(kind).items() for alias in aliases}


def header_field(header: Any, kind: str) -> str | None:
    """The field a header names: exact alias, else the alias with a bracketed unit removed (计划投资（万元）)."""
    if header is None:
        return None
    index = _index(kind)
    key = _norm(header)
    if not key:
        return None
    if key in index:
        return index[key]
    bare = re.sub(r"\(.*?\)|\[.*?\]", "", key)
    return index.get(bare)


def _informational(header: Any, kind: str) -> bool:
    key = _norm(header)
    bare = re.sub(r"\(.*?\)|\[.*?\]", "", key)
    known = {_norm(h) for h in INFORMATIONAL[kind]}
    return key in known or bare in known


@dataclass
class Table:
    name: str
    kind: str
    encoding: str | None
    sheet: str | None
    header_row: int  # 1-based
    columns: dict[str, int]  # field -> 0-based column
    headers: dict[str, str]  # field -> header as written
    unknown: list[str] = field(default_factory=list)  # headers not understood (ignored)
    duplicates: list[str] = field(default_factory=list)  # second columns for a field (ignored)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (row number, cells) below the header

    def cell(self, cells: list[Any], name: str) -> Any:
        i = self.columns.get(name)
        if i is None or i >= len(cells):
            return None
        return cells[i]

    def has(self, name: str) -> bool:
        return name in self.columns


def read_table(path: str | Path, kind: str, *, encoding: str | None = None, tick=None) -> Table:
    """The rows of a CSV or XLSX ledger with its header found and mapped."""
    path = Path(path)
    if not path.exists():
        raise InvalidValue("import.no_file", file=str(path))
    if not path.is_file():  # a directory, a socket …
        raise InvalidValue("import.not_a_file", file=str(path))
    try:
        sheet, raw, used = _read_raw(path, kind, encoding, tick)
    except TaskctlError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a damaged or hostile file does, it is the file's fault
        from taskctl.cleaning import one_line

        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidValue("import.unreadable", file=path.name, reason=one_line(detail)) from None
    return _map(raw, kind, name=path.name, encoding=used, sheet=sheet)


def _read_raw(path: Path, kind: str, encoding: str | None, tick) -> tuple[str | None, list[list[Any]], str | None]:
    from taskctl.cleaning import strip_controls

    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from taskctl.transfer.xlsx import read_rows

        sheet, raw = read_rows(path, SHEET_NAMES[kind], tick=tick)
        used = None
    elif suffix in (".csv", ".txt", ".tsv"):
        sheet = None
        text, used = decode(path.read_bytes(), encoding, name=path.name)
        delimiter = "\t" if suffix == ".tsv" else sniff_delimiter(text)
        csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))  # a long note is not an error
        raw = [[unneutralise(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    elif suffix == ".xls":
        raise InvalidValue("import.xls_unsupported", file=path.name)
    else:
        raise InvalidValue("import.bad_suffix", file=path.name)
    # control characters (a NUL from a broken export) cannot be stored or exported: dropped here
    raw = [[strip_controls(c) if isinstance(c, str) else c for c in row] for row in raw]
    return sheet, raw, used


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _map(raw: list[list[Any]], kind: str, *, name: str, encoding: str | None, sheet: str | None) -> Table:
    header_at = None
    for i, row in enumerate(raw[:HEADER_SCAN]):
        found = {header_field(c, kind) for c in row} - {None}
        if len(found) >= 2 and all(r in found for r in REQUIRED[kind]):
            header_at = i
            break
    if header_at is None:
        wanted = " / ".join(fields_for(kind)[r][1] + "|" + r for r in REQUIRED[kind])
        raise InvalidValue("import.no_header", file=name, rows=min(len(raw), HEADER_SCAN), wanted=wanted)
    table = Table(name=name, kind=kind, encoding=encoding, sheet=sheet, header_row=header_at + 1, columns={},
                  headers={})
    for col, header in enumerate(raw[header_at]):
        if _blank(header):
            continue
        written = re.sub(r"\s+", " ", str(header)).strip()
        found = header_field(header, kind)
        if found is None:
            if not _informational(header, kind):
                table.unknown.append(written)
        elif found in table.columns:
            table.duplicates.append(written)
        else:
            table.columns[found] = col
            table.headers[found] = written
    for i in range(header_at + 1, len(raw)):
        # text stripped once here ("" -> None), so the importer reads each cell cheaply
        cells = [(c.strip() or None) if isinstance(c, str) else c for c in raw[i]]
        if all(c is None for c in cells):
            continue
        table.rows.append((i + 1, cells))
    return table
