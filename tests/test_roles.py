"""PostgreSQL roles and row-level security (issue 14): a unit's liaison reports for its own tasks only.

Every test here connects as the login roles it creates (trust auth on the test server) and drops them
afterwards, also on failure: roles are cluster-wide.  The ledger is created fresh (not copied from a
template) so that its group roles carry its own database's name.
"""

from __future__ import annotations

import json
import uuid

import pytest

from taskctl.reader import SCHEMA_HEAD

from conftest import PG_ADMIN, drop_group_roles, dump_ledger, require_pg, run

HOST = PG_ADMIN.split("@", 1)[1].rsplit("/", 1)[0]  # 127.0.0.1:5432


@pytest.fixture
def pg(monkeypatch):
    """A fresh example ledger on PostgreSQL; a factory of users; everything dropped afterwards."""
    require_pg()
    import psycopg

    from taskctl.db import dispose_all

    name = f"taskctl_test_{uuid.uuid4().hex[:12]}"
    roles: list[str] = []
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    owner_url = f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    monkeypatch.setenv("TASKCTL_DB", owner_url)

    class Ledger:
        db = name
        url = owner_url

        @staticmethod
        def user(kind: str, who: str | None = None) -> str:
            role = f"t14_{uuid.uuid4().hex[:10]}_{kind}"
            roles.append(role)
            args = ["--office"] if kind == "office" else [f"--{kind}", who]
            result = run("--db", owner_url, "user", "add", role, *args)
            assert result.exit_code == 0, result.stdout + result.stderr
            return role

        @staticmethod
        def url_of(role: str) -> str:
            return f"postgresql://{role}@{HOST}/{name}"

        @staticmethod
        def sql(query: str, *params):
            with psycopg.connect(owner_url) as conn:
                return conn.execute(query, params).fetchall()

    try:
        result = run("init", "--demo")
        assert result.exit_code == 0, result.stdout + result.stderr
        yield Ledger
    finally:
        dispose_all()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in roles:
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')
            drop_group_roles(conn, name)


def as_role(pg, role: str, *args: str):
    return run("--db", pg.url_of(role), *args)


def refused(result, text: str | None = None) -> None:
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    if text:
        assert text in result.stderr, result.stderr


def own_and_foreign(pg, unit: str) -> tuple[int, int, int]:
    """A task the unit leads, one it co-operates on (without leading), and one that is none of its business."""
    lead = pg.sql("SELECT t.id FROM task t JOIN unit u ON u.id = t.lead_unit_id WHERE u.name = %s "
                  "AND t.status = 'active' ORDER BY t.id LIMIT 1", unit)[0][0]
    co = pg.sql("SELECT tu.task_id FROM task_unit tu JOIN unit u ON u.id = tu.unit_id WHERE u.name = %s "
                "ORDER BY tu.task_id LIMIT 1", unit)[0][0]
    foreign = pg.sql("SELECT t.id FROM task t JOIN unit u ON u.id = t.lead_unit_id WHERE u.name <> %s "
                     "AND t.id NOT IN (SELECT tu.task_id FROM task_unit tu JOIN unit u2 ON u2.id = tu.unit_id "
                     "WHERE u2.name = %s) ORDER BY t.id LIMIT 1", unit, unit)[0][0]
    return lead, co, foreign


def test_a_unit_sees_and_reports_only_its_own_tasks(pg, monkeypatch):
    unit = "市工信局"
    role = pg.user("unit", unit)
    lead, co, foreign = own_and_foreign(pg, unit)
    monkeypatch.setenv("TASKCTL_USER", "someone_else")

    rows = json.loads(as_role(pg, role, "task", "list", "--format", "json").stdout)
    all_tasks = pg.sql("SELECT count(*) FROM task")[0][0]
    assert rows and len(rows) < all_tasks
    assert all(r["lead_unit"] == unit or unit in r["co_units"] for r in rows)
    assert {lead, co} <= {r["id"] for r in rows} and foreign not in {r["id"] for r in rows}

    result = as_role(pg, role, "progress", "add", str(lead), "--percent", "97", "--note", "本单位报送")
    assert result.exit_code == 0, result.stdout + result.stderr
    # the history's author is the database's session_user, not what TASKCTL_USER claims
    who = pg.sql('SELECT "user", action FROM history ORDER BY id DESC LIMIT 1')[0]
    assert who == (role, "progress.add")
    assert pg.sql("SELECT recorded_by FROM progress ORDER BY id DESC LIMIT 1")[0][0] == "someone_else"  # client text

    # the unit's own correction is allowed
    update = pg.sql("SELECT id FROM progress ORDER BY id DESC LIMIT 1")[0][0]
    assert as_role(pg, role, "progress", "edit", str(update), "--percent", "98").exit_code == 0
    assert pg.sql("SELECT percent FROM progress WHERE id = %s", update)[0][0] == 98

    before = dump_ledger(pg.url)
    refused(as_role(pg, role, "progress", "add", str(foreign), "--percent", "50"),
            f"task {foreign} is not one of {unit}'s tasks")
    refused(as_role(pg, role, "progress", "add", str(co), "--percent", "50"), f"task {co} is not one of {unit}'s")
    refused(as_role(pg, role, "task", "edit", str(lead), "--title", "改名"), f"task {lead} is not one of {unit}'s")
    refused(as_role(pg, role, "task", "extend", str(lead), "--to", "2023-12-31", "--reason", "x"))
    refused(as_role(pg, role, "task", "done", str(lead)))
    refused(as_role(pg, role, "task", "delete", str(lead), "--yes"))
    refused(as_role(pg, role, "task", "show", str(foreign)), f"task {foreign} is not one of {unit}'s tasks")
    refused(as_role(pg, role, "unit", "add", "某新单位", "--kind", "部门"))
    refused(as_role(pg, role, "rank"), "office command")
    refused(as_role(pg, role, "export", "weekly", "--format", "json"), "office command")
    assert dump_ledger(pg.url) == before


