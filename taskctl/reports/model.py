"""The report model: a report is data — column keys, rows with stable keys, and which columns matter most.

Builders (task list, overdue, quarter, the weekly file's parts …) return a ``Report``;
every renderer in ``taskctl.render`` (terminal table, JSON, CSV, Markdown, XLSX) takes
the same object, so the formats cannot disagree about rows or figures.  Row values are
plain Python values — str, int, float, date, list, None — already rounded where a figure
is shown.

Nothing here is in a language: a column names its header by a catalogue key, and the
title and footer are ``Msg`` (a catalogue key and its values).  The renderer says them in
the interface language when it draws the report, and decides widths, money units and what
a narrow terminal hides (``taskctl.render.layout``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

KINDS = ("text", "int", "number", "percent", "money", "date", "datetime", "light", "state", "list", "bool", "flag",
         "group", "stage", "event", "action", "changes", "summary")


class Msg:
    """A sentence still to be said: a catalogue key and its values (a value may be a ``Msg`` itself).

    ``a + b`` is the two said one after the other (a footer with a suffix).
    """

    __slots__ = ("key", "params", "parts")

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        self.parts: tuple[Msg | str, ...] = ()

    @classmethod
    def joined(cls, *parts: "Msg | str") -> "Msg":
        """The parts said one after the other (a plain string, such as punctuation, as it is)."""
        out = cls("")
        out.parts = tuple(p for m in parts for p in (m.parts if isinstance(m, Msg) and m.parts else (m,)))
        return out

    def __add__(self, other: "Msg") -> "Msg":
        return Msg.joined(self, other)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.key, self.params, self.parts) == (other.key, other.params, other.parts)

    def __repr__(self) -> str:
        if self.parts:
            return " + ".join(map(repr, self.parts))
        return f"Msg({self.key!r}, {self.params!r})"

    def __str__(self) -> str:  # said in the interface language
        from taskctl.render.words import say

        return say(self)


@dataclass(frozen=True)
class Column:
    key: str  # stable English key: JSON key and CSV header
    kind: str = "text"
    table: bool = True  # shown in the table/Markdown/XLSX (JSON and CSV carry every column)
    drop: int | None = None  # how little it matters: on a terminal too narrow for the table, hidden in this order
    label: str | None = None  # the header's catalogue key when it is not ``col.<key>``


def C(key: str, kind: str = "text", table: bool = True, label: str | None = None, drop: int | None = None) -> Column:
    """A column of ``kind`` headed by the catalogue's ``col.<key>`` (or ``label``)."""
    return Column(key=key, kind=kind, table=table, drop=drop, label=label)


@dataclass
class Report:
    name: str  # also what the renderer's layout (taskctl.render.layout) is looked up by
    columns: list[Column]
    rows: list[dict[str, Any]]
    as_of: dt.date | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # extra top-level JSON keys
    title: Msg | str | None = None
    footer: Msg | str | None = None  # else the renderer counts the rows
    json_array: bool = False  # `task list` & co: a bare JSON array of rows
    group_key: str | None = None  # rows grouped into one table per value of this column
    totals: dict[str, Any] | None = None  # one more row after the rows in the table, Markdown and CSV
    count: int | None = None  # the rows in all, when ``rows`` holds only the first of them (``first=``)

    @property
    def total(self) -> int:
        """The rows in all (a table shows the first 50 and says how many more there are)."""
        return len(self.rows) if self.count is None else self.count

    def to_json(self, limit: int | None = None) -> str:
        from taskctl.render.text import to_json

        return to_json(self, limit)

    def to_csv(self, limit: int | None = None) -> str:
        """UTF-8 text with the JSON keys as headers (write it with encoding="utf-8-sig" for Excel)."""
        from taskctl.render.text import to_csv

        return to_csv(self, limit)

    def to_markdown(self, limit: int | None = None) -> str:
        from taskctl.render.text import to_markdown

        return to_markdown(self, limit)


def round1(value: float | None) -> float | None:
    """Figures are shown to one decimal; rounding once keeps every format equal."""
    if value is None:
        return None
    r = round(float(value) + 0.0, 1)
    return int(r) if r == int(r) else r
