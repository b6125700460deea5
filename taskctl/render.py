"""Renderers: Rich table, JSON, CSV and Markdown of one ``Report``.

XLSX lives in ``taskctl.xlsx`` (openpyxl is imported only there).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sys
from typing import Any, TextIO

from taskctl.i18n import language, t
from taskctl.report import Column, Report

FORMATS = ("table", "json", "csv", "md")
LIGHT_STYLE = {"red": "bold red", "yellow": "yellow", "green": "green"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------- values

def json_value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    return value


def text_value(value: Any, kind: str = "text") -> str:
    """The cell as text (CSV, Markdown, plain table), before any neutralising."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "、".join(text_value(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else f"{value:.0f}"
    return str(value)


def neutralise(text: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (prefix a quote)."""
    if text and text.startswith(FORMULA_START):
        return "'" + text
    return text


def display_value(value: Any, kind: str) -> str:
    """The cell as a person reads it in the table/Markdown (translated words)."""
    if value is None:
        if kind == "group":
            return t("common.none")
        return "—" if kind in ("percent", "number", "money", "int", "date") else ""
    if kind == "light":
        return t(f"light.{value}")
    if kind == "state":
        return t(f"state.{value}")
    if kind == "status":
        return t(f"status.{value}")
    if kind == "stage":
        return t(f"stage.{value}")
    if kind == "percent":
        return f"{text_value(value)}%"
    if kind == "bool":
        return "✓" if value else ""
    return text_value(value, kind)


def cell_text(row: dict[str, Any], c: Column) -> str:
    """A table/Markdown cell: the display value, with the column's presentation rules applied."""
    value = row.get(c.key)
    if c.blank_if is not None and value == row.get(c.blank_if):
        return ""
    if c.kind == "state" and value == "done" and row.get("done_late"):
        return t("state.done_late")  # 逾期完成: a done task finished after its due date says so
    if c.kind in ("action", "changes", "summary"):
        from taskctl.history_text import action_text, changes_text, summary_text

        if c.kind == "action":
            return action_text(value)
        if c.kind == "changes":
            return changes_text(value or {})
        return summary_text(row.get("action"), value, row.get("changes") or {})
    if c.kind == "flag":
        return c.label if value else ""
    return display_value(value, c.kind)


def totals_cells(report: Report, cols: list[Column]) -> list[str]:
    """The totals row as table/Markdown cells: "total" in the first column, then the figures."""
    totals = report.totals or {}
    cells = [cell_text(totals, c) if c.key in totals else "" for c in cols]
    if cells:
        cells[0] = t("report.total")
    return cells


# ---------------------------------------------------------------- JSON / CSV / MD

def rows_limited(report: Report, limit: int | None) -> list[dict[str, Any]]:
    return report.rows if limit is None else report.rows[:limit]


def _json_default(value: Any) -> Any:
    """Dates for the encoder (the rest of a row is JSON already): converting lazily here rather than
    cell by cell beforehand makes 100,000-row documents several seconds quicker, with the same bytes."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(report: Report, limit: int | None = None) -> str:
    keys = [c.key for c in report.columns]
    rows = [{k: r.get(k) for k in keys} for r in rows_limited(report, limit)]
    if report.json_array:
        return json.dumps(rows, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    doc: dict[str, Any] = {"report": report.name,
                           "as_of": json_value(report.as_of),
                           "total": report.total}
    doc.update({k: json_value(v) for k, v in report.meta.items()})
    doc["rows"] = rows
    return json.dumps(doc, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def csv_cell(value: Any, kind: str) -> str:
    text = text_value(value, kind)
    return neutralise(text) if isinstance(value, (str, list, tuple)) else text


def to_csv(report: Report, limit: int | None = None) -> str:
    """UTF-8 CSV (the BOM is added when written); English keys as headers."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.key for c in report.columns])
    for row in rows_limited(report, limit):
        writer.writerow([csv_cell(row.get(c.key), c.kind) for c in report.columns])
    if report.totals is not None:
        writer.writerow([csv_cell(report.totals.get(c.key), c.kind) for c in report.columns])
    return buf.getvalue()


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\r\n", " ").replace("\n", " ")


def to_markdown(report: Report, limit: int | None = None) -> str:
    cols = [c for c in report.columns if c.table]
    lines = [f"## {report.title}", ""]
    groups = _groups(report, rows_limited(report, limit))
    counts = _group_counts(report)
    for label, rows in groups:
        if label is not None:
            lines += [f"### {label} ({counts.get(label, len(rows))})", ""]
        lines.append("| " + " | ".join(_md_escape(c.label) for c in cols) + " |")
        lines.append("|" + "|".join("---:" if c.kind in ("int", "number", "percent", "money") else "---"
                                    for c in cols) + "|")
        for row in rows:
            lines.append("| " + " | ".join(_md_escape(cell_text(row, c)) for c in cols) + " |")
        if report.totals is not None and label is None:
            lines.append("| " + " | ".join(f"**{_md_escape(x)}**" if x else "" for x in totals_cells(report, cols))
                         + " |")
        lines.append("")
    if report.footer:
        lines += [report.footer, ""]
    return "\n".join(lines)


def _group_label(report: Report, row: dict[str, Any]) -> str:
    return text_value(row.get(report.group_key)) or t("common.none")


def _groups(report: Report, rows: list[dict[str, Any]]) -> list[tuple[str | None, list[dict[str, Any]]]]:
    """Rows split into groups in the order they first appear (builders sort rows by group)."""
    if not report.group_key:
        return [(None, rows)]
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(_group_label(report, row), []).append(row)
    return list(out.items())


def _group_counts(report: Report) -> dict[str, int]:
    """Every group's size over all rows, so a group cut short by --limit still shows its real count."""
    counts: dict[str, int] = {}
    if report.group_key:
        for row in report.rows:
            label = _group_label(report, row)
            counts[label] = counts.get(label, 0) + 1
    return counts


def _money_in_yi(report: Report, c: Column) -> bool:
    """Chinese tables show a money column in 亿元 when its figures reach 1 亿 (10,000 万元)."""
    if language() != "zh":
        return False
    values = [r.get(c.key) for r in report.rows] + [(report.totals or {}).get(c.key)]
    return any(isinstance(v, (int, float)) and abs(v) >= 10000 for v in values)


def _money_text(value: Any, yi: bool) -> str:
    if value is None:
        return "—"
    if yi:
        return f"{value / 10000:.2f}"
    if isinstance(value, (int, float)) and abs(value) >= 1000:
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text_value(value)


# ---------------------------------------------------------------- Rich table

def use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


def _bar(value: float | None, light: str | None, colour: bool):
    from rich.text import Text

    if value is None:
        return Text("—")
    width = 10
    filled = int(round(max(0.0, min(100.0, float(value))) / 100 * width))
    bar = Text()
    bar.append("█" * filled, style=LIGHT_STYLE.get(light or "", "cyan") if colour else "")
    bar.append("░" * (width - filled), style="grey37" if colour else "")
    bar.append(f" {text_value(value)}%")
    return bar


def _bar_text(value: float | None) -> str:
    if value is None:
        return "—"
    filled = int(round(max(0.0, min(100.0, float(value))) / 10))
    return "█" * filled + "░" * (10 - filled) + f" {text_value(value)}%"


def _plain_cell(row: dict[str, Any], c: Column, yi: set[str]) -> str:
    """A table cell as plain text: the same words and figures as the Rich cell, without style."""
    value = row.get(c.key)
    if c.kind == "percent" and c.key in ("percent", "percent_actual"):
        return _bar_text(value)
    if c.kind == "money":
        return _money_text(value, c.key in yi)
    return cell_text(row, c).replace("\r\n", " ").replace("\n", " ")


def _plain_table(report: Report, stream: TextIO, rows: list[dict[str, Any]], cols: list[Column], yi: set[str],
                 counts: dict[str, int]) -> None:
    """Not a terminal (a file, a pipe): one line per row, columns aligned by display width (CJK
    characters count two), no colour and no wrapping — quick for 100,000 rows, easy to grep."""
    from rich.cells import cell_len

    right = [c.kind in ("int", "number", "money") for c in cols]
    headers = [_header(c, yi) for c in cols]
    groups = _groups(report, rows)
    body: list[list[list[str]]] = [[[_plain_cell(r, c, yi) for c in cols] for r in group_rows]
                                   for _, group_rows in groups]
    totals = None
    if report.totals is not None:
        totals = [_plain_cell(report.totals, c, yi) for c in cols]
        totals[0] = t("report.total")
    widths = [cell_len(h) for h in headers]
    for lines in body + ([[totals]] if totals else []):
        for line in lines:
            for i, cell in enumerate(line):
                widths[i] = max(widths[i], cell_len(cell))

    def fmt(cells: list[str]) -> str:
        out = []
        for cell, width, is_right in zip(cells, widths, right):
            pad = " " * (width - cell_len(cell))
            out.append(pad + cell if is_right else cell + pad)
        return (" " + "   ".join(out)).rstrip()

    table_width = sum(widths) + 3 * (len(widths) - 1) + 2
    rule = " " + "─" * (table_width - 2)
    write = stream.write
    if report.group_key:
        write(report.title + "\n")
    for (label, _), lines in zip(groups, body):
        title = report.title if label is None else f"{label} ({counts.get(label, len(lines))})"
        write(title.center(max(table_width, cell_len(title)) - (cell_len(title) - len(title))).rstrip() + "\n\n")
        write(fmt(headers) + "\n" + rule + "\n")
        for line in lines:
            write(fmt(line) + "\n")
        if totals is not None and label is None:
            write(rule + "\n" + fmt(totals) + "\n")
        write("\n")


def _table_cells(row: dict[str, Any], cols: list[Column], colour: bool, yi: set[str]) -> list:
    from rich.text import Text

    light = row.get("light")
    cells = []
    for c in cols:
        value = row.get(c.key)
        if c.kind == "percent" and c.key in ("percent", "percent_actual"):
            cells.append(_bar(value, light, colour))
        elif c.kind == "light" and value:
            cells.append(Text(display_value(value, c.kind), style=LIGHT_STYLE[value] if colour else ""))
        elif c.kind == "state" and value:
            style = LIGHT_STYLE.get({"overdue": "red", "behind": "yellow", "not_started": "yellow"}.get(value, ""), "")
            cells.append(Text(cell_text(row, c), style=style if colour else ""))
        elif c.kind == "flag":
            cells.append(Text(cell_text(row, c), style="bold red" if colour and value else ""))
        elif c.kind == "money":
            cells.append(Text(_money_text(value, c.key in yi)))
        else:
            cells.append(Text(cell_text(row, c)))
    return cells


def _build_table(title: str, cols: list[Column], rows: list[dict[str, Any]], totals: dict[str, Any] | None,
                 colour: bool, yi: set[str], mins: dict[str, int] | None = None):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, box=box.SIMPLE_HEAVY if colour else box.SIMPLE, header_style="bold" if colour else "",
                  title_style="bold" if colour else "", show_lines=False, pad_edge=False)
    for c in cols:
        justify = "right" if c.kind in ("int", "number", "money") else "left"
        table.add_column(_header(c, yi), justify=justify, overflow="fold", max_width=c.width,
                         min_width=(mins or {}).get(c.key, c.min_width))
    for row in rows:
        table.add_row(*_table_cells(row, cols, colour, yi))
    if totals is not None:
        if rows:
            table.rows[-1].end_section = True
        cells = _table_cells(totals, cols, colour, yi)
        cells[0] = Text(t("report.total"))
        table.add_row(*cells, style="bold" if colour else "")
    return table


