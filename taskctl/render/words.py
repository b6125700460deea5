"""What a rendered report says in the interface language: headers, titles, footers.

Builders hand over catalogue keys (``Column.label`` or ``col.<key>``) and ``Msg``
sentences; they are said here, when the report is drawn, so one ``Report`` can be
rendered in Chinese or English (``export weekly --headers zh`` draws in Chinese
whatever the interface language).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from taskctl.i18n import t

if TYPE_CHECKING:
    from taskctl.reports.model import Column, Msg, Report


def say(message: "Msg | str | None") -> str:
    """A ``Msg`` in the interface language (its values said first); a plain string as it is."""
    from taskctl.reports.model import Msg

    if message is None:
        return ""
    if not isinstance(message, Msg):
        return str(message)
    if message.parts:
        return "".join(say(p) for p in message.parts)
    return t(message.key, **{k: say(v) if isinstance(v, Msg) else v for k, v in message.params.items()})


def header(c: "Column") -> str:
    """A column's header."""
    return t(c.label or f"col.{c.key}")


def title(report: "Report") -> str:
    return say(report.title)


def footer(report: "Report") -> str:
    """The report's footer, else how many rows it has."""
    return say(report.footer) if report.footer is not None else t("common.rows", n=len(report.rows))


def word(value: Any, kind: str) -> str | None:
    """A key a person reads as a word (lights, states, statuses, stages), else None."""
    if value is None or kind not in ("light", "state", "status", "stage"):
        return None
    return t(f"{kind}.{value}")
