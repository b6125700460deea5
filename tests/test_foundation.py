"""Start-up cost, languages, storage properties, completion and the example ledger."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import run

PY = sys.executable


def cli(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, **(env or {}))
    proc = subprocess.run([PY, "-m", "taskctl", *args], capture_output=True, text=True, env=full_env, timeout=60)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


# ---------------------------------------------------------------- start-up

def test_help_does_not_import_the_orm():
    code = ("import sys; sys.argv=['taskctl','--help']\n"
            "from taskctl.__main__ import main\n"
            "try:\n main()\nexcept SystemExit: pass\n"
            "heavy=[m for m in ('sqlalchemy','sqlmodel','alembic','openpyxl','psycopg') if m in sys.modules]\n"
            "print('HEAVY', heavy, file=sys.stderr)")
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True, env=dict(os.environ, TASKCTL_LANG="en"))
    assert "HEAVY []" in proc.stderr, proc.stderr
    assert "Commands:" in proc.stdout or "Commands" in proc.stdout


def test_a_command_line_composes_only_the_commands_it_names():
    """`taskctl overdue` turns the reports module into Click commands, not all 73 commands; the table
    that says which module holds which command is the whole tree."""
    import typer.main

    from taskctl.cli.app import COMMANDS, app_for, compose, first_command

    whole = typer.main.get_command(compose())
    listed = [name for _module, names in COMMANDS for name in names]
    assert sorted(whole.commands) == sorted(listed) and len(listed) == len(set(listed))
    checked = 0
    for _module, names in COMMANDS:
        for name in names:
            part = typer.main.get_command(app_for(["--db", "x.db", "--lang=zh", name, "--help"]))
            assert sorted(part.commands) == sorted(names), name
            checked += 1
    assert checked == len(listed) > 20
    for line in (["--help"], [], ["--version"], ["bogus"], ["--db", "x.db"]):
        assert first_command(line) in (None, "bogus")
        assert sorted(typer.main.get_command(app_for(line)).commands) == sorted(listed)
    assert first_command(["--db=x", "--lang", "zh", "task", "list"]) == "task"


def test_the_root_help_drawn_from_the_outline_is_the_whole_trees():
    """`taskctl --help` converts only the top-level commands (groups stand empty); what it prints is
    exactly the help of the whole tree, in both languages."""
    from typer.testing import CliRunner

    from taskctl.cli.app import app_for, compose
    from taskctl.i18n import speaking

    for lang in ("en", "zh"):
        with speaking(lang):
            whole = CliRunner().invoke(compose(), ["--help"], prog_name="taskctl")
            outline = CliRunner().invoke(app_for(["--help"]), ["--help"], prog_name="taskctl")
            bare = CliRunner().invoke(app_for([]), [], prog_name="taskctl")
        assert whole.exit_code == outline.exit_code == 0
        assert outline.output == whole.output and bare.output == whole.output
        assert whole.output.count("\n") > 40 and ("import" in whole.output) and ("bulletin" in whole.output)


def test_opening_an_up_to_date_ledger_does_not_import_alembic(sqlite_url):
    cli("--db", sqlite_url, "init", "--year", "2023")
    code = ("import sys; sys.argv=['taskctl','--db',%r,'task','list','--format','json']\n"
            "from taskctl.__main__ import main\n"
            "try:\n main()\nexcept SystemExit: pass\n"
            "print('ALEMBIC', 'alembic' in sys.modules, file=sys.stderr)") % sqlite_url
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True)
    assert "ALEMBIC False" in proc.stderr, proc.stderr


def test_a_data_command_imports_no_sqlmodel_and_the_data_layer_no_pydantic(sqlite_url):
    cli("--db", sqlite_url, "init", "--demo")
    code = ("import sys; sys.argv=['taskctl','--db',%r,'overdue','--format','json']\n"
            "from taskctl.__main__ import main\n"
            "try:\n main()\nexcept SystemExit: pass\n"
            "print('HEAVY', [m for m in sys.modules if m.startswith(('sqlmodel', 'pydantic'))], file=sys.stderr)\n"
            "print('CLI', sorted(m for m in sys.modules if m.startswith('taskctl.cli.')), file=sys.stderr)"
            ) % sqlite_url
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, TASKCTL_TODAY="2023-03-31"))
    assert "HEAVY []" in proc.stderr, proc.stderr
    assert json.loads(proc.stdout), proc.stdout  # the demo ledger has overdue tasks on that day
    # only the reports' command module was turned into commands (taskctl.cli.app.COMMANDS)
    loaded = proc.stderr.split("CLI ", 1)[1]
    assert "taskctl.cli.reports" in loaded and "taskctl.cli.task'" not in loaded and "taskctl.cli.unit" not in loaded
    # the models, the session and the reports need no pydantic
    code = ("import sys, taskctl.models, taskctl.db, taskctl.ledger, taskctl.reports.tasks, taskctl.reports.quarter\n"
            "print('HEAVY', [m for m in sys.modules if m.startswith(('sqlmodel', 'pydantic'))], file=sys.stderr)")
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in proc.stderr, proc.stderr


def test_a_new_object_holds_its_defaults_before_a_flush():
    """Construction fills what the schema defaults (status, timestamps, "" and None) as SQLModel did;
    required columns stay unset, unknown keywords are refused."""
    import datetime as dt

    from taskctl.models import LadderLevel, Progress, Task

    task = Task(area_id=1, title="t", start=dt.date(2023, 1, 1))
    assert task.status == "active" and task.id is None and task.due is None and task.detail is None
    assert task.created_at.tzinfo is not None and task.created_at.microsecond == 0
    assert "area_id" in task.__dict__ and task.title == "t"
    assert Task(status="done", area_id=1, title="t", start=dt.date(2023, 1, 1)).status == "done"
    progress = Progress(task_id=1, on_date=dt.date(2023, 1, 1), percent=50)
    assert progress.recorded_by == "" and progress.note is None and progress.recorded_at.tzinfo is not None
    level = LadderLevel(key="k")
    assert level.days == 0 and level.reply_days == 3 and level.after is None and "text" not in level.__dict__
    with pytest.raises(TypeError):
        Task(no_such_column=1)


# ---------------------------------------------------------------- languages

def test_both_catalogues_hold_every_key():
    from taskctl.i18n import catalogues

    cats = catalogues()
    assert set(cats["zh"]) == set(cats["en"])
    assert all(cats["zh"][k].strip() and cats["en"][k].strip() for k in cats["en"])


def test_every_key_used_in_code_exists():
    import pathlib
    import re

    from taskctl.i18n import catalogues

    known = set(catalogues()["en"])
    root = pathlib.Path(__file__).parent.parent / "taskctl"
    used = set()
    for path in root.rglob("*.py"):
        used |= set(re.findall(r"\bt\(\"([a-z_]+\.[A-Za-z0-9_.]+)\"", path.read_text(encoding="utf-8")))
    assert not sorted(used - known)


@pytest.mark.parametrize("how", ["flag", "env", "locale"])
def test_language_from_flag_env_or_locale(how):
    env = {"TASKCTL_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C", "LANGUAGE": ""}
    args = ["--help"]
    if how == "flag":
        args = ["--lang", "zh", "--help"]
    elif how == "env":
        env["TASKCTL_LANG"] = "zh"
    else:
        env["LANG"] = "zh_CN.UTF-8"
    proc = cli(*args, env=env)
    assert "督办台账" in proc.stdout
    assert "督办台账" not in cli("--help", env=dict(env, TASKCTL_LANG="en", LANG="C")).stdout


def test_chinese_errors_and_headers(sqlite_url):
    cli("--db", sqlite_url, "init", "--year", "2023")
    proc = cli("--db", sqlite_url, "--lang", "zh", "progress", "add", "1", "--percent", "150", check=False)
    assert proc.returncode == 1 and proc.stderr.startswith("错误：") and "编号为 1 的任务" in proc.stderr
    proc = cli("--db", sqlite_url, "--lang", "zh", "area", "list")
    assert "聚焦领域" in proc.stdout and "扩大投资" in proc.stdout


# ---------------------------------------------------------------- storage

def test_sqlite_file_is_private_with_wal_and_foreign_keys(sqlite_url):
    cli("--db", sqlite_url, "init", "--year", "2023")
    assert os.stat(sqlite_url).st_mode & 0o777 == 0o600
    with sqlite3.connect(sqlite_url) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    from taskctl.config import database_url
    from taskctl.db import get_engine

    with get_engine(database_url(sqlite_url)).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_default_location_is_the_user_data_directory(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path), "TASKCTL_DB": ""}
    proc = cli("init", "--year", "2023", env=env)
    path = tmp_path / "data" / "taskctl" / "ledger.db"
    assert path.exists() and str(path) in proc.stdout


def test_schema_head_matches_the_migrations():
    from taskctl.db import SCHEMA_HEAD, known_revisions

    assert SCHEMA_HEAD == max(known_revisions())


def test_models_and_migrations_agree(db_url):
    """The Alembic revisions build exactly the schema the models describe (both backends)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from taskctl.config import database_url
    from taskctl.db import create_ledger
    from taskctl.models import Base

    engine = create_ledger(database_url(db_url))
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata) == []