def _min_widths(cols: list[Column], rows: list[dict[str, Any]], totals: dict[str, Any] | None,
                yi: set[str]) -> dict[str, int]:
    """How narrow each column may get: figures, dates, bars and words never break; text keeps a few characters."""
    from rich.cells import cell_len

    widths = {c.key: 1 for c in cols}
    for row in rows + ([totals] if totals else []):
        for c, cell in zip(cols, _table_cells(row, cols, False, yi)):
            widths[c.key] = max(widths[c.key], cell_len(cell.plain))
    for c in cols:
        if c.kind in ("text", "list", "group", "changes", "summary"):
            # a task's title keeps 8 Chinese characters a line before other columns give way
            widths[c.key] = min(widths[c.key], c.min_width or (16 if c.key == "title" else 8))
        # a header breaks only between words (a Chinese header not at all)
        widths[c.key] = max([widths[c.key]] + [cell_len(w) for w in _header(c, yi).split()])
    return widths


def _header(c: Column, yi: set[str]) -> str:
    if c.key in yi:
        return c.label.replace("万元", "亿元") if "万元" in c.label else f"{c.label}(亿元)"
    return c.label


def _table_width(console, table) -> int:
    """The width Rich will give ``table`` on ``console`` (wider than the console means cut off)."""
    try:
        extra = table._extra_width
        widths = table._calculate_column_widths(console, console.options.update_width(console.width - extra))
        return sum(widths) + extra
    except AttributeError:  # a Rich without these internals: estimate from the columns' minimum widths
        return sum((c.min_width or 1) + 3 for c in table.columns)


