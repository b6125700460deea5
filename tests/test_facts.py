"""The kept facts (task_fact, revision 0007) after every kind of write, db check --repair, and the upgrade.

The triggers are the only writer of task_fact; after each command the table must equal a fresh
computation (``facts.mismatches``), and the row of the task the command touched must show the change.
"""

from __future__ import annotations

import datetime as dt

from taskctl import facts
from taskctl.config import database_url
from taskctl.reader import close_reader, open_reader

from conftest import as_json, ok, run


def _read(url: str, fn):
    q = open_reader(database_url(url))
    assert q is not None
    try:
        return fn(q)
    finally:
        close_reader(q)


def kept(url: str, task_id: int):
    """(changed_on, status, due, extensions, percent) kept for the task, or None without a row."""
    return _read(url, lambda q: q.one("SELECT changed_on, status, due, extensions, percent FROM task_fact "
                                      "WHERE task_id = :t", {"t": task_id}, dates=(0, 2)))


def assert_whole(url: str) -> None:
    assert _read(url, facts.mismatches) == []


def test_every_write_keeps_the_facts(demo_env):
    url = demo_env
    assert_whole(url)
    assert _read(url, lambda q: q.scalar("SELECT count(*) FROM task_fact")) == \
        _read(url, lambda q: q.scalar("SELECT count(*) FROM task")) > 0
    today = dt.date(2023, 3, 31)

    ok("progress", "add", "3", "--percent", "60")  # the direct path's SQL
    assert kept(url, 3)[0] == today and kept(url, 3)[4] == 60.0
    ok("progress", "add", "3", "--percent", "10", "--on", "2023-02-01")  # an earlier date: not the latest
    assert kept(url, 3)[4] == 60.0
    assert_whole(url)

    ok("task", "extend", "3", "--to", "2024-06-30", "--reason", "资金未到位")
    changed_on, status, due, extensions, _ = kept(url, 3)
    assert (due, extensions) == (dt.date(2024, 6, 30), 1)
    ok("task", "done", "3")
    assert kept(url, 3)[1] == "done"
    assert_whole(url)

    ok("undo", "--yes")  # done taken back
    assert kept(url, 3)[1] in (None, "active")
    ok("undo", "--yes")  # the extension taken back
    assert kept(url, 3)[2:4] == (None, 0)
    assert_whole(url)

    update = as_json("progress", "list", "3")[-1]["id"]
    ok("progress", "edit", str(update), "--percent", "61")
    ok("progress", "delete", str(update))
    assert_whole(url)

    ok("task", "delete", "4", "--yes")
    assert kept(url, 4) is None
    ok("undo", "--yes")  # the task and its updates inserted again: the triggers rebuild its row
    assert kept(url, 4) is not None and kept(url, 4)[4] is not None
    ok("task", "add", "新增任务", "--area", "investment", "--lead", "发改委", "--due", "2023-12-31")
    new_id = _read(url, lambda q: q.scalar("SELECT max(id) FROM task"))
    assert kept(url, new_id) == (None, None, None, 0, None)
    assert_whole(url)


def test_db_check_finds_a_wrong_row_and_repair_rebuilds_it(demo_env):
    url = demo_env
    q = open_reader(database_url(url), write=True)
    q.execute("UPDATE task_fact SET percent = 99.5 WHERE task_id IN (2, 5)")
    q.execute("DELETE FROM task_fact WHERE task_id = 7")
    close_reader(q, commit=True)

    result = run("db", "check")
    assert result.exit_code == 1
    assert "task_fact" in result.stderr and "#2、#5、#7" in result.stderr and "--repair" in result.stderr
    assert "Traceback" not in result.stderr
    # a report of today reads the kept rows: the wrong figure shows until the repair
    assert as_json("task", "show", "2")["percent"] == 99.5

    repaired = ok("db", "check", "--repair")
    assert "3 tasks" in repaired and "ledger check passed" in repaired
    assert_whole(url)
    assert as_json("task", "show", "2")["percent"] != 99.5
    assert "rebuilt" not in ok("db", "check", "--repair")  # nothing left to rebuild


def test_upgrade_from_0006_fills_the_facts(demo_env):
    from alembic import command

    from taskctl.db import _alembic_config, dispose_all, get_engine

    url = demo_env
    before = as_json("quarter", "2023Q1", "--by", "unit")
    engine = get_engine(database_url(url))
    with engine.connect() as conn, conn.begin():
        command.downgrade(_alembic_config(conn), "0006")
    dispose_all()
    assert _read_plain(url, "SELECT count(*) FROM alembic_version WHERE version_num = '0006'") == 1
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert_whole(url)
    assert _read(url, lambda q: q.scalar("SELECT count(*) FROM task_fact WHERE last_update IS NOT NULL")) > 0
    assert as_json("quarter", "2023Q1", "--by", "unit") == before


def _read_plain(url: str, sql: str):
    from sqlalchemy import text

    from taskctl.db import dispose_all, get_engine

    engine = get_engine(database_url(url))
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        dispose_all()


def test_an_import_keeps_the_facts_of_every_task_it_adds(ledger_env, monkeypatch):
    """import tasks adds its tasks (on PostgreSQL many per statement: the statement-level trigger); then
    updates and an undo: the kept facts equal a fresh computation after each."""
    from pathlib import Path

    url = ledger_env
    monkeypatch.setenv("TASKCTL_TODAY", "2023-04-30")  # the sample's tasks start in April
    sample = Path(__file__).resolve().parent.parent / "examples" / "ledger-sample.csv"
    ok("import", "tasks", str(sample), "--create-units")
    n = _read(url, lambda q: q.scalar("SELECT count(*) FROM task"))
    assert n >= 5
    assert _read(url, lambda q: q.scalar("SELECT count(*) FROM task_fact")) == n
    assert_whole(url)
    for task_id in (1, 2, 3):
        ok("progress", "add", str(task_id), "--percent", str(10 * task_id))
    assert kept(url, 2)[4] == 20.0
    assert_whole(url)
    ok("undo", "--yes")  # the last update taken back
    assert kept(url, 3)[4] is None
    assert_whole(url)
