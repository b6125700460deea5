"""A cell's value as text: for JSON, CSV, Markdown and the terminal (the same words and figures everywhere)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from taskctl.i18n import language, t
from taskctl.reports.model import Column, Msg, Report
from taskctl.render.words import header, say

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    if kind == "event":
        return t(f"event.{value}")
    if kind == "percent":
        return f"{text_value(value)}%"
    if kind == "bool":
        return "✓" if value else ""
    return text_value(value, kind)



def csv_cell(value: Any, kind: str) -> str:
    text = text_value(value, kind)
    return neutralise(text) if isinstance(value, (str, list, tuple)) else text


# ``csv_cell`` chosen once per column: the type a column of that kind holds is tried first, anything
# else goes to ``csv_cell`` itself, so the text is the same for every value (tests/test_weekly_speed.py).
# A 100,000-row file is some two million cells: one call with one type check per cell instead of
# ``csv_cell`` -> ``text_value`` and its chain of isinstance checks.

def _csv_text(value: Any) -> str:
    if type(value) is str:  # noqa: E721 - a subclass goes the long way
        return "'" + value if value.startswith(FORMULA_START) else value
    if value is None:
        return ""
    return csv_cell(value, "text")


def _csv_number(value: Any) -> str:
    kind = type(value)
    if kind is float:
        return f"{value:g}" if abs(value) < 1e15 else f"{value:.0f}"
    if kind is int:
        return str(value)
    if value is None:
        return ""
    return csv_cell(value, "number")


def _csv_date(value: Any) -> str:
    if type(value) is dt.date:  # noqa: E721 - a datetime is a date too, and reads differently
        return value.isoformat()
    if value is None:
        return ""
    return csv_cell(value, "date")


def _csv_bool(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return csv_cell(value, "bool")


def _csv_list(value: Any) -> str:
    if type(value) is list and all(type(v) is str for v in value):  # noqa: E721
        text = "、".join(value)
        return "'" + text if text.startswith(FORMULA_START) else text
    return csv_cell(value, "list")


_CSV_BY_KIND = {"int": _csv_number, "number": _csv_number, "percent": _csv_number, "money": _csv_number,
                "date": _csv_date, "bool": _csv_bool, "list": _csv_list}


def csv_formatter(kind: str) -> Callable[[Any], str]:
    """A function giving ``csv_cell(value, kind)`` for a column of ``kind``, chosen once for the column."""
    return _CSV_BY_KIND.get(kind, _csv_text)


def cell_text(row: dict[str, Any], c: Column, blank_if: str | None = None) -> str:
    """A table/Markdown cell: the display value; blank when it equals the ``blank_if`` column's value."""
    value = row.get(c.key)
    if blank_if is not None and value == row.get(blank_if):
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
        return header(c) if value else ""
    return display_value(value, c.kind)



def money_in_yi(report: Report, c: Column) -> bool:
    """Chinese tables show a money column in 亿元 when its figures reach 1 亿 (10,000 万元)."""
    if language() != "zh":
        return False
    values = [r.get(c.key) for r in report.rows] + [(report.totals or {}).get(c.key)]
    return any(isinstance(v, (int, float)) and abs(v) >= 10000 for v in values)


def money_text(value: Any, yi: bool) -> str:
    if value is None:
        return "—"
    if yi:
        return f"{value / 10000:.2f}"
    if isinstance(value, (int, float)) and abs(value) >= 1000:
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text_value(value)



def money_header(c: Column, yi: bool) -> str:
    """A money column's header, in 亿元 when its figures are shown in 亿."""
    label = header(c)
    if yi:
        return label.replace("万元", "亿元") if "万元" in label else f"{label}(亿元)"
    return label


def totals_cells(report: Report, cols: list[Column]) -> list[str]:
    """The totals row as table/Markdown cells: "total" in the first column, then the figures."""
    totals = report.totals or {}
    cells = [cell_text(totals, c) if c.key in totals else "" for c in cols]
    if cells:
        cells[0] = t("report.total")
    return cells


def group_label(report: Report, row: dict[str, Any]) -> str:
    value = row.get(report.group_key)
    return (say(value) if isinstance(value, Msg) else text_value(value)) or t("common.none")


def groups(report: Report, rows: list[dict[str, Any]]) -> list[tuple[str | None, list[dict[str, Any]]]]:
    """Rows split into groups in the order they first appear (builders sort rows by group)."""
    if not report.group_key:
        return [(None, rows)]
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(group_label(report, row), []).append(row)
    return list(out.items())


def group_counts(report: Report) -> dict[str, int]:
    """Every group's size over all rows, so a group cut short by --limit still shows its real count — or
    as the builder gives it (``_group_size`` in a row) when it built only the first rows."""
    counts: dict[str, int] = {}
    if report.group_key:
        for row in report.rows:
            label = group_label(report, row)
            size = row.get("_group_size")
            counts[label] = size if size is not None else counts.get(label, 0) + 1
    return counts
