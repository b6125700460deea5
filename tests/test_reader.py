"""The direct path (taskctl.reader): reports, lookups and `progress add` on the database driver itself.

What a desk command reads and writes without SQLAlchemy must be what the ORM path reads and writes: the
same rows, the same history entry (with its undo), the same one-line errors — on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import as_json, ok, run

PY = sys.executable

# every command a secretary types at the desk, each of which must not import SQLAlchemy
DESK = (
    ("overdue", "--format", "json"),
    ("task", "list", "--format", "json"),
    ("task", "show", "3", "--format", "json"),
    ("quarter", "2023Q1", "--by", "unit", "--format", "json"),
    ("rank", "--format", "json"),
    ("due-soon", "--format", "json"),
    ("stale", "--format", "json"),
    ("progress", "list", "3", "--format", "json"),
    ("unit", "list", "--format", "json"),
    ("calendar", "--format", "json"),
    ("progress", "add", "3", "--percent", "20", "--note", "完成施工招标", "--format", "json"),
    ("log", "3", "--format", "json"),
    ("db", "info", "--format", "json"),
)


def _modules_after(db: str, args: tuple[str, ...]) -> tuple[list[str], str, int]:
    code = ("import sys; sys.argv=['taskctl','--db',%r,*%r]\n"
            "from taskctl.__main__ import main\n"
            "code = 0\n"
            "try:\n main()\nexcept SystemExit as e: code = e.code or 0\n"
            "print('LOADED', sorted({m.split('.')[0] for m in sys.modules}), code, file=sys.stderr)") % (db, args)
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, TASKCTL_TODAY="2023-03-31", TASKCTL_LANG="zh"))
    line = proc.stderr.rsplit("LOADED ", 1)[1]
    loaded, code = line.rsplit(" ", 1)
    return eval(loaded), proc.stdout, int(code)  # noqa: S307 — our own repr of a list of names


def test_desk_commands_import_no_sqlalchemy(demo_env):
    """The report, the lookups and the update go through sqlite3/psycopg: importing SQLAlchemy and building
    the ORM was two thirds of a desk command's time."""
    checked = 0
    for args in DESK:
        loaded, out, code = _modules_after(demo_env, args)
        assert code == 0, (args, out)
        assert "sqlalchemy" not in loaded and "taskctl" in loaded, (args, loaded)
        assert json.loads(out), args  # each prints something real from the example ledger
        checked += 1
    assert checked == len(DESK)


def test_the_weekly_file_is_written_without_sqlalchemy(demo_env, tmp_path):
    for fmt in ("csv", "xlsx"):
        target = tmp_path / f"weekly.{fmt}"
        loaded, _out, code = _modules_after(demo_env, ("export", "weekly", "--week", "2023-W13", "--format", fmt,
                                                       "-o", str(target)))
        assert code == 0 and "sqlalchemy" not in loaded, (fmt, loaded)
        assert target.stat().st_size > 1000


def test_the_direct_path_reads_what_the_orm_path_reads(demo_env):
    """The same report through a Reader on the driver and through a Reader on an ORM session (the path a
    ledger takes when it must be upgraded, or when a script holds a session)."""
    from taskctl.api import Ledger
    from taskctl.reader import reader_of
    from taskctl.reports import overdue_report, quarter_report
    from taskctl.reports.lists import task_detail, task_list
    from taskctl.snapshot import Filters

    day = dt.date(2023, 3, 31)
    built = {}
    for way in ("direct", "session"):
        with Ledger.open(demo_env, today=day) as ledger:
            ctx = ledger.reading() if way == "direct" else ledger.transaction(write=False)
            with ctx as source:
                q = reader_of(source)
                assert (q is source) == (way == "direct")  # the direct path's own Reader, not a session's
                built[way] = (
                    overdue_report(q, as_of=day).to_json(), quarter_report(q, year=2023, quarter=1, by="unit").to_json(),
                    task_list(q, day, Filters(unit_id=1)).to_json(), task_detail(q, 33, day)[1].to_json())
    assert built["direct"] == built["session"]
    overdue = json.loads(built["direct"][0])
    assert len(overdue["rows"]) >= 4 and all(r["days_overdue"] > 0 for r in overdue["rows"])


def test_a_reader_on_a_session_sees_the_sessions_own_changes(ledger_env):
    from taskctl import ledger as L
    from taskctl.api import Ledger
    from taskctl.reader import reader_of

    with Ledger.open(ledger_env) as ledger, ledger.transaction() as session:
        L.add_unit(session, name="市测试局", kind="department", aliases=["测试局"])
        q = reader_of(session)  # flushed first: the unit and its alias are there to read
        assert q.scalar("SELECT count(*) FROM unit WHERE name = :n", {"n": "市测试局"}) == 1
        from taskctl.names import unit_id

        assert unit_id(session, "测试局") == q.scalar("SELECT id FROM unit WHERE name = '市测试局'")
        session.rollback()


