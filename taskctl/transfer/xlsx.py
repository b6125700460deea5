"""Reading XLSX files: values as typed (dates as dates), percent-formatted numbers scaled to
0-100, merged cells filled with their top-left value (office ledgers merge the area or lead
unit down a block of rows, and the title across the top).  Writing is ``taskctl.render.xlsx``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import unicodedata
from taskctl.errors import InvalidValue


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def read_rows(path: str | Path, prefer: tuple[str, ...] = (), tick=None) -> tuple[str, list[list[Any]]]:
    """The rows of one sheet (the first whose name is in ``prefer``, else the first sheet) as value lists."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    import warnings

    with warnings.catch_warnings():  # openpyxl warns (with its own file path) about odd cells: not for users
        warnings.simplefilter("ignore")
        try:
            wb = load_workbook(str(path), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
            raise InvalidValue("import.bad_xlsx", file=str(path),
                               reason=str(exc).splitlines()[0] if str(exc) else "") from None
        return _read_sheet(wb, path, prefer, tick)


def _read_sheet(wb, path, prefer, tick) -> tuple[str, list[list[Any]]]:
    try:
        wanted = {_norm_name(p) for p in prefer}
        ws = next((w for w in wb.worksheets if _norm_name(w.title) in wanted), None)
        if ws is None:
            ws = wb.worksheets[0]
        total = ws.max_row or 0  # from the sheet's <dimension>, for the progress bar only
        ws.reset_dimensions()  # some writers store a wrong <dimension>; read what is there
        rows: list[list[Any]] = []
        for row in ws.iter_rows():
            if tick and len(rows) % 1000 == 0:
                tick("read", len(rows), max(total, len(rows)))
            values = []
            for cell in row:
                value = getattr(cell, "value", None)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    if "%" in (getattr(cell, "number_format", None) or ""):
                        value = round(value * 100, 10)
                values.append(value)
            rows.append(values)
        _fill_merged(rows, _merged_ranges(wb, ws, path))
        return ws.title, rows
    finally:
        wb.close()


def _norm_name(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().lower()


def _merged_ranges(wb, ws, path) -> list[tuple[int, int, int, int]]:
    """Merged ranges (min_row, min_col, max_row, max_col), read from the sheet's XML.

    A read-only worksheet does not expose them; scanning the XML for
    <mergeCell> is much cheaper than loading the whole sheet in normal mode.
    """
    from openpyxl.utils.cell import range_boundaries

    try:
        data = wb._archive.read(ws._worksheet_path)
    except Exception:  # noqa: BLE001 - private API moved: fall back to a full load
        from openpyxl import load_workbook

        full = load_workbook(str(path), data_only=True)
        return [(r.min_row, r.min_col, r.max_row, r.max_col) for r in full[ws.title].merged_cells.ranges]
    out = []
    for ref in _MERGE.findall(data):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        out.append((min_row, min_col, max_row, max_col))
    return out


def _fill_merged(rows: list[list[Any]], ranges: list[tuple[int, int, int, int]]) -> None:
    for min_row, min_col, max_row, max_col in ranges:
        if min_row > len(rows):
            continue
        top = rows[min_row - 1]
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        if value is None:
            continue
        for r in range(min_row, min(max_row, len(rows)) + 1):
            row = rows[r - 1]
            if len(row) < max_col:
                row.extend([None] * (max_col - len(row)))
            for c in range(min_col, max_col + 1):
                if row[c - 1] is None:
                    row[c - 1] = value