def test_db_info_check_backup_upgrade(ledger_env, tmp_path):
    info = json.loads(run("db", "info", "--format", "json").stdout)
    assert info["schema"] == info["schema_head"] and info["areas"] == 6 and info["year"] == 2023
    assert run("db", "check").exit_code == 0
    assert "up to date" in run("db", "upgrade").stdout
    if info["backend"] == "sqlite":
        target = tmp_path / "backup.db"
        assert run("db", "backup", str(target)).exit_code == 0
        with sqlite3.connect(target) as conn:
            assert conn.execute("SELECT count(*) FROM area").fetchone()[0] == 6
        assert run("db", "backup", str(target)).exit_code == 1  # never overwrites


def test_a_ledger_of_an_unknown_revision_is_refused_untouched(sqlite_url):
    """A revision this taskctl does not know is never 'upgraded' over."""
    cli("--db", sqlite_url, "init", "--year", "2023")
    cli("--db", sqlite_url, "unit", "add", "市发改委", "--kind", "部门")
    with sqlite3.connect(sqlite_url) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0000'")
    proc = cli("--db", sqlite_url, "unit", "list", "--format", "json", check=False)
    # '0000' is not a revision this taskctl knows: refused with a clear line, data untouched
    assert proc.returncode == 3 and "newer than this taskctl" in proc.stderr
    with sqlite3.connect(sqlite_url) as conn:
        assert conn.execute("SELECT name FROM unit").fetchall() == [("市发改委",)]


