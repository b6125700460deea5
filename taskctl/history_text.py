"""History (留痕) as a person reads it: action names, field names and values in the interface language.

The stored history keeps English keys (``task.extend``, ``on_date``, ``done``) so that JSON stays
stable; the table, Markdown and `task show` show them through the catalogue (``action.*``,
``field.*``, ``col.*``, ``status.*``, ``stage.*``, ``kind.*``). A name the catalogue does not know
is shown as stored.
"""

from __future__ import annotations

import re
from typing import Any

from taskctl.i18n import catalogues, t

_IMPORT_KEY = re.compile(r"^(?P<where>#\d+(?:@[\d-]+)?)\.(?P<field>\w+)$")  # an import's "#3@2023-03-01.percent"
_VALUE_WORDS = {"status": "status.", "stage": "stage.", "kind": "kind.", "state": "state.", "light": "light."}


def _known(key: str) -> bool:
    return key in catalogues()["en"]


def action_text(action: Any) -> str:
    if not action:
        return ""
    return t("action." + action) if _known("action." + action) else str(action)


def field_text(name: str) -> str:
    m = _IMPORT_KEY.match(name)
    if m:
        return f"{m.group('where')} {field_text(m.group('field'))}"
    for prefix in ("field.", "col."):
        if _known(prefix + name):
            return t(prefix + name)
    return name


def value_text(field: str, value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return t("log.true") if value else t("log.false")
    if isinstance(value, list):
        return "[" + "、".join(str(v) for v in value) + "]"
    field = field.rsplit(".", 1)[-1]
    prefix = _VALUE_WORDS.get(field)
    if prefix and isinstance(value, str) and _known(prefix + value):
        return t(prefix + value)
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def changes_text(changes: dict[str, Any]) -> str:
    """``{"on_date": [null, "2023-03-01"]}`` → ``日期: ∅ → 2023-03-01``."""
    parts = []
    for name, pair in changes.items():
        old, new = (pair if isinstance(pair, (list, tuple)) and len(pair) == 2 else (None, pair))
        parts.append(f"{field_text(name)}: {value_text(name, old)} → {value_text(name, new)}")
    return t("log.change_sep").join(parts) if parts else ""


def summary_text(action: Any, summary: Any, changes: dict[str, Any]) -> str:
    """The stored summary, except where taskctl itself wrote it in English (init, the demo)."""
    key = f"log.summary.{action}"
    if action and _known(key):
        values = {k: (v[1] if isinstance(v, (list, tuple)) and len(v) == 2 else v) for k, v in changes.items()}
        return t(key, **values)
    return "" if summary is None else str(summary)