KEEP = ("id", "title", "light", "name", "rank", "number")  # never hidden: what names a row, and its light


def drop_order(cols: list[Column]) -> list[Column]:
    """The order columns are hidden in on a narrow terminal: first those a report marks ``drop`` (1 before
    2 ...), then every other column from the right, except the first column and the KEEP columns."""
    marked = sorted((c for c in cols if c.drop is not None), key=lambda c: c.drop)
    rest = [c for i, c in enumerate(cols) if c.drop is None and i > 0 and c.key not in KEEP]
    return marked + rest[::-1]


def _fit(console, report: Report, cols: list[Column], rows: list[dict[str, Any]],
         yi: set[str]) -> tuple[list[Column], list[Column], dict[str, int]]:
    """The columns that fit the terminal, whole: none is cut or squeezed below its minimum width
    (figures, dates and bars keep their full width), so columns go, in ``drop_order``, until the rest fit."""
    mins = _min_widths(cols, rows, report.totals, yi)
    droppable = drop_order(cols)
    hidden: list[Column] = []
    while droppable and _table_width(console, _build_table("", cols, rows, report.totals, False, yi, mins)) \
            > console.width:
        gone = droppable.pop(0)
        hidden.append(gone)
        cols = [c for c in cols if c is not gone]
    return cols, hidden, mins


