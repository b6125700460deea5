"""What every command module shares: option types, the Environment (which opens the ledger), output.

Only typer and the catalogue are imported at module level; the ORM and the
domain core are imported inside the functions that need them, so that
``taskctl --help`` and shell completion stay fast.
"""

from __future__ import annotations

import contextvars
import sys
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from taskctl.i18n import t

if TYPE_CHECKING:
    from taskctl.api import Ledger
    from taskctl.reports.model import Report


class Fmt(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


@dataclass(frozen=True)
class Environment:
    """What the global options say, set by the main callback for the invocation it starts (a context
    variable, not a module global: nothing leaks from one invocation or thread to another).  ``today``
    and ``user`` left None are TASKCTL_TODAY and TASKCTL_USER, read when the ledger needs them."""

    db: str | None = None
    today: str | None = None
    user: str | None = None

    def ledger(self) -> "Ledger":
        """The invocation's ledger, checked on its first use (so that a wrong option is reported first)."""
        from taskctl.api import Ledger

        return Ledger.open(self.db, today=self.today, user=self.user, lazy=True)


_environment: contextvars.ContextVar[Environment] = contextvars.ContextVar("taskctl_environment",
                                                                            default=Environment())


def set_environment(env: Environment) -> None:
    _environment.set(env)


def environment() -> Environment:
    return _environment.get()

# Chinese words every enumerated option takes beside its English values (--format stays English)
CHOICE_WORDS: dict[str, tuple[str, ...]] = {
    "unit": ("单位", "牵头单位", "责任单位"),
    "area": ("领域", "聚焦领域"),
    "leader": ("领导", "责任领导", "包保领导"),
    "zh": ("中文", "中"),
    "en": ("英文", "英"),
}


def choice(enum_cls: type[Enum]):
    """An option callback taking an enum's English values and their Chinese words (``--by 领域``)
    and giving the enum member; anything else is a usage error listing both."""
    def convert(value):
        if value is None or isinstance(value, enum_cls):
            return value
        text = str(value).strip()
        for member in enum_cls:
            if text.lower() == member.value or text in CHOICE_WORDS.get(member.value, ()):
                return member
        choices = t("report.list_sep").join(
            "/".join((m.value,) + CHOICE_WORDS.get(m.value, ())[:1]) for m in enum_cls)
        raise typer.BadParameter(t("error.choice", value=text, choices=choices))

    return convert



def _complete(kind: str):
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from taskctl.cli.complete import candidates
        from taskctl.config import database_url

        db = (ctx.find_root().params or {}).get("db")
        return candidates(kind, incomplete, database_url(db))

    return complete


FormatOpt = Annotated[Fmt, typer.Option("--format", "-f", help=t("help.format"), case_sensitive=False)]
LimitOpt = Annotated[Optional[int], typer.Option("--limit", min=0, help=t("help.limit"))]
AllOpt = Annotated[bool, typer.Option("--all", help=t("help.all"))]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help=t("help.as_of"))]
AreaOpt = Annotated[Optional[str], typer.Option("--area", "-a", help=t("help.filter_area"), autocompletion=_complete("area"))]
UnitOpt = Annotated[Optional[str], typer.Option("--unit", "-u", help=t("help.filter_unit"), autocompletion=_complete("unit"))]
LeaderOpt = Annotated[Optional[str], typer.Option("--leader", "-l", help=t("help.filter_leader"),
                                                  autocompletion=_complete("leader"))]
StatusOpt = Annotated[Optional[str], typer.Option("--status", "-s", help=t("help.filter_status"))]
TagOpt = Annotated[Optional[str], typer.Option("--tag", help=t("help.filter_tag"))]
TaskIdArg = Annotated[int, typer.Argument(help=t("help.task_id"), autocompletion=_complete("task"), show_default=False)]
OnOpt = Annotated[Optional[str], typer.Option("--on", help=t("help.on"))]


def open_ledger() -> "Ledger":
    """The ledger the invocation's settings name (--db, TASKCTL_DB, TASKCTL_TODAY, TASKCTL_USER)."""
    return environment().ledger()


def emit(report: "Report", fmt: Fmt | str = Fmt.table, limit: int | None = None, show_all: bool = False) -> None:
    from taskctl.render import emit as _emit

    _emit(report, fmt.value if isinstance(fmt, Fmt) else fmt, limit=limit, show_all=show_all)


def rows_shown(fmt: Fmt | str, limit: int | None, show_all: bool) -> int | None:
    """How many rows ``emit`` will show on stdout (None: all): a report asks its builder for only those."""
    from taskctl.render import rows_shown as shown

    return shown(fmt.value if isinstance(fmt, Fmt) else fmt, limit, show_all)


def fields_text(names) -> str:
    """Changed fields in Chinese (时限、配合单位 …); in English the field keys, as the options spell them."""
    from taskctl.history_text import field_text
    from taskctl.i18n import language

    if language() == "en":
        return ", ".join(names)
    return t("report.list_sep").join(field_text(n) for n in names)


def say(message: str) -> None:
    """A confirmation for the person at the terminal (stdout)."""
    typer.echo(message)


def warn(message: str) -> None:
    typer.echo(message, err=True)


def print_json(data) -> None:
    import json

    from taskctl.render import json_value

    sys.stdout.write(json.dumps(json_value(data), ensure_ascii=False, indent=2) + "\n")
