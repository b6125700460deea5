"""export weekly | export ledger | import tasks | import progress

Parse the options, call ``taskctl.transfer``, write the file.  Files are
written to a temporary file and renamed; XLSX is never written to a terminal.
A Rich progress bar appears on stderr only when stderr is a terminal; every
command ends with one summary line (``--quiet`` drops it for export).
"""

from __future__ import annotations

import contextlib
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from taskctl.cli.common import (
    AreaOpt, LeaderOpt, StatusOpt, TagOpt, UnitOpt, _complete, choice, fields_text, open_ledger, say, warn,
)
from taskctl.i18n import t

if TYPE_CHECKING:
    from taskctl.transfer.ledger_import import ImportResult

export_app = typer.Typer(no_args_is_help=True)
import_app = typer.Typer(no_args_is_help=True)


class WeeklyFmt(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    md = "md"


class LedgerFmt(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


class Headers(str, Enum):
    en = "en"
    zh = "zh"


OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help=t("help.output"), dir_okay=True)]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help=t("help.quiet"))]
FileArg = Annotated[Path, typer.Argument(help=t("help.import_file"), show_default=False)]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", "-n", help=t("help.dry_run"))]
EncodingOpt = Annotated[Optional[str], typer.Option("--encoding", "-e", help=t("help.encoding"))]


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export", help=t("help.export"))
    app.add_typer(import_app, name="import", help=t("help.import"))


# ---------------------------------------------------------------- helpers

@contextlib.contextmanager
def _progress_bar():
    """A tick(phase, done, total) callback drawing on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bars: dict[str, object] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as progress:
        def tick(phase: str, done: int, total: int) -> None:
            if phase not in bars:
                bars[phase] = progress.add_task(t("phase." + phase), total=total)
            progress.update(bars[phase], completed=done, total=total)

        yield tick


def _format(given: Enum | None, output: Path | None, choices: tuple[str, ...], default: str) -> str:
    """--format, else the output file's extension, else ``default``."""
    if given is not None:
        return given.value
    if output is not None and output.suffix.lower().lstrip(".") in choices:
        return output.suffix.lower().lstrip(".")
    if output is not None and output.suffix.lower() == ".markdown" and "md" in choices:
        return "md"
    return default


def _write(output: Path | None, data: bytes | None = None, *, xlsx_writer=None) -> None:
    """Bytes (or an XLSX writer) to ``output`` atomically, or to stdout."""
    from taskctl.errors import InvalidValue
    from taskctl.transfer.atomic import write_bytes, write_with

    if output is None:
        if xlsx_writer is not None:
            if sys.stdout.isatty():
                raise InvalidValue("export.xlsx_to_terminal")
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "export.xlsx"
                xlsx_writer(path)
                data = path.read_bytes()
        sys.stdout.flush()
        target = getattr(sys.stdout, "buffer", None)
        if target is not None:
            target.write(data)
            target.flush()
        else:  # pragma: no cover - a text-only stream (some test runners)
            sys.stdout.write(data.decode("utf-8"))
        return
    try:
        if xlsx_writer is not None:
            write_with(output, xlsx_writer)
        else:
            write_bytes(output, data)
    except OSError as exc:
        raise InvalidValue("export.cannot_write", file=str(output), reason=exc.strerror or str(exc)) from None


def _summary(message: str, output: Path | None, quiet: bool) -> None:
    """The closing line: on stdout when the data went to a file, else on stderr (never mixed into the data)."""
    if quiet:
        return
    if output is None:
        warn(message)
    else:
        say(message)


# ---------------------------------------------------------------- export

@export_app.command("weekly", help=t("help.export_weekly"))
def export_weekly(
    week: Annotated[Optional[str], typer.Option("--week", "-w", help=t("help.week"))] = None,
    fmt: Annotated[Optional[WeeklyFmt], typer.Option("--format", "-f", help=t("help.export_format"),
                                                     case_sensitive=False)] = None,
    output: OutputOpt = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help=t("help.weekly_as_of"))] = None,
    area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None, status: StatusOpt = None,
    tag: TagOpt = None, quiet: QuietOpt = False,
    headers: Annotated[str, typer.Option("--headers", help=t("help.weekly_headers"), callback=choice(Headers),
                                         metavar="<en|zh>")] = "en",
) -> None:
    from taskctl.errors import InvalidValue
    from taskctl.i18n import speaking
    from taskctl.transfer import weekly as W

    to_dir = output is not None and output.is_dir()
    kind = _format(fmt, output, ("csv", "xlsx", "json", "md"), "csv" if to_dir else "md")
    if to_dir and kind != "csv":
        raise InvalidValue("export.needs_dir", path=str(output))
    if kind == "xlsx" and output is None and sys.stdout.isatty():
        raise InvalidValue("export.xlsx_to_terminal")
    heads = headers.value if kind == "csv" else "en"  # XLSX and Markdown follow --lang
    doc = open_ledger().weekly(week=week, as_of=as_of, headers=heads, area=area, unit=unit, leader=leader,
                               status=status, tag=tag)
    rows = doc.row_count
    if to_dir:
        try:
            with speaking("zh") if heads == "zh" else contextlib.nullcontext():
                written = W.write_csv_parts(doc, output, heads)
        except OSError as exc:
            raise InvalidValue("export.cannot_write", file=str(output), reason=exc.strerror or str(exc)) from None
        _summary(t("export.written_parts", n=len(written), dir=str(output), rows=rows), output, quiet)
        return
    if kind == "xlsx":
        with _progress_bar() as tick:
            _write(output, xlsx_writer=lambda path: W.write_xlsx(doc, path, tick=tick))
    else:
        if kind == "csv":
            with speaking("zh") if heads == "zh" else contextlib.nullcontext():
                data = W.to_csv(doc, heads)
        else:
            data = {"json": W.to_json, "md": W.to_markdown}[kind](doc)
        _write(output, data)
    _summary(t("export.written", file=str(output) if output else t("export.stdout"), rows=rows), output, quiet)


