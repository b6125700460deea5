"""The taskctl command: global options, error handling, command groups composed in one place."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from taskctl import __version__
from taskctl.errors import TaskctlError
from taskctl.i18n import t


def _fail(message: str, code: int = 1) -> None:
    typer.echo(t("error.prefix") + message, err=True)
    raise typer.Exit(code)


class TaskctlGroup(TyperGroup):
    """Turns user errors into one line on stderr and an exit code — in one place; Click's own usage
    errors and help in the interface language (taskctl.cli.clicktext)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from taskctl.cli import clicktext

        clicktext.install()
        clicktext.prepare(self)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        core = sys.modules["typer.core"]
        click = getattr(core, "_click", None) or sys.modules["click"]
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.ClickException as exc:
            clicktext.show_error(exc)
            sys.exit(exc.exit_code)
        except (typer.Abort, getattr(click.exceptions, "Abort", typer.Abort)):
            typer.echo(t("click.aborted"), err=True)
            sys.exit(1)
        # without standalone mode Click returns an Exit's code (commands themselves return None)
        sys.exit(rv if isinstance(rv, int) and not isinstance(rv, bool) else 0)

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        from taskctl.cleaning import bad_argument

        for arg in args:  # every argument of every command: nothing unstorable gets in
            problem = bad_argument(arg)
            if problem is not None:
                _fail(t(problem[0], **problem[1]))
        return super().parse_args(ctx, args)

    def invoke(self, ctx: typer.Context):
        from taskctl.cli.common import Environment, set_environment

        try:
            return super().invoke(ctx)
        except TaskctlError as exc:
            _fail(exc.message(), exc.exit_code)
        except BrokenPipeError:
            # the reader went away (`taskctl task list | head`): stop quietly, as cat and grep do; what the
            # command wrote to the ledger is already committed, and nothing is left half-written
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)  # 128 + SIGPIPE, like a tool the signal stopped
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except Exception as exc:
            _fail(*_describe(exc))
        finally:
            set_environment(Environment())  # the invocation's settings end with it


def _database_error(exc: Exception, sa_exc) -> bool:
    """An error of the database: SQLAlchemy's, or sqlite3's or psycopg's own (the direct path)."""
    if sa_exc is not None and isinstance(exc, sa_exc.SQLAlchemyError):
        return True
    import sqlite3

    psycopg = sys.modules.get("psycopg")
    return isinstance(exc, sqlite3.Error) or (psycopg is not None and isinstance(exc, psycopg.Error))


def _describe(exc: Exception) -> tuple[str, int]:
    """One line (and an exit code) for an error that is not a TaskctlError; never a traceback."""
    from taskctl.cleaning import one_line

    sa_exc = sys.modules.get("sqlalchemy.exc")
    if _database_error(exc, sa_exc):
        from taskctl.reader import mask_secrets

        orig = getattr(exc, "orig", None) or exc
        detail = one_line(mask_secrets(str(orig).strip().splitlines()[0] if str(orig).strip() else type(exc).__name__))
        if getattr(orig, "sqlstate", None) in ("40001", "40P01"):  # another terminal changed the same rows
            return t("db.concurrent_change"), 4
        if "readonly database" in detail or "read-only" in detail:
            return t("db.readonly", detail=detail), 1
        # by the DB-API's classes (PEP 249), which SQLAlchemy's errors copy and the drivers' own raise on
        # the read path: the same line whichever path the command took
        kinds = {k.__name__ for k in type(exc).__mro__}
        if "IntegrityError" in kinds:
            return t("error.integrity", detail=detail), 1
        if "DataError" in kinds:
            return t("error.database", detail=detail), 1
        if "OperationalError" in kinds:
            return t("error.database", detail=detail), 3
        return t("error.database", detail=detail), 1
    if isinstance(exc, OverflowError):
        return t("input.out_of_range", detail=one_line(str(exc))), 1
    if isinstance(exc, UnicodeError):
        return t("input.not_text", detail=one_line(str(exc))), 1
    if isinstance(exc, OSError):
        return t("input.os_error", file=one_line(str(exc.filename or "")), reason=one_line(exc.strerror or str(exc))), 1
    if os.environ.get("TASKCTL_DEBUG"):
        raise exc
    return t("error.internal", kind=type(exc).__name__, detail=one_line(str(exc))[:200]), 1


