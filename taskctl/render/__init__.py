"""Renderers: every table-shaped output taskctl writes, in the interface language.

    words    headers, titles and footers said from the catalogue (``Msg``)
    layout   per report: column widths and blank-if rules on a terminal
    cells    one value as text (JSON, CSV, Markdown, terminal) and money in 万元/亿元
    text     JSON, CSV and Markdown of a report; the one CSV and one Markdown table writer
    table    the terminal table (Rich on a terminal, aligned plain text in a pipe)
    xlsx     the one XLSX writer (sheets, light colours, charts)

Builders in ``taskctl.reports`` return data (``taskctl.reports.model.Report``); only
this package decides how it reads.
"""

from __future__ import annotations

import sys
from typing import TextIO

from taskctl.reports.model import Report
from taskctl.render.cells import cell_text, csv_cell, display_value, json_value, text_value
from taskctl.render.table import print_table, to_table, use_colour
from taskctl.render.text import to_csv, to_json, to_markdown

FORMATS = ("table", "json", "csv", "md")

__all__ = ["FORMATS", "TERMINAL_ROWS", "emit", "rows_shown", "cell_text", "csv_cell", "display_value", "json_value", "text_value", "print_table",
           "to_table", "use_colour", "to_csv", "to_json", "to_markdown"]


TERMINAL_ROWS = 50  # a table on a terminal shows this many rows unless --limit or --all says otherwise


def rows_shown(fmt: str, limit: int | None, show_all: bool, stream: TextIO | None = None) -> int | None:
    """How many rows ``emit`` will show (None: all) — so that a report need only build those."""
    if show_all:
        return None
    if limit is not None:
        return limit
    stream = stream or sys.stdout
    return TERMINAL_ROWS if fmt == "table" and stream.isatty() else None


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
