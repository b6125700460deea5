"""A report is data: typed columns and rows, built once and rendered many ways.

Builders (task list, overdue, quarter, ...) return a ``Report``; every renderer
(Rich table, JSON, CSV, Markdown, XLSX) takes the same object, so the formats
cannot disagree about rows or figures.  Row values are plain Python values —
str, int, float, date, list, None — already rounded where a figure is shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

KINDS = ("text", "int", "number", "percent", "money", "date", "datetime", "light", "state", "list", "bool", "flag",
         "group", "stage", "action", "changes", "summary")


@dataclass(frozen=True)
class Column:
    key: str  # stable English key: JSON key and CSV header
    label: str  # translated table header
    kind: str = "text"
    table: bool = True  # shown in the Rich/Markdown table (JSON and CSV carry every column)
    width: int | None = None  # the widest this column may grow in the Rich table (long notes wrap)
    min_width: int | None = None  # the narrowest it may be squeezed to on a narrow terminal
    drop: int | None = None  # on a terminal too narrow for the table, hidden in this order (1 first)
    blank_if: str | None = None  # table/Markdown leave the cell blank when it equals this column's value


@dataclass
class Report:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    as_of: dt.date | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # extra top-level JSON keys
    footer: str | None = None
    json_array: bool = False  # `task list` & co: a bare JSON array of rows
    group_key: str | None = None  # rows grouped into one table per value of this column
    group_label: str | None = None
    totals: dict[str, Any] | None = None  # one more row after the rows in the table, Markdown and CSV

    @property
    def total(self) -> int:
        return len(self.rows)

    def to_json(self, limit: int | None = None) -> str:
        from taskctl.render import to_json

        return to_json(self, limit)

    def to_csv(self, limit: int | None = None) -> str:
        """UTF-8 text with the JSON keys as headers (write it with encoding="utf-8-sig" for Excel)."""
        from taskctl.render import to_csv

        return to_csv(self, limit)

    def to_markdown(self, limit: int | None = None) -> str:
        from taskctl.render import to_markdown

        return to_markdown(self, limit)


def round1(value: float | None) -> float | None:
    """Figures are shown to one decimal; rounding once keeps every format equal."""
    if value is None:
        return None
    r = round(float(value) + 0.0, 1)
    return int(r) if r == int(r) else r