def test_the_database_refuses_a_unit_whatever_the_client(pg):
    """The same refusals for a script that talks SQL directly (psql, psycopg)."""
    import psycopg

    unit = "市工信局"
    role = pg.user("unit", unit)
    lead, co, foreign = own_and_foreign(pg, unit)
    before = dump_ledger(pg.url)
    with psycopg.connect(pg.url_of(role)) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO progress (task_id, on_date, percent, recorded_by, recorded_at) "
                         "VALUES (%s, '2023-03-31', 99, 'x', now())", (foreign,))
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO progress (task_id, on_date, percent, recorded_by, recorded_at) "
                         "VALUES (%s, '2023-03-31', 99, 'x', now())", (co,))
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE history SET \"user\" = 'nobody'")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM history")
        conn.rollback()
        # `changes` may be written only in the row's own transaction (undo's before-images): older rows stay
        assert conn.execute("UPDATE history SET changes = '{}'").rowcount == 0
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE task SET title = 'x' WHERE id = %s", (lead,))
        conn.rollback()
        # another unit's rows are invisible, not merely read-only
        assert conn.execute("SELECT count(*) FROM progress WHERE task_id = %s", (foreign,)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM history WHERE task_id = %s", (foreign,)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM progress WHERE task_id = %s", (lead,)).fetchone()[0] > 0
    assert dump_ledger(pg.url) == before


def test_the_office_does_everything_and_names_the_person(pg, monkeypatch):
    role = pg.user("office")
    last = pg.sql("SELECT max(id) FROM history")[0][0]
    monkeypatch.setenv("TASKCTL_USER", "王科长")
    for args in (("task", "edit", "4", "--title", "集中开工活动（改）"),
                 ("task", "extend", "4", "--to", "2023-04-30", "--reason", "天气"),
                 ("progress", "add", "4", "--percent", "90"),
                 ("task", "done", "4"),
                 ("unit", "add", "某新单位", "--kind", "部门"),
                 ("rank",)):
        result = as_role(pg, role, *args)
        assert result.exit_code == 0, (args, result.stdout + result.stderr)
    assert pg.sql('SELECT DISTINCT "user" FROM history WHERE id > %s', last) == [("王科长",)]
    import psycopg

    with psycopg.connect(pg.url_of(role)) as conn:  # not even the office rewrites the history
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM history")


def test_a_leader_reads_its_tasks_and_instructs_on_them(pg):
    leader = "杜鑫"
    role = pg.user("leader", leader)
    rows = json.loads(as_role(pg, role, "task", "list", "--format", "json").stdout)
    assert rows and all(r["leader"] == leader for r in rows)
    own = rows[0]["id"]
    other = pg.sql("SELECT t.id FROM task t JOIN leader l ON l.id = t.leader_id WHERE l.name <> %s "
                   "ORDER BY t.id LIMIT 1", leader)[0][0]
    assert as_role(pg, role, "task", "instruct", str(own), "--leader", leader, "--text", "加快推进").exit_code == 0
    assert pg.sql('SELECT "user" FROM history ORDER BY id DESC LIMIT 1')[0][0] == role
    refused(as_role(pg, role, "task", "instruct", str(other), "--leader", leader, "--text", "x"),
            f"task {other} is not one of {leader}'s tasks")
    refused(as_role(pg, role, "progress", "add", str(own), "--percent", "50"))


