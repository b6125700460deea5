"""init, log and db: creating, inspecting and upgrading the ledger."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from taskctl.cli.common import AllOpt, FormatOpt, LimitOpt, db_url, emit, ledger, say
from taskctl.i18n import t

db_app = typer.Typer(help=t("help.db_group"), no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init", help=t("help.init"))(init)
    app.command("log", help=t("help.log"))(log)
    app.add_typer(db_app, name="db", help=t("help.db_group"))


def init(
    year: Annotated[Optional[int], typer.Option("--year", min=1990, max=2100, help=t("help.year"))] = None,
    demo: Annotated[bool, typer.Option("--demo", help=t("help.demo"))] = False,
) -> None:
    from taskctl import ledger as L
    from taskctl.config import today
    from taskctl.db import init_ledger
    from taskctl.errors import InvalidValue

    url = db_url()
    if demo:
        from taskctl.demo import DEMO_YEAR, load_demo

        if year is not None and year != DEMO_YEAR:
            raise InvalidValue("init.demo_year", year=year, demo_year=DEMO_YEAR)
        year = DEMO_YEAR
    year = year or today().year

    def build(session):
        from taskctl import undo

        L.seed(session, year=year)
        undo.checkpoint(session)  # undo may take back the example data, never the ledger itself
        return load_demo(session) if demo else None

    created, counts = init_ledger(url, build)
    if not created:
        say(t("init.exists", db=_where(url)))
        return
    say(t("init.created", db=_where(url), year=year))
    if counts:
        say(t("init.demo_loaded", **counts))


def _exists(url: str) -> bool:
    from taskctl.db import ledger_exists

    return ledger_exists(url)


def _where(url: str) -> str:
    from taskctl.db import safe_url, sqlite_path

    return sqlite_path(url) or safe_url(url)


def log(
    task_id: Annotated[Optional[int], typer.Argument(help=t("help.log_task"), show_default=False)] = None,
    fmt: FormatOpt = "table",
    limit: LimitOpt = None,
    show_all: AllOpt = False,
) -> None:
    import json

    from sqlalchemy import select

    from taskctl.models import History
    from taskctl.history_text import changes_text
    from taskctl.reports.model import C, Msg, Report

    with ledger() as session:
        stmt = select(History).order_by(History.id.desc())
        if task_id is not None:
            from taskctl.ledger import get_task

            stmt = stmt.where(History.task_id == task_id)
            if not session.execute(stmt.limit(1)).first():
                get_task(session, task_id)
        rows = []
        names = _id_names(session)
        for h in session.execute(stmt).scalars():
            changes = json.loads(h.changes or "{}")
            shown = {k: v for k, v in changes.items()
                     if isinstance(v, (list, tuple)) and len(v) == 2 and not k.startswith("__")}
            changes = {k: v for k, v in changes.items() if not k.startswith("__")}  # undo's data stays inside
            rows.append({"id": h.id, "at": h.at.astimezone() if h.at else None, "user": h.user,
                         "action": h.action, "entity": h.entity, "entity_id": h.entity_id, "task_id": h.task_id,
                         "summary": h.summary, "changes": changes, "changes_named": _named(shown, names),
                         "changes_text": changes_text(_named(shown, names))})
    title = Msg("log.title_task", id=task_id) if task_id is not None else Msg("log.title")
    report = Report(name="log", title=title, rows=rows, json_array=True, footer=Msg("common.rows", n=len(rows)),
                    columns=[C("id", "int"), C("at", "datetime", drop=4), C("user", drop=1), C("action", "action"),
                             C("entity", table=False), C("entity_id", "int", table=False),
                             C("task_id", "int", drop=2), C("summary", "summary"),
                             C("changes", "changes", table=False),
                             C("changes_named", "changes", label="col.changes", drop=3),
                             C("changes_text", table=False)])
    emit(report, fmt, limit, show_all)


_ID_FIELDS = {"lead_unit_id": ("unit", "lead_unit"), "unit_id": ("unit", "unit"), "leader_id": ("leader", "leader"),
              "area_id": ("area", "area")}


def _id_names(session) -> dict[str, dict[int, str]]:
    """Names of units, leaders and areas by id, so that history reads 市发改委 → 双塔区, not 7 → 8."""
    from sqlalchemy import select

    from taskctl.models import Area, Leader, Unit

    return {"unit": dict(session.execute(select(Unit.id, Unit.name)).all()),
            "leader": dict(session.execute(select(Leader.id, Leader.name)).all()),
            "area": dict(session.execute(select(Area.id, Area.name_zh)).all())}


def _named(changes: dict, names: dict[str, dict[int, str]]) -> dict:
    """Changes as a person reads them: a unit, leader or area by its name, not its id (lead_unit: 市发改委 → 双塔区)."""
    out = {}
    for key, (old, new) in changes.items():
        if key in _ID_FIELDS:
            kind, label = _ID_FIELDS[key]

            def name(value, kind=kind):
                if isinstance(value, int) and not isinstance(value, bool):
                    return names[kind].get(value, f"#{value}")
                return value

            out[label] = [name(old), name(new)]
        else:
            out[key] = [old, new]
    return out


def _short(value) -> str:
    if value is None:
        return "∅"
    if isinstance(value, list):
        return "[" + "、".join(str(v) for v in value) + "]"
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


@db_app.command("info", help=t("help.db_info"))
def db_info(fmt: FormatOpt = "table") -> None:
    from sqlalchemy import func, select

    from taskctl import models as M
    from sqlalchemy import text

    from taskctl.db import SCHEMA_HEAD
    from taskctl.ledger import ledger_year

    url = db_url()
    with ledger() as session:
        engine = session.get_bind()
        counts = {name: session.execute(select(func.count()).select_from(model)).scalar()
                  for name, model in (("areas", M.Area), ("units", M.Unit), ("leaders", M.Leader), ("tasks", M.Task),
                                      ("progress", M.Progress), ("extensions", M.Extension),
                                      ("instructions", M.Instruction), ("history", M.History))}
        info = {"database": _where(url), "backend": engine.dialect.name, "schema": session.execute(text("SELECT version_num FROM alembic_version")).scalar(),
                "schema_head": SCHEMA_HEAD, "year": ledger_year(session), **counts}
    if fmt == "json":
        from taskctl.cli.common import print_json

        print_json(info)
        return
    for key, value in info.items():
        say(f"{t('info.' + key)}: {value}")


@db_app.command("check", help=t("help.db_check"))
def db_check() -> None:
    from sqlalchemy import text

    from taskctl.errors import TaskctlError

    problems: list[str] = []
    with ledger() as session:
        if session.get_bind().dialect.name == "sqlite":
            result = session.execute(text("PRAGMA integrity_check")).scalar()
            if result != "ok":
                problems.append(str(result))
            for row in session.execute(text("PRAGMA foreign_key_check")):
                problems.append(t("check.fk", table=row[0], rowid=row[1]))
        bad = session.execute(text("SELECT id FROM progress WHERE percent < 0 OR percent > 100")).scalars().all()
        problems += [t("check.percent", id=i) for i in bad]
        bad = session.execute(text("SELECT id FROM task WHERE due IS NOT NULL AND due < start")).scalars().all()
        problems += [t("check.due", id=i) for i in bad]
    if problems:
        for p in problems:
            typer.echo(p, err=True)
        raise TaskctlError("check.failed", n=len(problems))
    say(t("check.ok"))


@db_app.command("backup", help=t("help.db_backup"))
def db_backup(file: Annotated[str, typer.Argument(help=t("help.backup_file"), show_default=False)]) -> None:
    """A consistent copy through SQLite's online backup API, created 0600 from its first byte."""
    import contextlib
    import os
    import sqlite3

    from taskctl.db import open_ledger, sqlite_path
    from taskctl.errors import InvalidValue

    url = db_url()
    path = sqlite_path(url)
    open_ledger(url)
    if path is None:
        raise InvalidValue("backup.pg_dump", url=_where(url), file=file)
    if os.path.lexists(file):
        raise InvalidValue("backup.exists", file=file)
    tmp = file + ".part"
    try:
        # O_EXCL: never write into something already there; 0600 from creation, not chmod'ed after
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise InvalidValue("backup.part_exists", part=tmp) from None
    except OSError as exc:
        raise InvalidValue("backup.cannot_write", file=file, reason=exc.strerror or str(exc)) from None
    os.close(fd)
    done = False
    try:
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)  # one step: a snapshot of one moment, whatever other processes write
                dst.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, file)
        done = True
    except (OSError, sqlite3.Error) as exc:
        raise InvalidValue("backup.cannot_write", file=file, reason=str(exc).splitlines()[0] if str(exc) else "") \
            from None
    finally:
        if not done:
            for suffix in ("", "-journal", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.remove(tmp + suffix)
    say(t("backup.done", file=file))


@db_app.command("upgrade", help=t("help.db_upgrade"))
def db_upgrade() -> None:
    from taskctl.db import get_engine, upgrade
    from taskctl.errors import LedgerMissing

    url = db_url()
    if not _exists(url):
        raise LedgerMissing("error.no_ledger", db=_where(url))
    before, after = upgrade(get_engine(url))
    if before == after:
        say(t("upgrade.current", rev=after))
    else:
        say(t("upgrade.done", before=before, after=after))