def _plain_output(report: Report, stream: TextIO, limit: int | None, show_all: bool) -> None:
    rows = report.rows if show_all or limit is None else report.rows[:limit]
    cols = [c for c in report.columns if c.table]
    yi = {c.key for c in cols if c.kind == "money" and _money_in_yi(report, c)}
    _plain_table(report, stream, rows, cols, yi, _group_counts(report))
    stream.write((report.footer or t("common.rows", n=len(report.rows))) + "\n")
    hidden = len(report.rows) - len(rows)
    if hidden > 0:
        stream.write(t("common.more_rows", n=hidden) + "\n")


def to_table(report: Report, stream: TextIO, limit: int | None, show_all: bool) -> None:
    from rich.console import Console

    terminal = stream.isatty()
    if not terminal:
        _plain_output(report, stream, limit, show_all)
        return
    colour = use_colour(stream)
    console = Console(file=stream, no_color=not colour, highlight=False, emoji=False, force_terminal=True)
    print_table(report, console, colour=colour, limit=limit, show_all=show_all)


def print_table(report: Report, console, *, colour: bool = False, limit: int | None = None,
                show_all: bool = False) -> list[Column]:
    """The Rich table of ``report`` on ``console`` (a terminal, or a fixed-width Console in tests): the
    first ``limit`` rows (50 unless --all), the columns that fit whole, and a line naming the hidden ones.
    Returns the hidden columns."""
    from rich.text import Text

    if not show_all and limit is None:
        limit = 50
    rows = report.rows if show_all or limit is None else report.rows[:limit]
    cols = [c for c in report.columns if c.table]
    yi = {c.key for c in cols if c.kind == "money" and _money_in_yi(report, c)}
    cols, narrowed, mins = _fit(console, report, cols, rows, yi)
    counts = _group_counts(report)
    groups = _groups(report, rows)
    if report.group_key:  # the report's title once, then one table per group titled with its count
        console.print(Text(report.title, style="bold" if colour else ""))
    for label, group_rows in groups:
        title = report.title if label is None else f"{label} ({counts.get(label, len(group_rows))})"
        console.print(_build_table(title, cols, group_rows, report.totals if label is None else None, colour, yi,
                                   mins))
    hidden = len(report.rows) - len(rows)
    footer = report.footer or t("common.rows", n=len(report.rows))
    console.print(footer)
    if hidden > 0:
        console.print(t("common.more_rows", n=hidden))
    if narrowed:
        console.print(t("report.narrowed", columns=t("report.list_sep").join(c.label for c in narrowed)),
                      style="dim" if colour else "")
    return narrowed


# ---------------------------------------------------------------- entry point

def emit(report: Report, fmt: str = "table", *, limit: int | None = None, show_all: bool = False,
         stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    if fmt == "table":
        to_table(report, stream, limit, show_all)
    elif fmt == "json":
        stream.write(to_json(report, limit))
    elif fmt == "csv":
        if hasattr(stream, "buffer") and not stream.isatty():
            stream.flush()
            stream.buffer.write(("\ufeff" + to_csv(report, limit)).encode("utf-8"))
            stream.buffer.flush()
        else:
            stream.write("\ufeff" + to_csv(report, limit))
    elif fmt == "md":
        stream.write(to_markdown(report, limit))
    else:  # guarded by the option's choices; kept for library callers
        from taskctl.errors import InvalidValue

        raise InvalidValue("error.bad_format", value=fmt, choices=", ".join(FORMATS))
