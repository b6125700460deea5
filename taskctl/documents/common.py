"""What the documents share: day counting (one seam for working days), dates as documents write them."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from taskctl.errors import InvalidValue


def days_between(a: dt.date, b: dt.date) -> int:
    """Days from ``a`` to ``b`` (negative when b is earlier): the one place slip thresholds count days.

    Calendar days for now; working days (holidays, 调休) replace this when the calendar exists.
    """
    return (b - a).days


def add_days(d: dt.date, n: int) -> dt.date:
    """The day ``n`` days after ``d``, counted as ``days_between`` counts."""
    return d + dt.timedelta(days=n)


def cn_date(d: dt.date | None) -> str:
    """2023年3月31日 — dates in the documents' text (GB/T 9704 writes the year in full, no leading zeros)."""
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"


def doc_date(d: dt.date | None) -> str:
    """A date in a document's text: 2023年3月31日 in Chinese, ISO otherwise."""
    from taskctl.i18n import language

    if d is None:
        return ""
    return cn_date(d) if language() == "zh" else d.isoformat()


def share(n: int, total: int) -> str:
    """A share as documents print it: 45.5% (one decimal, trailing .0 dropped)."""
    if not total:
        return "0%"
    value = round(100.0 * n / total, 1)
    return f"{value:g}%"


def number_text(value: float | None) -> str:
    if value is None:
        return "—"
    value = round(float(value), 1)
    return f"{value:g}"


class _Fields(string.Formatter):
    def get_value(self, key: Any, args: Any, kwargs: dict[str, Any]) -> Any:
        if isinstance(key, str) and key not in kwargs:
            raise KeyError(key)
        return super().get_value(key, args, kwargs)


def placeholders(text: str) -> list[str]:
    """The ``{name}`` fields a text uses (a ladder level's requirement)."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name]
    except ValueError:
        raise InvalidValue("doc.bad_text", text=text) from None


def fill(text: str, values: dict[str, Any]) -> str:
    """``text`` with its ``{name}`` fields filled; checked beforehand by ``placeholders``."""
    try:
        return _Fields().vformat(text, (), values)
    except (KeyError, ValueError, IndexError):
        raise InvalidValue("doc.bad_text", text=text) from None