def test_parameters_lists_and_dates_on_both_databases(demo_env):
    from taskctl.api import Ledger

    with Ledger.open(demo_env) as ledger, ledger.reading() as q:
        ids = q.column("SELECT id FROM task WHERE id IN (:ids) ORDER BY id", {"ids": [3, 1, 2, 99]})
        assert ids == [1, 2, 3]
        assert q.column("SELECT id FROM task WHERE id IN (:ids)", {"ids": []}) == []
        rows = q.rows("SELECT id, start, due FROM task WHERE due <= :d AND title LIKE :p ORDER BY id",
                      {"d": dt.date(2023, 3, 31), "p": "%一季度%"}, dates=(1, 2))
        assert rows and all(isinstance(r[1], dt.date) and r[2] <= dt.date(2023, 3, 31) for r in rows)
        batches = list(q.batches("SELECT id FROM task ORDER BY id", size=10))
        assert [len(b) for b in batches] == [10, 10, 10, 6]


def test_progress_add_writes_what_the_orm_wrote_and_undo_takes_it_back(demo_env):
    """The direct update: the progress row, one history row with its old/new values and its undo — the
    entry the ORM path wrote — and `undo` restores the ledger."""
    from tests.conftest import dump_ledger

    before = dump_ledger(demo_env)
    row = as_json("progress", "add", "3", "--percent", "20", "--stage", "建设", "--invest-done", "700",
                  "--note", "完成施工招标", "--problems", "无")
    assert row["percent"] == 20 and row["stage"] == "building" and row["recorded_by"]
    shown = as_json("progress", "list", "3")
    assert shown[-1]["id"] == row["id"] and shown[-1]["note"] == "完成施工招标"
    entry = as_json("log", "3")[0]  # newest first
    assert entry["action"] == "progress.add" and entry["summary"] == "20% @ 2023-03-31"
    assert entry["entity_id"] == row["id"] and entry["user"]
    changes = entry["changes"]
    assert changes["percent"] == [None, 20.0] and changes["stage"] == [None, "building"]
    assert changes["invest_done"] == [None, 700.0] and changes["problems"] == [None, "无"]
    ok("undo", "--yes")
    after = dump_ledger(demo_env)
    assert [h[3] for h in after.pop("history")][-2:] == ["progress.add", "undo"]  # 留痕 keeps both
    before.pop("history")
    assert after == before and len(after["progress"]) > 100


def test_progress_add_refuses_bad_input_with_nothing_written(demo_env):
    from tests.conftest import dump_ledger

    before = dump_ledger(demo_env)
    for args, words in ((("999", "--percent", "5"), "999"), (("3", "--percent", "105"), "105"),
                        (("3", "--percent", "5", "--on", "2023-04-05"), "2023-04-05"),
                        (("3", "--percent", "5", "--on", "2022-04-05"), "2022-04-05"),
                        (("3", "--percent", "5", "--stage", "乱"), "乱")):
        result = run("progress", "add", *args)
        assert result.exit_code == 1 and words in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert dump_ledger(demo_env) == before


def test_the_lower_percent_warning_comes_after_the_update(demo_env):
    result = run("progress", "add", "3", "--percent", "5")
    assert result.exit_code == 0 and "5%" in result.stdout and "15%" in result.stderr


def test_a_ledger_that_is_not_plain_goes_the_full_way(tmp_path, sqlite_url):
    """Missing, empty, foreign, or at another schema revision: no direct reader, so that the full path
    upgrades the ledger or says in one line what is wrong."""
    from taskctl.reader import SCHEMA_HEAD, open_reader

    url = "sqlite:///" + sqlite_url
    assert open_reader(url) is None  # missing
    open(sqlite_url, "wb").close()
    assert open_reader(url) is None  # empty
    os.remove(sqlite_url)
    ok("--db", sqlite_url, "init", "--year", "2023")
    reader = open_reader(url, write=True)
    assert reader is not None
    from taskctl.reader import close_reader

    close_reader(reader)
    conn = sqlite3.connect(sqlite_url)
    conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.commit()
    conn.close()
    assert open_reader(url) is None and SCHEMA_HEAD != "0001"
    other = tmp_path / "notes.txt"
    other.write_text("not a ledger", encoding="utf-8")
    assert open_reader("sqlite:///" + str(other)) is None
    result = run("--db", str(other), "overdue")
    assert result.exit_code != 0 and len(result.stderr.strip().splitlines()) == 1


def test_a_driver_error_is_one_line_with_the_documented_exit():
    from taskctl.cli.app import _describe

    line, code = _describe(sqlite3.OperationalError("database is locked"))
    assert code == 3 and "database is locked" in line and "\n" not in line
    line, code = _describe(sqlite3.IntegrityError("UNIQUE constraint failed: unit.name"))
    assert code == 1 and "UNIQUE" in line
