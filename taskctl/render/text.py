"""JSON, CSV and Markdown: of one ``Report``, and the CSV and Markdown table writers every file uses.

``csv_text`` and ``markdown_table`` are the only CSV and Markdown table writers in taskctl:
reports, the weekly export and the ledger export all go through them, so quoting,
line ends, the BOM and formula neutralising are the same in every file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from taskctl.reports.model import Report
from taskctl.render.cells import cell_text, csv_cell, group_counts, groups, json_value, totals_cells
from taskctl.render.layout import layout
from taskctl.render.words import footer, header, title

NUMERIC = ("int", "number", "percent", "money")


# ---------------------------------------------------------------- the writers

def csv_writer(stream: TextIO):
    """The CSV writer every file uses: CRLF line ends, minimal quoting (cells already made text by
    ``csv_cell``).  ``stream`` is a text stream opened with ``newline=""``."""
    return csv.writer(stream, lineterminator="\r\n")


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """CSV text: CRLF line ends, minimal quoting (cells already made text by ``csv_cell``)."""
    buf = io.StringIO()
    writer = csv_writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue()


def with_bom(text: str) -> bytes:
    """UTF-8 with a BOM: Excel and WPS on a Chinese desktop then read the file as UTF-8."""
    return ("\ufeff" + text).encode("utf-8")


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def markdown_table(labels: Sequence[str], kinds: Sequence[str], rows: Iterable[Sequence[str]],
                   bold: Iterable[Sequence[str]] = ()) -> list[str]:
    """A Markdown table's lines: header, alignment (figures right), rows, then ``bold`` rows (totals)."""
    lines = ["| " + " | ".join(_md_escape(x) for x in labels) + " |",
             "|" + "|".join("---:" if k in NUMERIC else "---" for k in kinds) + "|"]
    lines += ["| " + " | ".join(_md_escape(x) for x in cells) + " |" for cells in rows]
    lines += ["| " + " | ".join(f"**{_md_escape(x)}**" if x else "" for x in cells) + " |" for cells in bold]
    return lines


# ---------------------------------------------------------------- one report

def rows_limited(report: Report, limit: int | None) -> list[dict[str, Any]]:
    return report.rows if limit is None else report.rows[:limit]


def _json_default(value: Any) -> Any:
    """Dates for the encoder (the rest of a row is JSON already): converting lazily here rather than
    cell by cell beforehand makes 100,000-row documents several seconds quicker, with the same bytes."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_rows(rows: list[dict[str, Any]]) -> str:
    """A JSON array with one row per line.  Rows go through the C encoder (``indent`` would switch the
    whole document to the pure-Python one: 28,000 overdue rows took ten seconds instead of a fraction
    of one); any JSON reader sees the same values, and a row is one line to grep."""
    if not rows:
        return "[]"
    encode = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    return "[\n    " + ",\n    ".join(map(encode, rows)) + "\n  ]"


def to_json(report: Report, limit: int | None = None) -> str:
    keys = [c.key for c in report.columns]
    rows = [{k: r.get(k) for k in keys} for r in rows_limited(report, limit)]
    if report.json_array:
        return json_rows(rows).replace("\n  ", "\n") + "\n"
    doc: dict[str, Any] = {"report": report.name,
                           "as_of": json_value(report.as_of),
                           "total": report.total}
    doc.update({k: json_value(v) for k, v in report.meta.items()})
    head = json.dumps(doc, ensure_ascii=False, indent=2, default=_json_default)
    return head[:-2] + ',\n  "rows": ' + json_rows(rows) + "\n}\n"


def to_csv(report: Report, limit: int | None = None) -> str:
    """UTF-8 CSV (the BOM is added when written); English keys as headers."""
    body = [[csv_cell(row.get(c.key), c.kind) for c in report.columns] for row in rows_limited(report, limit)]
    if report.totals is not None:
        body.append([csv_cell(report.totals.get(c.key), c.kind) for c in report.columns])
    return csv_text([c.key for c in report.columns], body)


def to_markdown(report: Report, limit: int | None = None) -> str:
    cols = [c for c in report.columns if c.table]
    blank = [layout(report.name, c.key).blank_if for c in cols]
    lines = [f"## {title(report)}", ""]
    counts = group_counts(report)
    for label, rows in groups(report, rows_limited(report, limit)):
        if label is not None:
            lines += [f"### {label} ({counts.get(label, len(rows))})", ""]
        totals = [totals_cells(report, cols)] if report.totals is not None and label is None else []
        lines += markdown_table([header(c) for c in cols], [c.kind for c in cols],
                                ([cell_text(row, c, b) for c, b in zip(cols, blank)] for row in rows), totals)
        lines.append("")
    if report.footer:
        lines += [footer(report), ""]
    return "\n".join(lines)
