"""The ledger itself: creating and upgrading it, its facts, its integrity, a backup, its history and undo."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from taskctl.errors import InvalidValue

if TYPE_CHECKING:
    from taskctl.reports.model import Report


def where(url: str) -> str:
    """The ledger's place as a person reads it: the SQLite file, or the URL without its password."""
    from taskctl.reader import mask_secrets, sqlite_path

    return sqlite_path(url) or mask_secrets(url, url)


class Admin:
    @classmethod
    def create(cls, db: str | None = None, *, year: int | None = None, demo: bool = False) -> dict[str, Any]:
        """A new ledger for a year (default: this year), with the example data if ``demo``; ``created`` is
        False when one is already there (it is left as it is)."""
        from taskctl import ledger as L
        from taskctl.config import database_url, today
        from taskctl.db import init_ledger

        url = database_url(db)
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
        return {"created": created, "where": where(url), "year": year, "counts": counts}

    @classmethod
    def upgrade(cls, db: str | None = None) -> dict[str, Any]:
        """Bring a ledger's schema up to this version's; the revisions before and after."""
        from taskctl.config import database_url
        from taskctl.db import get_engine, ledger_exists, upgrade
        from taskctl.errors import LedgerMissing

        url = database_url(db)
        if not ledger_exists(url):
            raise LedgerMissing("error.no_ledger", db=where(url))
        before, after = upgrade(get_engine(url))
        return {"before": before, "after": after}

    def info(self) -> dict[str, Any]:
        """Where the ledger is, its backend, schema, year and how many rows of each kind it holds."""
        from taskctl.names import ledger_year
        from taskctl.reader import SCHEMA_HEAD

        with self.reading() as q:
            counts = {name: q.scalar(f"SELECT count(*) FROM {table}")
                      for name, table in (("areas", "area"), ("units", "unit"), ("leaders", "leader"),
                                          ("tasks", "task"), ("progress", "progress"), ("extensions", "extension"),
                                          ("instructions", "instruction"), ("history", "history"))}
            return {"database": where(self.url), "backend": q.dialect,
                    "schema": q.scalar("SELECT version_num FROM alembic_version"),
                    "schema_head": SCHEMA_HEAD, "year": ledger_year(q), **counts}

    def check(self) -> list[str]:
        """What is wrong with the ledger (integrity, foreign keys, impossible values); empty when nothing."""
        from sqlalchemy import text

        from taskctl.i18n import t

        problems: list[str] = []
        with self.transaction(write=False) as session:
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
            problems += _facts_problem(session)
        return problems

    def repair_facts(self) -> int:
        """Rebuild the kept facts (``task_fact``, ``taskctl.facts``) when they differ from the ledger's dated
        rows — only a hand edit of the table can make them differ; the number of tasks whose row was wrong."""
        from taskctl import facts

        with self.writing() as q:
            wrong = facts.mismatches(q)
            if wrong:
                facts.rebuild(q.execute)
        return len(wrong)

    def backup(self, file: str) -> None:
        """A consistent copy of an SQLite ledger through SQLite's online backup API, created 0600 from its
        first byte (a PostgreSQL ledger: use pg_dump)."""
        import contextlib
        import os
        import sqlite3

        from taskctl.db import sqlite_path

        path = sqlite_path(self.url)
        self.engine  # noqa: B018 — a ledger that is there and current
        if path is None:
            raise InvalidValue("backup.pg_dump", url=where(self.url), file=file)
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
            raise InvalidValue("backup.cannot_write", file=file,
                               reason=str(exc).splitlines()[0] if str(exc) else "") from None
        finally:
            if not done:
                for suffix in ("", "-journal", "-wal", "-shm"):
                    with contextlib.suppress(OSError):
                        os.remove(tmp + suffix)

    def log(self, task_id: int | None = None) -> "Report":
        """The history, newest first (of one task if given): who changed what, when."""
        import json

        from taskctl.history_text import changes_text
        from taskctl.reports.model import C, Msg, Report

        with self.reading() as q:
            sql = ('SELECT id, at, "user", action, entity, entity_id, task_id, summary, changes FROM history '
                   + ("WHERE task_id = :t " if task_id is not None else "") + "ORDER BY id DESC")
            found = q.rows(sql, {"t": task_id} if task_id is not None else None, stamps=(1,))
            if task_id is not None and not found:
                from taskctl.names import task_id as visible

                visible(q, task_id)
            rows = []
            names = _id_names(q)
            for hid, at, user, action, entity, entity_id, tid, summary, raw in found:
                changes = json.loads(raw or "{}")
                shown = {k: v for k, v in changes.items()
                         if isinstance(v, (list, tuple)) and len(v) == 2 and not k.startswith("__")}
                changes = {k: v for k, v in changes.items() if not k.startswith("__")}  # undo's data stays inside
                rows.append({"id": hid, "at": at.astimezone() if at else None, "user": user,
                             "action": action, "entity": entity, "entity_id": entity_id, "task_id": tid,
                             "summary": summary, "changes": changes, "changes_named": _named(shown, names),
                             "changes_text": changes_text(_named(shown, names))})
        title = Msg("log.title_task", id=task_id) if task_id is not None else Msg("log.title")
        return Report(name="log", title=title, rows=rows, json_array=True, footer=Msg("common.rows", n=len(rows)),
                      columns=[C("id", "int"), C("at", "datetime", drop=4), C("user", drop=1), C("action", "action"),
                               C("entity", table=False), C("entity_id", "int", table=False),
                               C("task_id", "int", drop=2), C("summary", "summary"),
                               C("changes", "changes", table=False),
                               C("changes_named", "changes", label="col.changes", drop=3),
                               C("changes_text", table=False)])

    def undoable(self) -> "Report":
        """This ledger's user's changes that `undo` can take back, newest first (`undo --list`)."""
        from taskctl import undo as U
        from taskctl.reports.model import C, Msg, Report
        from taskctl.roles import acting_user

        with self.transaction(write=False) as session:
            user = acting_user(session)  # a unit or leader role: its session_user, whatever TASKCTL_USER says
            rows = [{"id": h.id, "at": h.at.astimezone() if h.at else None, "action": h.action,
                     "task_id": h.task_id, "summary": h.summary,
                     "rows": len(U._net(U._payload(h)[U.UNDO_KEY]))} for h in U.undoable(session, user, limit=20)]
        return Report(name="undo", title=Msg("undo.list_title", user=user), rows=rows, json_array=True,
                      footer=Msg("common.rows", n=len(rows)),
                      columns=[C("id", "int"), C("at", "datetime"), C("action"), C("task_id", "int"), C("summary"),
                               C("rows", "int", label="undo.col_rows")])

    def undo(self, *, confirm: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
        """Take back this ledger's user's last change (refused over a later change by someone else);
        ``confirm`` is shown what would be undone (id, action, summary, at, rows) and may refuse by raising."""
        from taskctl import undo as U
        from taskctl.roles import acting_user

        with self.transaction() as session:
            user = acting_user(session)
            target, net = U.plan(session, user)
            if confirm is not None:
                confirm({"id": target.id, "action": target.action, "summary": target.summary or "",
                         "at": U._when(target), "rows": len(net)})
            target, n = U.undo_last(session, user)
            return {"id": target.id, "action": target.action, "summary": target.summary or "", "rows": n}


_ID_FIELDS = {"lead_unit_id": ("unit", "lead_unit"), "unit_id": ("unit", "unit"), "leader_id": ("leader", "leader"),
              "area_id": ("area", "area")}


def _facts_problem(source) -> list[str]:
    """``task_fact`` against a fresh computation: one line when rows differ (a report would read them)."""
    from taskctl import facts
    from taskctl.i18n import t
    from taskctl.reader import reader_of

    wrong = facts.mismatches(reader_of(source))
    if not wrong:
        return []
    shown = "、".join(f"#{i}" for i in wrong[:5]) + ("…" if len(wrong) > 5 else "")
    return [t("check.facts", n=len(wrong), ids=shown)]


def _id_names(source) -> dict[str, dict[int, str]]:
    """Names of units, leaders and areas by id, so that history reads 市发改委 → 双塔区, not 7 → 8."""
    from taskctl.reader import reader_of

    q = reader_of(source)
    return {"unit": dict(q.rows("SELECT id, name FROM unit")),
            "leader": dict(q.rows("SELECT id, name FROM leader")),
            "area": dict(q.rows("SELECT id, name_zh FROM area"))}


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
