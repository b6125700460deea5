"""What the report builders share: task-row columns arranged per report, grouping, small checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from taskctl.errors import InvalidValue
from taskctl.reports.model import Column
from taskctl.reports.rows import task_columns

Row = dict[str, Any]


def task_report_columns(table: Sequence[str], extra: Iterable[Column] = (),
                        drop: dict[str, int] | None = None) -> list[Column]:
    """Every task field for JSON/CSV, with ``table`` naming the table's columns in their order.

    ``extra`` adds the report's own fields; ``drop`` says which table columns matter least
    (a narrow terminal hides them in that order, 1 first).
    """
    by_key: dict[str, Column] = {c.key: c for c in task_columns()}
    for c in extra:
        by_key[c.key] = c
    for key, order in (drop or {}).items():
        by_key[key] = replace(by_key[key], drop=order)
    shown = [replace(by_key[k], table=True) for k in table]
    hidden = [replace(c, table=False) for k, c in by_key.items() if k not in table]
    return shown + hidden


def grouped(rows: list[Row], label_of: Callable[[Row], Any], order_of: Callable[[Any, list[Row]], Any]) -> list[Row]:
    """Rows regrouped so that each group is contiguous (the renderers print one table per group).

    Rows keep their order inside a group; groups are sorted by ``order_of(label, rows)``.
    """
    groups: dict[Any, list[Row]] = {}
    for row in rows:
        groups.setdefault(label_of(row), []).append(row)
    ordered = sorted(groups.items(), key=lambda kv: order_of(kv[0], kv[1]))
    return [row for _, group_rows in ordered for row in group_rows]


def check_days(days: int) -> int:
    if days is None or int(days) != days or days < 0:
        raise InvalidValue("report.bad_days", value=days)
    return int(days)


def check_choice(value: str | None, choices: Sequence[str], key: str) -> None:
    if value is not None and value not in choices:
        raise InvalidValue(key, value=value, choices=", ".join(choices))


