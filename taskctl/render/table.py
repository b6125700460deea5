"""The terminal table of one ``Report``: Rich on a terminal (columns that fit, whole), aligned plain text in a pipe."""

from __future__ import annotations

import os
from typing import Any, TextIO

from taskctl.i18n import t
from taskctl.reports.model import Column, Report
from taskctl.render.cells import (
    cell_text, display_value, group_counts, groups as groups_of, money_header, money_in_yi, money_text, text_value,
)
from taskctl.render.layout import layout
from taskctl.render.words import footer as footer_of, header, title as title_of

LIGHT_STYLE = {"red": "bold red", "yellow": "yellow", "green": "green"}


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


def _plain_cell(name: str, row: dict[str, Any], c: Column, yi: set[str]) -> str:
    """A table cell as plain text: the same words and figures as the Rich cell, without style."""
    value = row.get(c.key)
    if c.kind == "percent" and c.key in ("percent", "percent_actual"):
        return _bar_text(value)
    if c.kind == "money":
        return money_text(value, c.key in yi)
    return cell_text(row, c, layout(name, c.key).blank_if).replace("\r\n", " ").replace("\n", " ")


def _plain_table(report: Report, stream: TextIO, rows: list[dict[str, Any]], cols: list[Column], yi: set[str],
                 counts: dict[str, int]) -> None:
    """Not a terminal (a file, a pipe): one line per row, columns aligned by display width (CJK
    characters count two), no colour and no wrapping — quick for 100,000 rows, easy to grep."""
    from rich.cells import cell_len

    right = [c.kind in ("int", "number", "money") for c in cols]
    headers = [_header(c, yi) for c in cols]
    groups = groups_of(report, rows)
    body: list[list[list[str]]] = [[[_plain_cell(report.name, r, c, yi) for c in cols] for r in group_rows]
                                   for _, group_rows in groups]
    totals = None
    if report.totals is not None:
        totals = [_plain_cell(report.name, report.totals, c, yi) for c in cols]
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
        write(title_of(report) + "\n")
    for (label, _), lines in zip(groups, body):
        title = title_of(report) if label is None else f"{label} ({counts.get(label, len(lines))})"
        write(title.center(max(table_width, cell_len(title)) - (cell_len(title) - len(title))).rstrip() + "\n\n")
        write(fmt(headers) + "\n" + rule + "\n")
        for line in lines:
            write(fmt(line) + "\n")
        if totals is not None and label is None:
            write(rule + "\n" + fmt(totals) + "\n")
        write("\n")


def _table_cells(name: str, row: dict[str, Any], cols: list[Column], colour: bool, yi: set[str]) -> list:
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
            cells.append(Text(cell_text(row, c, layout(name, c.key).blank_if), style=style if colour else ""))
        elif c.kind == "flag":
            cells.append(Text(cell_text(row, c, layout(name, c.key).blank_if), style="bold red" if colour and value else ""))
        elif c.kind == "money":
            cells.append(Text(money_text(value, c.key in yi)))
        else:
            cells.append(Text(cell_text(row, c, layout(name, c.key).blank_if)))
    return cells


def _build_table(name: str, title: str, cols: list[Column], rows: list[dict[str, Any]], totals: dict[str, Any] | None,
                 colour: bool, yi: set[str], mins: dict[str, int] | None = None):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, box=box.SIMPLE_HEAVY if colour else box.SIMPLE, header_style="bold" if colour else "",
                  title_style="bold" if colour else "", show_lines=False, pad_edge=False)
    for c in cols:
        justify = "right" if c.kind in ("int", "number", "money") else "left"
        table.add_column(_header(c, yi), justify=justify, overflow="fold", max_width=layout(name, c.key).width,
                         min_width=(mins or {}).get(c.key, layout(name, c.key).min_width))
    for row in rows:
        table.add_row(*_table_cells(name, row, cols, colour, yi))
    if totals is not None:
        if rows:
            table.rows[-1].end_section = True
        cells = _table_cells(name, totals, cols, colour, yi)
        cells[0] = Text(t("report.total"))
        table.add_row(*cells, style="bold" if colour else "")
    return table


def _min_widths(name: str, cols: list[Column], rows: list[dict[str, Any]], totals: dict[str, Any] | None,
                yi: set[str]) -> dict[str, int]:
    """How narrow each column may get: figures, dates, bars and words never break; text keeps a few characters."""
    from rich.cells import cell_len

    widths = {c.key: 1 for c in cols}
    for row in rows + ([totals] if totals else []):
        for c, cell in zip(cols, _table_cells(name, row, cols, False, yi)):
            widths[c.key] = max(widths[c.key], cell_len(cell.plain))
    for c in cols:
        if c.kind in ("text", "list", "group", "changes", "summary"):
            # a task's title keeps 8 Chinese characters a line before other columns give way
            widths[c.key] = min(widths[c.key], layout(name, c.key).min_width or (16 if c.key == "title" else 8))
        # a header breaks only between words (a Chinese header not at all)
        widths[c.key] = max([widths[c.key]] + [cell_len(w) for w in _header(c, yi).split()])
    return widths


def _header(c: Column, yi: set[str]) -> str:
    return money_header(c, c.key in yi)


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
    mins = _min_widths(report.name, cols, rows, report.totals, yi)
    droppable = drop_order(cols)
    hidden: list[Column] = []
    while droppable and _table_width(console, _build_table(report.name, "", cols, rows, report.totals, False, yi, mins)) \
            > console.width:
        gone = droppable.pop(0)
        hidden.append(gone)
        cols = [c for c in cols if c is not gone]
    return cols, hidden, mins


def _plain_output(report: Report, stream: TextIO, limit: int | None, show_all: bool) -> None:
    rows = report.rows if show_all or limit is None else report.rows[:limit]
    cols = [c for c in report.columns if c.table]
    yi = {c.key for c in cols if c.kind == "money" and money_in_yi(report, c)}
    _plain_table(report, stream, rows, cols, yi, group_counts(report))
    stream.write(footer_of(report) + "\n")
    hidden = report.total - len(rows)
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
        from taskctl.render import TERMINAL_ROWS

        limit = TERMINAL_ROWS
    rows = report.rows if show_all or limit is None else report.rows[:limit]
    cols = [c for c in report.columns if c.table]
    yi = {c.key for c in cols if c.kind == "money" and money_in_yi(report, c)}
    cols, narrowed, mins = _fit(console, report, cols, rows, yi)
    counts = group_counts(report)
    groups = groups_of(report, rows)
    if report.group_key:  # the report's title once, then one table per group titled with its count
        console.print(Text(title_of(report), style="bold" if colour else ""))
    for label, group_rows in groups:
        title = title_of(report) if label is None else f"{label} ({counts.get(label, len(group_rows))})"
        console.print(_build_table(report.name, title, cols, group_rows, report.totals if label is None else None, colour, yi,
                                   mins))
    hidden = report.total - len(rows)
    footer_text = footer_of(report)
    console.print(footer_text)
    if hidden > 0:
        console.print(t("common.more_rows", n=hidden))
    if narrowed:
        console.print(t("report.narrowed", columns=t("report.list_sep").join(header(c) for c in narrowed)),
                      style="dim" if colour else "")
    return narrowed