def test_user_list_disable_remove(pg):
    role = pg.user("unit", "双塔区")
    rows = json.loads(run("user", "list", "--format", "json").stdout)
    assert [(r["name"], r["kind"], r["unit"], r["disabled"]) for r in rows] == [(role, "unit", "双塔区", False)]
    assert run("user", "disable", role).exit_code == 0
    assert pg.sql("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", role) == [(False,)]
    refused(run("user", "add", role, "--unit", "双塔区"), "already exists")
    refused(run("user", "add", "bad name", "--office"))
    refused(run("user", "add", "x1", "--office", "--unit", "双塔区"))
    assert run("user", "remove", role).exit_code == 0
    assert pg.sql("SELECT count(*) FROM pg_roles WHERE rolname = %s", role) == [(0,)]
    assert json.loads(run("user", "list", "--format", "json").stdout) == []


def test_user_commands_on_sqlite_say_roles_do_not_apply(sqlite_url, monkeypatch):
    monkeypatch.setenv("TASKCTL_DB", sqlite_url)
    assert run("init", "--year", "2023").exit_code == 0
    for args in (("user", "add", "someone", "--office"), ("user", "list"), ("user", "remove", "someone")):
        refused(run(*args), "roles do not apply")


# ---------------------------------------------------------------- 申请销号 → 审结

def _task(args_as_of: str, task_id: int) -> dict:
    from conftest import as_json

    return next(r for r in as_json("task", "list", "--as-of", args_as_of) if r["id"] == task_id)


def test_two_step_closing_replays_as_of_dates(demo_env):
    from conftest import as_json, ok

    tid = 35
    ok("task", "request-close", str(tid), "--note", "政策已兑现", "--on", "2023-03-20")
    refused(run("task", "request-close", str(tid), "--note", "again"), "already has a closing request")
    ok("task", "return", str(tid), "--reason", "佐证材料不全", "--on", "2023-03-25")
    refused(run("task", "return", str(tid), "--reason", "x"), "no closing request waiting")
    ok("task", "request-close", str(tid), "--note", "材料已补齐", "--on", "2023-03-28")
    assert "accepted" in ok("task", "done", str(tid), "--on", "2023-03-31")
    refused(run("task", "request-close", str(tid), "--note", "x"), "only an active task")

    expected = {"2023-03-19": (False, "active"), "2023-03-20": (True, "active"), "2023-03-24": (True, "active"),
                "2023-03-25": (False, "active"), "2023-03-28": (True, "active"), "2023-03-30": (True, "active"),
                "2023-03-31": (False, "done")}
    for as_of, (flag, status) in expected.items():
        row = _task(as_of, tid)
        assert (row["close_requested"], row["status"]) == (flag, status), as_of
    # the requested closings are their own count in the quarter report, not a state
    q = as_json("quarter", "2023Q1", "--as-of", "2023-03-30")
    assert sum(r["close_requested"] for r in q["rows"]) == 1
    assert sum(r["tasks"] for r in q["rows"]) == sum(r[k] for r in q["rows"] for k in
                                                     ("done", "overdue", "behind", "on_track", "not_started", "paused"))
    actions = [r["action"] for r in as_json("log", str(tid))]
    assert [a for a in actions if a in ("task.request_close", "task.return", "task.done")] in (
        ["task.request_close", "task.return", "task.request_close", "task.done"],
        ["task.done", "task.request_close", "task.return", "task.request_close"])


def test_a_unit_requests_closing_and_only_the_office_decides(pg):
    unit = "市工信局"
    role = pg.user("unit", unit)
    lead, co, foreign = own_and_foreign(pg, unit)
    result = as_role(pg, role, "task", "request-close", str(lead), "--note", "已完成")
    assert result.exit_code == 0, result.stdout + result.stderr
    refused(as_role(pg, role, "task", "request-close", str(co), "--note", "x"), f"task {co} is not one of {unit}'s")
    refused(as_role(pg, role, "task", "request-close", str(foreign), "--note", "x"), f"task {foreign} is not one")
    refused(as_role(pg, role, "task", "return", str(lead), "--reason", "x"))
    refused(as_role(pg, role, "task", "done", str(lead)))
    assert pg.sql("SELECT status FROM task WHERE id = %s", lead) == [("active",)]
    assert run("task", "done", str(lead)).exit_code == 0  # the office (here the owner) accepts
    assert pg.sql("SELECT status FROM task WHERE id = %s", lead) == [("done",)]


# ---------------------------------------------------------------- 报送表 (the per-unit report form)