@export_app.command("form", help=t("help.export_form"))
def export_form(
    unit: Annotated[str, typer.Option("--unit", help=t("help.form_unit"), autocompletion=_complete("unit"),
                                      show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help=t("help.form_output"), show_default=False)],
    week: Annotated[Optional[str], typer.Option("--week", "-w", help=t("help.week"))] = None,
) -> None:
    form = open_ledger().export_form(unit, output=output, week=week)
    say(t("form.written", file=str(output), unit=form["unit"], n=len(form["rows"]), week=form["week"]))


@export_app.command("ledger", help=t("help.export_ledger"))
def export_ledger(
    fmt: Annotated[Optional[LedgerFmt], typer.Option("--format", "-f", help=t("help.ledger_format"),
                                                     case_sensitive=False)] = None,
    output: OutputOpt = None,
    headers: Annotated[str, typer.Option("--headers", help=t("help.headers"), callback=choice(Headers),
                                         metavar="<en|zh>")] = "en",
    progress_only: Annotated[bool, typer.Option("--progress", help=t("help.progress_only"))] = False,
    area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None, status: StatusOpt = None,
    tag: TagOpt = None, quiet: QuietOpt = False,
) -> None:
    from taskctl.errors import InvalidValue
    from taskctl.transfer import ledger_export as X

    kind = _format(fmt, output, ("csv", "xlsx"), "csv")
    if progress_only and kind != "csv":
        raise InvalidValue("export.progress_csv_only")
    if kind == "xlsx" and output is None and sys.stdout.isatty():
        raise InvalidValue("export.xlsx_to_terminal")
    tables = open_ledger().ledger_tables(tasks=not progress_only, progress=progress_only or kind == "xlsx",
                                         headers=headers.value, area=area, unit=unit, leader=leader, status=status,
                                         tag=tag)
    if kind == "xlsx":
        with _progress_bar() as tick:
            _write(output, xlsx_writer=lambda path: X.to_xlsx(path, tables, tick=tick))
    else:
        _write(output, X.to_csv(tables[0]))
    _summary(t("export.written", file=str(output) if output else t("export.stdout"), rows=len(tables[0].rows)),
             output, quiet)


# ---------------------------------------------------------------- import

@contextlib.contextmanager
def _import_notes():
    """Notes on ignored columns, then every error (stderr, one per line) before the failure's one line."""
    from taskctl.transfer.ledger_import import ImportFailed

    def notes(result: "ImportResult") -> None:
        if result.unknown_columns:
            warn(t("import.unknown_columns", names="、".join(result.unknown_columns)))
        if result.duplicate_columns:
            warn(t("import.duplicate_columns", names="、".join(result.duplicate_columns)))
        for error in result.errors:
            warn(error.line())

    try:
        yield notes
    except ImportFailed as exc:
        if getattr(exc, "result", None) is not None:
            notes(exc.result)
        raise


def _report(result: "ImportResult") -> None:
    """The dry run's list, then the one-line summary — after the transaction committed."""
    if result.dry_run:
        for action in result.actions:
            if action.op == "add":
                say(t("import.would_add", row=action.row, label=action.label))
            else:
                say(t("import.would_update", row=action.row, label=action.label, fields=fields_text(action.fields)))
    if result.new_units:
        say(t("import.new_units", names="、".join(result.new_units)))
    if result.new_leaders:
        say(t("import.new_leaders", names="、".join(result.new_leaders)))
    key = "import.summary_dry" if result.dry_run else "import.summary"
    say(t(key, file=result.file, rows=result.rows_read, added=result.added, updated=result.updated,
          skipped=result.skipped))


@import_app.command("tasks", help=t("help.import_tasks"))
def import_tasks(
    file: FileArg, dry_run: DryRunOpt = False,
    create_units: Annotated[bool, typer.Option("--create-units", help=t("help.create_units"))] = False,
    encoding: EncodingOpt = None,
) -> None:
    with _progress_bar() as tick, _import_notes() as notes:
        result = open_ledger().import_tasks(file, create_units=create_units, dry_run=dry_run, encoding=encoding,
                                            tick=tick)
    notes(result)
    _report(result)


@import_app.command("progress", help=t("help.import_progress"))
def import_progress(file: FileArg, dry_run: DryRunOpt = False, encoding: EncodingOpt = None) -> None:
    with _progress_bar() as tick, _import_notes() as notes:
        result = open_ledger().import_progress(file, dry_run=dry_run, encoding=encoding, tick=tick)
    notes(result)
    _report(result)


# import minutes lives in its own module (taskctl.cli.minutes)
from taskctl.cli.minutes import register as _register_minutes  # noqa: E402

_register_minutes(import_app)