# ---------------------------------------------------------------- completion

def _complete(db: str, words: str) -> tuple[list[str], float]:
    env = dict(os.environ, _TASKCTL_COMPLETE="complete_bash", COMP_WORDS=words,
               COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)), TASKCTL_DB=db)
    start = time.perf_counter()
    proc = subprocess.run([PY, "-m", "taskctl"], capture_output=True, text=True, env=env, timeout=30)
    return proc.stdout.split(), time.perf_counter() - start


def test_completion_of_units_leaders_areas_and_task_ids(sqlite_url):
    cli("--db", sqlite_url, "init", "--demo")
    units, _ = _complete(sqlite_url, "taskctl task add x --lead 市")
    assert "市发改委" in units and all(u.startswith("市") for u in units)
    leaders, _ = _complete(sqlite_url, "taskctl task list --leader 杜")
    assert leaders == ["杜鑫"]
    areas, _ = _complete(sqlite_url, "taskctl task list --area inv")
    assert areas == ["investment"]
    ids, _ = _complete(sqlite_url, "taskctl progress add 3")
    assert "3" in ids and "30" in ids and "23" not in ids
    commands, _ = _complete(sqlite_url, "taskctl ta")  # a command's own name: the whole tree answers
    assert commands == ["task"]
    commands, _ = _complete(sqlite_url, "taskctl --db x.db task sh")
    assert commands == ["show"]


def test_example_ledger_shows_every_state(demo_env):
    rows = json.loads(run("task", "list", "--format", "json").stdout)
    states = {r["state"] for r in rows}
    assert states == {"overdue", "behind", "not_started", "done", "paused", "cancelled", "on_track"}
    assert any(r["done_late"] for r in rows) and any(r["extensions"] for r in rows)
    assert 30 <= len(rows) <= 40
    units = json.loads(run("unit", "list", "--format", "json").stdout)
    assert {u["kind"] for u in units} == {"county", "zone", "department", "enterprise", "soe"}
    leaders = {x["name"] for x in json.loads(run("leader", "list", "--format", "json").stdout)}
    assert leaders == {"杜鑫", "段家喜", "贾洪琳", "徐同连", "米金套", "任振波", "周伟山"}
    log = json.loads(run("log", "--format", "json").stdout)
    assert [h["action"] for h in log] == ["demo.load", "ledger.init"]  # a bulk load is one entry


def test_completion_is_chosen_by_the_database_on_both_backends(fresh_db):
    """The prefix and the first 200 are picked in SQL (a 100,000-task ledger never comes into Python):
    ids in number order, names in their order, the same on SQLite and PostgreSQL."""
    from taskctl.cli.complete import LIMIT, candidates
    from taskctl.config import database_url

    db = fresh_db()
    cli("--db", db, "init", "--demo")
    url = database_url(db)
    ids = candidates("task", "", url)
    assert ids[:3] == ["1", "2", "3"] and ids == sorted(ids, key=int) and len(ids) <= LIMIT
    assert candidates("task", "3", url) == [i for i in ids if i.startswith("3")] and "30" in ids
    units = candidates("unit", "市", url)
    assert units and all(u.startswith("市") for u in units) and units == sorted(units)
    assert candidates("unit", "没有这个", url) == [] and candidates("area", "", url)
    # answered without SQLAlchemy on either backend (sqlite3 or psycopg itself)
    code = ("import sys; from taskctl.cli.complete import candidates\n"
            f"print(candidates('task', '3', {url!r}), 'sqlalchemy' in sys.modules)")
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip().endswith("False") and "'30'" in proc.stdout, proc.stdout + proc.stderr
