"""What every command module shares: options, the ledger session, dates, output.

Only typer and the catalogue are imported at module level; the ORM and the
domain core are imported inside the functions that need them, so that
``taskctl --help`` and shell completion stay fast.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
from dataclasses import dataclass
from collections.abc import Iterator
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from taskctl.i18n import t

if TYPE_CHECKING:
    import datetime as dt

    from sqlalchemy.orm import Session

    from taskctl.reports.model import Report
    from taskctl.snapshot import Filters


class Fmt(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


@dataclass(frozen=True)
class Environment:
    """What the global options say, set by the main callback for the invocation it starts (a context
    variable, not a module global: nothing leaks from one invocation or thread to another).  Today and
    the user come from TASKCTL_TODAY and TASKCTL_USER when the ledger opens."""

    db: str | None = None

    def url(self) -> str:
        from taskctl.config import database_url

        return database_url(self.db)


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


def db_url() -> str:
    return environment().url()


@contextlib.contextmanager
def ledger() -> Iterator["Session"]:
    """The command's one transaction on the ledger (through the library's ``Ledger``): committed when
    the command succeeds, rolled back on any error."""
    from taskctl.api import Ledger

    with Ledger.open(environment().db).transaction(write=not _reads_only()) as session:
        yield session


# commands that only read: on SQLite they begin without the write lock, so they never wait for a writer
_READ_ONLY = {"list", "show", "overdue", "due-soon", "stale", "quarter", "rank", "export", "log", "info", "check",
              "backup", "calendar", "trend", "preview"}


def _reads_only() -> bool:
    """Whether the running command only reads the ledger (an unknown one is taken to write)."""
    ctx = _current_context()
    words = ctx.command_path.split()[1:] if ctx is not None else []
    if not words:
        return False
    if words[-1] == "undo":
        return bool(ctx.params.get("show"))
    return words[-1] in _READ_ONLY or words[0] == "export"


def _current_context():
    from typer._click.globals import get_current_context  # typer vendors Click

    return get_current_context(silent=True)


def today() -> "dt.date":
    from taskctl.config import today as _today

    return _today()


def parse_day(session: "Session", text: str | None, *, role: str = "end", start: "dt.date | None" = None,
              default_today: bool = True):
    """A date option through the ledger date parser; a ParsedDate (None when not given and not defaulted)."""
    from taskctl.api import resolve_parsed

    if text is None and not default_today:
        return None
    return _in_range(resolve_parsed(session, text, role=role, start=start), text)


def day(session: "Session", text: str | None, *, role: str = "end") -> "dt.date":
    """A date option that must be a date (as-of, --on): defaults to today."""
    from taskctl.api import resolve_day

    return _in_range(resolve_day(session, text, role=role), text)


DATE_RANGE = (1900, 2200)  # a ledger's dates; beyond them day-by-day rules (working days) would never end


def _in_range(value, text):
    """The date (or ParsedDate) when its year is one a ledger can mean; else a one-line error."""
    from taskctl.errors import InvalidValue

    date = getattr(value, "date", value)
    if date is not None and hasattr(date, "year") and not (DATE_RANGE[0] <= date.year <= DATE_RANGE[1]):
        raise InvalidValue("input.date_range", value=text, low=DATE_RANGE[0], high=DATE_RANGE[1])
    return value


def filters(session: "Session", **given) -> "Filters":
    from taskctl.api import resolve_filters

    return resolve_filters(session, **given)


def emit(report: "Report", fmt: Fmt | str = Fmt.table, limit: int | None = None, show_all: bool = False) -> None:
    from taskctl.render import emit as _emit

    _emit(report, fmt.value if isinstance(fmt, Fmt) else fmt, limit=limit, show_all=show_all)


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
