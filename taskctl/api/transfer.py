"""Files in and out: the weekly export, the unit's weekly form, the ledger export, imports of tasks,
progress and meeting minutes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taskctl.api.resolve import DateLike, resolve_day, resolve_filters, resolve_parsed
from taskctl.errors import InvalidValue

if TYPE_CHECKING:
    from taskctl.minutes.record import Cleaned, Draft, Outcome
    from taskctl.transfer.ledger_import import ImportResult

Tick = Callable[[str, int, int], None]


class Transfer:
    # ---------------------------------------------------------------- out

    def weekly(self, *, week: str | None = None, as_of: DateLike = None, headers: str = "en",
               **filters: str | None):
        """The weekly export's document (every part as of one date); ``headers="zh"`` builds it in Chinese."""
        from taskctl.config import today
        from taskctl.i18n import speaking
        from taskctl.roles import require_office
        from taskctl.transfer import weekly as W

        with self.reading() as q:
            require_office(q, "export weekly")
            f = resolve_filters(q, **filters)
            when = resolve_day(q, as_of) if as_of else None
            with speaking("zh") if headers == "zh" else contextlib.nullcontext():
                return W.weekly(q, week=week, today=today(), as_of=when, filters=f)

    def export_form(self, unit: str, *, output: Path, week: str | None = None) -> dict[str, Any]:
        """A unit's weekly reporting form (XLSX) written to ``output``; the unit, the week and its rows."""
        import datetime as dt

        from taskctl.config import today
        from taskctl.ledger import find_unit
        from taskctl.transfer.form import form_rows, form_title, write_form
        from taskctl.transfer.weekly import week_dates

        output = Path(output)
        if output.suffix.lower() != ".xlsx":
            raise InvalidValue("form.xlsx_only", file=str(output))
        with self.transaction(write=False) as session:
            the_unit = find_unit(session, unit)
            label, monday, sunday, as_of = week_dates(week, today=today())
            rows = form_rows(session, the_unit, as_of=as_of, last_week=monday - dt.timedelta(days=1))
            title = form_title(the_unit.name, label, monday, sunday)
            name = the_unit.name
        write_form(output, name, title, rows)
        return {"unit": name, "week": label, "rows": rows, "file": output}

    def ledger_tables(self, *, tasks: bool = True, progress: bool = False, headers: str = "en",
                      **filters: str | None) -> list:
        """The ledger export's tables as of today: the tasks, the progress updates, or both."""
        from taskctl.config import today
        from taskctl.transfer import ledger_export as X

        with self.transaction(write=False) as session:
            f = resolve_filters(session, **filters)
            day = today()
            tables = []
            if tasks:
                tables.append(X.task_table(session, today=day, headers=headers, filters=f))
            if progress:
                tables.append(X.progress_table(session, today=day, headers=headers, filters=f))
            return tables

    # ---------------------------------------------------------------- in

    def import_tasks(self, file: Path, *, create_units: bool = False, dry_run: bool = False,
                     encoding: str | None = None, tick: Tick | None = None) -> "ImportResult":
        """Tasks from a CSV or XLSX file (added, or updated by id): all rows or none.  A file with errors
        raises ``ImportFailed`` whose ``result.errors`` lists every one; nothing is written."""
        from taskctl.transfer.ledger_import import import_tasks

        return self._import("tasks", import_tasks, file, encoding=encoding, tick=tick, dry_run=dry_run,
                            create_units=create_units)

    def import_progress(self, file: Path, *, dry_run: bool = False, encoding: str | None = None,
                        tick: Tick | None = None) -> "ImportResult":
        """Progress updates from a CSV or XLSX file: all rows or none (as `import_tasks`)."""
        from taskctl.transfer.ledger_import import import_progress

        return self._import("progress", import_progress, file, encoding=encoding, tick=tick, dry_run=dry_run)

    def _import(self, kind: str, run, file: Path, *, encoding, tick, **options) -> "ImportResult":
        from taskctl.config import today
        from taskctl.ledger import ledger_year
        from taskctl.transfer.ledger_import import ImportFailed
        from taskctl.transfer.source import read_table

        with self.transaction() as session:
            table = read_table(Path(file), kind, encoding=encoding, tick=tick)
            result = run(session, table, today=today(), year=ledger_year(session), tick=tick, **options)
            if result.errors:  # inside the transaction, so that it is rolled back
                failed = ImportFailed("import.failed", n=len(result.errors), file=result.file)
                failed.result = result
                raise failed
        return result

    def import_minutes(self, minutes: "Path | Cleaned", *, name: str | None = None, date: DateLike = None,
                       new_areas: bool = False, dry_run: bool = False) -> "tuple[Draft, Outcome]":
        """Meeting minutes (a file, or its text as `taskctl.minutes.record.read_minutes` cleaned it) drafted
        into areas, leaders and tasks and recorded (or, ``dry_run``, only worked out); the draft and what
        became of each part."""
        from taskctl.ledger import ledger_year
        from taskctl.minutes.record import make_draft, read_minutes, record

        if isinstance(minutes, (str, Path)):
            name = name or Path(minutes).name
            minutes = read_minutes(Path(minutes))
        with self.transaction() as session:
            when = None
            if date is not None:
                when = resolve_parsed(session, date, role="start").date
                if when is None:
                    raise InvalidValue("minutes.needs_date", value=date)
            drafted = make_draft(session, minutes, name=name or "", year=ledger_year(session), date=when)
            outcome = record(session, drafted, new_areas=new_areas, dry_run=dry_run)
        return drafted, outcome