def _root() -> typer.Typer:
    root = typer.Typer(cls=TaskctlGroup, help=t("help.app"), epilog=t("help.exit_codes"), no_args_is_help=True,
                       add_completion=True,
                       rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]},
                       pretty_exceptions_enable=False)
    root.callback()(main)
    return root


def _version(value: bool) -> None:
    if value:
        typer.echo(f"taskctl {__version__}")
        raise typer.Exit()


def main(
    ctx: typer.Context,
    db: Annotated[Optional[str], typer.Option("--db", help=t("help.db"), envvar="TASKCTL_DB", show_envvar=True)] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help=t("help.lang"), envvar="TASKCTL_LANG")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help=t("help.version"))] = False,
) -> None:
    # The language was settled from argv/env before the commands were defined (taskctl.__main__).
    from taskctl.cli.common import Environment, set_environment

    ctx.obj = Environment(db=db)
    set_environment(ctx.obj)
    if lang is not None:
        from taskctl.i18n import _normalise

        if _normalise(lang) is None:
            raise typer.BadParameter(t("error.lang", value=lang), param_hint="--lang")


# ---------------------------------------------------------------- the command tree, composed on demand

# Each top-level command and the module that defines it (composed in this order, as before).  A
# command line names its module, and only that module is imported and turned into Click commands: Typer
# converts every function of the tree it is given (type hints, signatures), which cost a data command a
# fifth of a second for 73 commands it would not run.  `--help`, a bare `taskctl`, completion of a
# command name and anything unrecognised get the whole tree.  tests/test_foundation.py checks this table
# against the whole tree, so a command added to a module without a line here fails the suite.
COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("admin", ("init", "log", "db")),
    ("reports", ("overdue", "due-soon", "stale", "quarter", "rank")),
    ("transfer", ("export", "import")),
    ("undo", ("undo",)),
    ("documents", ("bulletin", "notice", "ladder")),
    ("area", ("area",)),
    ("unit", ("unit",)),
    ("leader", ("leader",)),
    ("task", ("task",)),
    ("progress", ("progress",)),
    ("user", ("user",)),
    ("calendar", ("holidays", "calendar", "trend")),
)
_GLOBAL_WITH_VALUE = ("--db", "--lang")


class _Outline:
    """What a module's ``register`` is given to draw the root's help: its top-level commands as they are,
    each command group as an empty group of the same name and help (the root's help lists only names
    and first lines, and Typer would otherwise convert every subcommand of every group)."""

    def __init__(self, root: typer.Typer) -> None:
        self.root = root

    def command(self, *args, **kwargs):
        return self.root.command(*args, **kwargs)

    def add_typer(self, sub: typer.Typer, *, name: str, help: str) -> None:
        self.root.add_typer(typer.Typer(no_args_is_help=True), name=name, help=help)


def compose(modules: list[str] | None = None, *, outline: bool = False) -> typer.Typer:
    """The taskctl command with the commands of ``modules`` (all when None), in COMMANDS order;
    ``outline``: every command group empty, enough for ``taskctl --help`` and nothing more."""
    import importlib

    root = _root()
    target = _Outline(root) if outline else root
    for module, _names in COMMANDS:
        if modules is not None and module not in modules:
            continue
        mod = importlib.import_module(f"taskctl.cli.{module}")
        if not hasattr(mod, "register"):  # a command group: the module's Typer app, named as the module
            target.add_typer(mod.app, name=module, help=t(f"help.{module}"))
        else:
            mod.register(target)
    return root


def first_command(args: list[str]) -> str | None:
    """The command a command line names (after the global options), or None for help, version or none."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in _GLOBAL_WITH_VALUE:
            i += 2
        elif arg.startswith(tuple(o + "=" for o in _GLOBAL_WITH_VALUE)):
            i += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def app_for(args: list[str]) -> typer.Typer:
    """The command tree a command line needs: the module of the command it names, else everything."""
    name = first_command(args)
    for module, names in COMMANDS:
        if name in names:
            return compose([module])
    if name is None and (not args or "-h" in args or "--help" in args):
        return compose(outline=True)  # `taskctl`, `taskctl --help`: names and first lines only
    return compose()


def __getattr__(name: str):
    if name == "app":  # the whole command, for tests and scripts (`from taskctl.cli.app import app`)
        whole = compose()
        globals()["app"] = whole
        return whole
    raise AttributeError(name)
