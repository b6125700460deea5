"""How each report's columns are laid out on a terminal — the renderer's business, not the builders'.

``LAYOUT[report name][column key]`` sets, for the terminal table (and Markdown where it applies):

    width       the widest the column may grow (long notes wrap)
    min_width   the narrowest it may be squeezed to on a narrow terminal
    blank_if    leave the cell blank when it equals this other column's value

Which columns matter most (what a narrow terminal hides first) is the report's own
``Column.drop``: that is part of the data a builder returns.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    width: int | None = None
    min_width: int | None = None
    blank_if: str | None = None


NONE = Layout()

LAYOUT: dict[str, dict[str, Layout]] = {
    "overdue": {"original_due": Layout(blank_if="due"), "note": Layout(width=32, min_width=12),
                "title": Layout(width=28, min_width=12), "co_units": Layout(width=16)},
    "due_soon": {"title": Layout(width=30, min_width=12)},
    "stale": {"title": Layout(width=36, min_width=12)},
    "task_events": {"text": Layout(min_width=16)},
    "progress": {"note": Layout(min_width=16)},
    "log": {"summary": Layout(min_width=16), "changes_named": Layout(min_width=16)},
    "bulletins": {"title": Layout(width=30, min_width=12)},
    "notices": {"title": Layout(width=26, min_width=10), "number": Layout(min_width=14)},
    "ladder": {"text": Layout(width=40, min_width=16)},
    "minutes": {"area_name": Layout(width=14), "title": Layout(width=40, min_width=12)},
}


def layout(report_name: str, key: str) -> Layout:
    return LAYOUT.get(report_name, {}).get(key, NONE)
