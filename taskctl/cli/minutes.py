"""import minutes: meeting text → cleaned text → drafted areas, leaders and tasks → the ledger.

Parse the options, call ``taskctl.minutes``, print the draft.  Notes (repairs, leaders, the summary)
go to stdout beside a table or Markdown, and to stderr beside JSON or CSV so the data stays clean.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from taskctl.cli.common import AllOpt, Fmt, FormatOpt, LimitOpt, emit, open_ledger, say, warn
from taskctl.i18n import t


def register(import_app: typer.Typer) -> None:
    import_app.command("minutes", help=t("help.import_minutes"))(import_minutes)


def import_minutes(
    file: Annotated[Path, typer.Argument(help=t("help.minutes_file"), show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help=t("help.minutes_dry_run"))] = False,
    date: Annotated[Optional[str], typer.Option("--date", help=t("help.minutes_date"))] = None,
    show_clean: Annotated[bool, typer.Option("--show-clean", help=t("help.show_clean"))] = False,
    new_areas: Annotated[bool, typer.Option("--new-areas", help=t("help.new_areas"))] = False,
    fmt: FormatOpt = Fmt.table, limit: LimitOpt = None, show_all: AllOpt = False,
) -> None:
    from taskctl.minutes.record import draft_report, read_minutes

    data_format = fmt in (Fmt.json, Fmt.csv)
    note = warn if data_format or show_clean else say
    cleaned = read_minutes(file)

    def spots() -> None:  # after any error, so that a failing command says one line
        for spot in cleaned.repaired:
            warn(t("minutes.repaired", line=spot.line, damaged=spot.damaged, repaired=spot.repaired,
                   context=spot.context))
        for spot in cleaned.unrepaired:
            key = "minutes.unrepaired_options" if spot.options else "minutes.unrepaired"
            warn(t(key, line=spot.line, damaged=spot.damaged, context=spot.context,
                   options=t("report.list_sep").join(spot.options)))

    if show_clean:
        spots()
        sys.stdout.write(cleaned.text)
        return
    drafted, outcome = open_ledger().import_minutes(cleaned, name=file.name, date=date, new_areas=new_areas,
                                                    dry_run=dry_run)
    spots()
    emit(draft_report(drafted, outcome, for_csv=fmt == Fmt.csv), fmt, limit=limit, show_all=show_all)
    if drafted.people:
        names = [t("minutes.leader_known" if p.name in outcome.leaders_known else "minutes.leader_new",
                   name=p.name, title=p.title) for p in drafted.people]
        note(t("minutes.leaders", n=len(names), names=t("report.list_sep").join(names)))
    waiting = [a.name for a in drafted.areas
               if any(r == "new_area" for (k, _), r in outcome.results.items() if k == a.key)]
    if waiting:
        note(t("minutes.needs_new_areas_dry" if dry_run else "minutes.needs_new_areas", n=outcome.count("new_area"),
               names="、".join(waiting)))
    counts = {"areas": len(outcome.areas_added), "leaders": len(outcome.leaders_added),
              "exists": outcome.count("exists"), "date": drafted.date.isoformat()}
    if dry_run:
        note(t("minutes.summary_dry", tasks=outcome.count("draft"), **counts))
    else:
        note(t("minutes.summary", tasks=outcome.count("added"), **counts))