def _fill_form(path, figures: dict[int, tuple[float, str]], extra_rows: list[list] = ()) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["进展"]
    headers = [c.value for c in ws[2]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    for r in range(3, ws.max_row + 1):
        tid = ws.cell(r, col["编号"]).value
        if tid in figures:
            ws.cell(r, col["完成进度"]).value, ws.cell(r, col["进展情况"]).value = figures[tid]
    for row in extra_rows:
        ws.append(row)
    wb.save(path)


def test_report_form_round_trip_and_a_refused_foreign_row(demo_env, tmp_path):
    from openpyxl import load_workbook

    from conftest import as_json, ok

    unit = "市工信局"
    path = tmp_path / "市工信局-第13周报送表.xlsx"
    assert "tasks" in ok("export", "form", "--unit", unit, "--week", "2023-W13", "-o", str(path))
    ws = load_workbook(path)["进展"]
    headers = [c.value for c in ws[2]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    own = [r for r in as_json("task", "list", "--unit", unit, "--open") if r["lead_unit"] == unit]
    assert [r[0] for r in rows] == [r["id"] for r in own] and rows
    # last week's figures: the latest update on or before Sunday 26 March
    first = rows[0][0]
    last_week = next(r for r in as_json("task", "list", "--as-of", "2023-03-26") if r["id"] == first)
    assert rows[0][headers.index("上周进度")] == last_week["percent"]
    assert all(r[headers.index("完成进度")] is None for r in rows)

    # the office imports the filled form; an added row for another unit's task is refused, naming the row
    foreign = next(r["id"] for r in as_json("task", "list") if r["lead_unit"] not in (unit, None)
                   and unit not in r["co_units"])
    before = dump_ledger(demo_env)
    blank = [None] * len(headers)
    extra = list(blank)
    extra[headers.index("编号")], extra[headers.index("报送单位")] = foreign, unit
    extra[headers.index("完成进度")] = 99
    _fill_form(path, {first: (88, "本周已完成设备安装")}, [extra])
    result = run("import", "progress", str(path))
    refused_row = 3 + len(rows)
    assert result.exit_code == 1 and f"task {foreign} is not led by {unit}" in result.stderr, result.stderr
    assert f"row {refused_row}" in result.stderr or f"{refused_row}" in result.stderr, result.stderr
    assert dump_ledger(demo_env) == before
    # without the foreign row, the unit's figures go in (rows left empty report nothing)
    untouched = {r[0]: len(as_json("progress", "list", str(r[0]))) for r in rows if r[0] != first}
    _fill_form(path, {first: (88, "本周已完成设备安装")})
    wb = load_workbook(path)
    wb["进展"].delete_rows(refused_row)
    wb.save(path)
    ok("import", "progress", str(path))
    updates = as_json("progress", "list", str(first))
    assert (updates[-1]["percent"], updates[-1]["note"], updates[-1]["on"]) == (88, "本周已完成设备安装", "2023-03-31")
    # the rows the unit left empty added nothing
    assert {r[0]: len(as_json("progress", "list", str(r[0]))) for r in rows if r[0] != first} == untouched


def test_a_unit_imports_its_own_form_and_is_refused_others(pg, tmp_path):
    import openpyxl

    unit = "市工信局"
    role = pg.user("unit", unit)
    lead, co, foreign = own_and_foreign(pg, unit)
    path = tmp_path / "form.xlsx"
    assert as_role(pg, role, "export", "form", "--unit", unit, "-o", str(path)).exit_code == 0
    count = pg.sql("SELECT count(*) FROM progress")[0][0]
    _fill_form(path, {lead: (91, "按期推进")})
    result = as_role(pg, role, "import", "progress", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert pg.sql("SELECT percent, note FROM progress WHERE task_id = %s AND on_date = '2023-03-31'", lead) == [
        (91, "按期推进")]
    count = pg.sql("SELECT count(*) FROM progress")[0][0]
    assert pg.sql('SELECT "user", action FROM history ORDER BY id DESC LIMIT 1')[0] == (role, "import.progress")
    # a plain progress sheet naming another unit's task: refused without saying whose it is
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["编号", "完成进度", "进展情况"])
    wb.active.append([foreign, 50, "x"])
    wb.save(other)
    result = as_role(pg, role, "import", "progress", str(other))
    assert result.exit_code == 1 and f"task {foreign} is not one of {unit}'s tasks" in result.stderr, result.stderr
    assert pg.sql("SELECT count(*) FROM progress")[0][0] == count


def test_password_prompt_sets_the_password_and_never_prints_it(pg):
    role = f"t14_{__import__('uuid').uuid4().hex[:10]}_pw"
    try:
        result = run("user", "add", role, "--office", "--password-prompt", input="S3cret-pw\nS3cret-pw\n")
        assert result.exit_code == 0, result.stdout + result.stderr
        assert "S3cret-pw" not in result.stdout + result.stderr
        assert pg.sql("SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = %s", role) == [(True,)]
        assert pg.sql("SELECT count(*) FROM ledger_user WHERE name = %s", role) == [(1,)]
    finally:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


# ---------------------------------------------------------------- schema 0006: what a unit corrects, answers, undoes

UNIT = "市工信局"


def _office_json(*args: str):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def _unit_json(pg, role: str, *args: str):
    result = as_role(pg, role, *args, "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_a_units_reports_cover_its_own_tasks_and_office_commands_refuse_it(pg, tmp_path):
    """calendar, trend, db info, overdue, due-soon, stale and quarter as a unit equal the office's view
    narrowed to the unit (lead or co-operating); rank, bulletin and the weekly export refuse it."""
    role = pg.user("unit", UNIT)
    lead, co, foreign = own_and_foreign(pg, UNIT)
    for args in (("overdue",), ("due-soon", "--days", "120"), ("stale",), ("quarter", "2023Q1"),
                 ("quarter", "2023Q1", "--by", "unit"), ("calendar", "--month", "2023-06"), ("trend",),
                 ("task", "list")):
        mine = _unit_json(pg, role, *args)
        office = _office_json(*args, "--unit", UNIT)
        everyone = _office_json(*args)
        assert mine == office, args
        assert mine != everyone, args  # the example ledger has other units' tasks in every one of these
    info = _unit_json(pg, role, "db", "info")
    own = pg.sql("SELECT count(DISTINCT t.id) FROM task t JOIN unit u ON u.name = %s LEFT JOIN task_unit tu "
                 "ON tu.task_id = t.id AND tu.unit_id = u.id WHERE t.lead_unit_id = u.id OR tu.unit_id = u.id",
                 UNIT)[0][0]
    assert info["tasks"] == own < pg.sql("SELECT count(*) FROM task")[0][0]
    assert info["schema"] == info["schema_head"] == SCHEMA_HEAD

    before = dump_ledger(pg.url)
    for args in (("rank",), ("bulletin", "preview"), ("bulletin", "issue", "-o", str(tmp_path / "b.md")),
                 ("export", "weekly", "--format", "md", "-o", str(tmp_path / "w.md"))):
        refused(as_role(pg, role, *args), "office command")
    assert not (tmp_path / "b.md").exists() and not (tmp_path / "w.md").exists()
    assert dump_ledger(pg.url) == before


def _update_of(pg, task_id: int) -> int:
    return pg.sql("SELECT max(id) FROM progress WHERE task_id = %s", task_id)[0][0]


def test_a_unit_deletes_and_corrects_progress_only_on_tasks_it_leads(pg, monkeypatch):
    import psycopg

    role = pg.user("unit", UNIT)
    lead, co, foreign = own_and_foreign(pg, UNIT)
    monkeypatch.setenv("TASKCTL_USER", "someone_else")
    own = _update_of(pg, lead)  # entered by the office for the unit: still the unit's report to correct
    result = as_role(pg, role, "progress", "delete", str(own))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert pg.sql("SELECT count(*) FROM progress WHERE id = %s", own) == [(0,)]
    assert pg.sql('SELECT "user", action, entity_id FROM history ORDER BY id DESC LIMIT 1')[0] == (
        role, "progress.delete", own)

    before = dump_ledger(pg.url)
    co_update, foreign_update = _update_of(pg, co), _update_of(pg, foreign)
    refused(as_role(pg, role, "progress", "delete", str(co_update)), f"task {co} is not one of {UNIT}'s tasks")
    refused(as_role(pg, role, "progress", "edit", str(co_update), "--percent", "1"),
            f"task {co} is not one of {UNIT}'s tasks")
    # another unit's update is invisible: no such update, and the task is not named
    for args in (("progress", "delete", str(foreign_update)), ("progress", "edit", str(foreign_update), "-p", "1")):
        result = as_role(pg, role, *args)
        refused(result)
        assert str(foreign) not in result.stderr.replace(str(foreign_update), ""), result.stderr
    # bad input: one line, nothing written
    refused(as_role(pg, role, "progress", "delete", "999999"))
    refused(as_role(pg, role, "progress", "edit", str(_update_of(pg, lead)), "--percent", "101"))
    assert dump_ledger(pg.url) == before
    # the database decides, whatever the client: psql deletes none of the rows that are not the unit's
    with psycopg.connect(pg.url_of(role)) as conn:
        assert conn.execute("DELETE FROM progress WHERE task_id IN (%s, %s)", (co, foreign)).rowcount == 0
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM task_tag")
    assert dump_ledger(pg.url) == before


def _slips(pg, tmp_path, *task_ids: int) -> dict[int, int]:
    result = run("notice", "issue", *map(str, task_ids), "--level", "urge", "-o", str(tmp_path / "slips.md"))
    assert result.exit_code == 0, result.stdout + result.stderr
    return {tid: pg.sql("SELECT max(id) FROM notice WHERE task_id = %s", tid)[0][0] for tid in task_ids}


def test_a_unit_answers_the_slips_addressed_to_it(pg, tmp_path):
    import psycopg

    role = pg.user("unit", UNIT)
    lead, co, foreign = own_and_foreign(pg, UNIT)
    slip = _slips(pg, tmp_path, lead, co, foreign)
    result = as_role(pg, role, "notice", "answer", str(slip[lead]), "--text", "已按要求整改")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert pg.sql("SELECT kind, text FROM notice_event WHERE notice_id = %s", slip[lead]) == [("answer", "已按要求整改")]
    assert pg.sql('SELECT "user", action FROM history ORDER BY id DESC LIMIT 1')[0] == (role, "notice.answer")

    before = dump_ledger(pg.url)
    # a slip goes to the task's lead unit: a co-operating unit does not answer it
    refused(as_role(pg, role, "notice", "answer", str(slip[co]), "--text", "x"), f"task {co} is not one of {UNIT}'s")
    result = as_role(pg, role, "notice", "answer", str(slip[foreign]), "--text", "x")
    refused(result)
    assert f"task {foreign}" not in result.stderr
    refused(as_role(pg, role, "notice", "accept", str(slip[lead])))  # the verdict is the office's
    refused(as_role(pg, role, "notice", "reject", str(slip[lead]), "--reason", "x"))
    refused(as_role(pg, role, "notice", "answer", str(slip[lead]), "--text", "again"), "awaiting a verdict")
    refused(as_role(pg, role, "notice", "answer", str(slip[lead]), "--text", "  "))
    with psycopg.connect(pg.url_of(role)) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO notice_event (notice_id, kind, on_date, recorded_by, recorded_at) "
                         "VALUES (%s, 'accept', '2023-03-31', 'x', now())", (slip[lead],))
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO notice_event (notice_id, kind, on_date, text, recorded_by, recorded_at) "
                         "VALUES (%s, 'answer', '2023-03-31', 'x', 'x', now())", (slip[co],))
    assert dump_ledger(pg.url) == before


def test_undo_as_a_unit_reverts_its_own_change_only(pg, tmp_path, monkeypatch):
    role = pg.user("unit", UNIT)
    office = pg.user("office")
    lead, co, foreign = own_and_foreign(pg, UNIT)
    # TASKCTL_USER names the office person: a unit's undo is still about the unit's own changes
    monkeypatch.setenv("TASKCTL_USER", "王科长")
    assert as_role(pg, office, "progress", "add", str(foreign), "--percent", "66").exit_code == 0
    refused(as_role(pg, role, "undo", "--yes"), f"{role} has no change to undo")
    assert pg.sql("SELECT count(*) FROM progress WHERE task_id = %s AND percent = 66", foreign) == [(1,)]

    # its progress entry, its correction, its deletion: each undone in turn
    before = dump_ledger(pg.url)
    assert as_role(pg, role, "progress", "add", str(lead), "--percent", "93").exit_code == 0
    added = _update_of(pg, lead)
    assert as_role(pg, role, "progress", "edit", str(added), "--percent", "94").exit_code == 0
    assert as_role(pg, role, "progress", "delete", str(added)).exit_code == 0
    for percent in (94, 93, None):
        result = as_role(pg, role, "undo", "--yes")
        assert result.exit_code == 0, result.stdout + result.stderr
        assert pg.sql("SELECT percent FROM progress WHERE id = %s", added) == ([(percent,)] if percent else [])
    assert pg.sql('SELECT "user" FROM history ORDER BY id DESC LIMIT 1')[0][0] == role
    after = dump_ledger(pg.url)
    assert {k: v for k, v in after.items() if k != "history"} == {k: v for k, v in before.items() if k != "history"}

    # the office corrected the unit's entry since: someone else's later change, exit 4
    assert as_role(pg, role, "progress", "add", str(lead), "--percent", "95").exit_code == 0
    added = _update_of(pg, lead)
    assert as_role(pg, office, "progress", "edit", str(added), "--note", "督查室核实").exit_code == 0
    result = as_role(pg, role, "undo", "--yes")
    assert result.exit_code == 4 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert pg.sql("SELECT percent FROM progress WHERE id = %s", added) == [(95,)]

    # its answer, once the office accepted it; its closing request, once the office accepted (审结) it
    slip = _slips(pg, tmp_path, lead)[lead]
    assert as_role(pg, role, "notice", "answer", str(slip), "--text", "已整改").exit_code == 0
    assert as_role(pg, office, "notice", "accept", str(slip)).exit_code == 0
    result = as_role(pg, role, "undo", "--yes")
    assert result.exit_code == 4 and "notice.accept" in result.stderr, result.stderr
    assert as_role(pg, role, "task", "request-close", str(lead), "--note", "已完成").exit_code == 0
    assert as_role(pg, office, "task", "done", str(lead)).exit_code == 0
    result = as_role(pg, role, "undo", "--yes")
    assert result.exit_code == 4 and "task.done" in result.stderr, result.stderr
    assert pg.sql("SELECT count(*) FROM close_request WHERE task_id = %s", lead) == [(1,)]


def test_undo_as_a_unit_withdraws_a_waiting_request_and_answer(pg, tmp_path):
    role = pg.user("unit", UNIT)
    lead, co, foreign = own_and_foreign(pg, UNIT)
    slip = _slips(pg, tmp_path, lead)[lead]
    assert as_role(pg, role, "notice", "answer", str(slip), "--text", "已整改").exit_code == 0
    assert as_role(pg, role, "task", "request-close", str(lead), "--note", "已完成").exit_code == 0
    assert as_role(pg, role, "undo", "--yes").exit_code == 0
    assert pg.sql("SELECT count(*) FROM close_request WHERE task_id = %s", lead) == [(0,)]
    assert as_role(pg, role, "undo", "--yes").exit_code == 0
    assert pg.sql("SELECT count(*) FROM notice_event WHERE notice_id = %s", slip) == [(0,)]


def test_undo_as_a_unit_refuses_a_change_its_role_could_not_make(pg, monkeypatch):
    """The owner may name anyone with TASKCTL_USER: a task edit recorded under the unit's name is still not
    one the unit can put back — one line, exit 1, nothing written."""
    role = pg.user("unit", UNIT)
    lead, co, foreign = own_and_foreign(pg, UNIT)
    monkeypatch.setenv("TASKCTL_USER", role)
    assert run("task", "edit", str(lead), "--title", "改过的标题").exit_code == 0
    monkeypatch.setenv("TASKCTL_USER", "tester")
    before = dump_ledger(pg.url)
    refused(as_role(pg, role, "undo", "--yes"), "cannot undo")
    assert dump_ledger(pg.url) == before
    assert pg.sql("SELECT title FROM task WHERE id = %s", lead) == [("改过的标题",)]


def test_a_units_update_refreshes_the_kept_facts_it_may_not_write(pg):
    """task_fact (0007) is kept by SECURITY DEFINER triggers: a unit's progress add, correction and delete
    reach it though the unit may not write it; the unit reads only its own tasks' rows."""
    import psycopg

    from taskctl import facts
    from taskctl.reader import close_reader, open_reader

    role = pg.user("unit", UNIT)
    lead, co, foreign = own_and_foreign(pg, UNIT)
    kept = lambda: pg.sql("SELECT percent FROM task_fact WHERE task_id = %s", lead)  # noqa: E731
    assert as_role(pg, role, "progress", "add", str(lead), "--percent", "61").exit_code == 0
    assert kept() == [(61.0,)]
    update = _update_of(pg, lead)
    assert as_role(pg, role, "progress", "edit", str(update), "--percent", "62").exit_code == 0
    assert kept() == [(62.0,)]
    assert as_role(pg, role, "progress", "delete", str(update)).exit_code == 0
    assert kept() != [(62.0,)]
    q = open_reader(pg.url)
    try:
        assert facts.mismatches(q) == []
    finally:
        close_reader(q)
    with psycopg.connect(pg.url_of(role)) as conn:
        seen = {r[0] for r in conn.execute("SELECT task_id FROM task_fact")}
        assert lead in seen and co in seen and foreign not in seen
        # UPDATE is granted for the write lock only: no policy lets a unit change a row
        assert conn.execute("UPDATE task_fact SET percent = 100 WHERE task_id = %s", (lead,)).rowcount == 0
    assert kept() != [(100.0,)]


def test_new_tables_are_open_to_the_office_and_closed_to_units(pg):
    """Default privileges (0006): a table a later revision adds is the office's at once; a unit reads it only
    once the revision scopes it to tasks (taskctl.roles.scope_to_tasks)."""
    import psycopg
    from sqlalchemy import create_engine

    from taskctl.roles import ledger_groups, scope_to_tasks

    unit_role, office_role = pg.user("unit", UNIT), pg.user("office")
    lead, co, foreign = own_and_foreign(pg, UNIT)
    with psycopg.connect(pg.url) as conn:  # as the owner, as a revision would
        conn.execute("CREATE TABLE future_note (id serial PRIMARY KEY, task_id integer NOT NULL, text text)")
        conn.execute("INSERT INTO future_note (task_id, text) VALUES (%s, 'mine'), (%s, 'not mine')", (lead, foreign))
    with psycopg.connect(pg.url_of(office_role)) as conn:
        conn.execute("INSERT INTO future_note (task_id, text) VALUES (%s, 'by the office')", (lead,))
        assert conn.execute("SELECT count(*) FROM future_note").fetchone()[0] == 3
    with psycopg.connect(pg.url_of(unit_role)) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM future_note")
    engine = create_engine(pg.url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            from sqlalchemy.orm import Session

            with Session(conn) as session:
                groups = ledger_groups(session)
            scope_to_tasks(conn, "future_note", groups)
    finally:
        engine.dispose()
    with psycopg.connect(pg.url_of(unit_role)) as conn:
        assert [r[0] for r in conn.execute("SELECT text FROM future_note ORDER BY id")] == ["mine", "by the office"]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO future_note (task_id, text) VALUES (%s, 'x')", (lead,))


def _alembic(url: str, verb: str, target: str) -> None:
    from alembic import command

    from taskctl.config import database_url
    from taskctl.db import _alembic_config, dispose_all, get_engine

    engine = get_engine(database_url(url))
    with engine.connect() as conn, conn.begin():
        getattr(command, verb)(_alembic_config(conn), target)
    dispose_all()


def test_downgrade_to_0004_and_upgrade_back_keep_the_data(pg):
    import psycopg

    role = pg.user("unit", UNIT)
    lead, co, foreign = own_and_foreign(pg, UNIT)
    assert as_role(pg, role, "progress", "delete", str(_update_of(pg, lead))).exit_code == 0
    data = ("task", "progress", "unit", "history", "notice")
    counts = {t: pg.sql(f"SELECT count(*) FROM {t}")[0][0] for t in data}

    _alembic(pg.url, "downgrade", "0005")
    assert pg.sql("SELECT version_num FROM alembic_version") == [("0005",)]
    assert pg.sql("SELECT count(*) FROM pg_policies WHERE policyname IN ('taskctl_unit_delete', "
                  "'taskctl_unit_answer', 'taskctl_unit_unanswer', 'taskctl_unit_withdraw')") == [(0,)]
    assert pg.sql("SELECT count(*) FROM pg_default_acl") == [(0,)]
    with psycopg.connect(pg.url_of(role)) as conn:  # 0005's rules again: no deletes for a unit
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM progress WHERE task_id = %s", (lead,))
    refused_open = run("task", "list")
    assert refused_open.exit_code == 3 and "0005" in refused_open.stderr, refused_open.stderr

    _alembic(pg.url, "downgrade", "0004")
    assert pg.sql("SELECT count(*) FROM pg_tables WHERE tablename IN ('ledger_user', 'close_request')") == [(0,)]
    assert pg.sql("SELECT count(*) FROM pg_policies WHERE schemaname = 'public'") == [(0,)]
    assert {t: pg.sql(f"SELECT count(*) FROM {t}")[0][0] for t in data} == counts

    result = run("db", "upgrade")
    assert result.exit_code == 0 and SCHEMA_HEAD in result.stdout, result.stdout + result.stderr
    assert {t: pg.sql(f"SELECT count(*) FROM {t}")[0][0] for t in data if t != "history"} == {
        t: n for t, n in counts.items() if t != "history"}
    # ledger_user came back empty with 0005: the person is added again, and the 0006 rules hold
    again = pg.user("unit", UNIT)
    result = as_role(pg, again, "progress", "delete", str(_update_of(pg, lead)))
    assert result.exit_code == 0, result.stdout + result.stderr
    refused(as_role(pg, again, "progress", "delete", str(_update_of(pg, co))), f"task {co} is not one of")


# ---------------------------------------------------------------- 申请销号 in the bulletin and the weekly file

def test_close_requested_in_the_bulletin_and_the_weekly_export(demo_env, tmp_path):
    from conftest import ok

    tid = 35
    plain = ok("bulletin", "preview")
    assert "closing has been requested" not in plain
    ok("task", "request-close", str(tid), "--note", "政策已兑现")
    text = ok("bulletin", "preview")
    assert f"closing has been requested for 1, awaiting the office's decision (items #{tid})" in text, text
    from taskctl.i18n import language, set_language

    was = language()
    set_language("zh")
    try:
        zh = ok("bulletin", "preview")
    finally:
        set_language(was)
    assert f"申请销号1项，待督查室审结（编号{tid}）" in zh, zh

    weekly = json.loads(ok("export", "weekly", "--format", "json"))
    flags = {r["id"]: r["close_requested"] for r in weekly["parts"]["open_tasks"]["rows"]}
    assert flags[tid] is True and sum(flags.values()) == 1
    assert weekly["parts"]["summary"]["totals"]["close_requested"] == 1
    md = ok("export", "weekly", "--format", "md")
    header = next(line for line in md.splitlines() if line.startswith("| ID") and "Closing requested" in line)
    row = next(line for line in md.splitlines() if line.startswith(f"| {tid} |"))
    assert len(header.split("|")) == len(row.split("|"))
    path = tmp_path / "weekly.xlsx"
    ok("export", "weekly", "--format", "xlsx", "-o", str(path))
    from openpyxl import load_workbook

    ws = load_workbook(path).worksheets[1]
    headers = [c.value for c in ws[1]]
    col = headers.index("Closing requested")
    marked = [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r[col] not in (None, "", False)]
    assert marked == [tid], marked
