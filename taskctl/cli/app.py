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


def _describe(exc: Exception) -> tuple[str, int]:
    """One line (and an exit code) for an error that is not a TaskctlError; never a traceback."""
    from taskctl.cleaning import one_line

    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(exc, sa_exc.SQLAlchemyError):
        from taskctl.db import mask_secrets

        orig = getattr(exc, "orig", None) or exc
        detail = one_line(mask_secrets(str(orig).strip().splitlines()[0] if str(orig).strip() else type(exc).__name__))
        if getattr(orig, "sqlstate", None) in ("40001", "40P01"):  # another terminal changed the same rows
            return t("db.concurrent_change"), 4
        if "readonly database" in detail or "read-only" in detail:
            return t("db.readonly", detail=detail), 1
        if isinstance(exc, sa_exc.IntegrityError):
            return t("error.integrity", detail=detail), 1
        if isinstance(exc, (sa_exc.DataError,)):
            return t("error.database", detail=detail), 1
        if isinstance(exc, sa_exc.OperationalError):
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


app = typer.Typer(cls=TaskctlGroup, help=t("help.app"), epilog=t("help.exit_codes"), no_args_is_help=True,
                  add_completion=True,
                  rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]},
                  pretty_exceptions_enable=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"taskctl {__version__}")
        raise typer.Exit()


@app.callback()
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


from taskctl.cli import admin, area, documents, leader, progress, reports, task, transfer, undo, unit, user  # noqa: E402
from taskctl.cli import calendar as calendar_cli  # noqa: E402

admin.register(app)
reports.register(app)
transfer.register(app)
undo.register(app)
documents.register(app)
app.add_typer(area.app, name="area", help=t("help.area"))
app.add_typer(unit.app, name="unit", help=t("help.unit"))
app.add_typer(leader.app, name="leader", help=t("help.leader"))
app.add_typer(task.app, name="task", help=t("help.task"))
app.add_typer(progress.app, name="progress", help=t("help.progress"))
app.add_typer(user.app, name="user", help=t("help.user"))
calendar_cli.register(app)
