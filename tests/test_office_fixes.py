"""Issue 8 (office fixes), sections 1–4, through the CLI on SQLite and PostgreSQL.

The ledger fixture is a 2023 ledger and TASKCTL_TODAY is 2023-03-31 (conftest):
a ledger of the current year, typed in on 31 March.
"""

from __future__ import annotations

import json

import pytest

from conftest import dump_ledger, run


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, f"{args}: {result.stdout}{result.stderr}"
    return result.stdout


def as_json(*args: str):
    return json.loads(ok(*args, "--format", "json"))


def refused(url: str, *args: str, says: str) -> str:
    """The command fails with one line naming the problem and changes nothing."""
    before = dump_ledger(url)
    result = run(*args)
    assert result.exit_code == 1, f"{args}: {result.stdout}{result.stderr}"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert dump_ledger(url) == before
    return lines[0]


@pytest.fixture
def units(ledger_env):
    ok("unit", "add", "市发改委", "--kind", "部门", "--alias", "发改委")
    ok("unit", "add", "双塔区", "--kind", "county")
    ok("unit", "add", "市工信局", "--kind", "部门")
    ok("leader", "add", "杜鑫", "--title", "市委常委、副市长")
    ok("leader", "add", "段家喜", "--title", "副市长")
    return ledger_env


def task_row(task_id: int, as_of: str | None = None) -> dict:
    args = ["task", "show", str(task_id)] + (["--as-of", as_of] if as_of else [])
    return as_json(*args)


# ---------------------------------------------------------------- 1. start default

def test_a_task_starts_on_the_day_it_is_typed_in(units):
    immediate = as_json("task", "add", "立行立改的整改", "--area", "6", "--lead", "市发改委", "--due", "立行立改")
    assert immediate["start"] == "2023-03-31" and immediate["due"] == "2023-03-31"
    assert immediate["state"] == "not_started" and immediate["light"] == "yellow"  # due today: not yet overdue
    half_year = as_json("task", "add", "上半年任务", "--area", "1", "--lead", "市发改委", "--due", "6月底前")
    assert half_year["start"] == "2023-03-31"
    assert half_year["percent_expected"] == 0 and half_year["state"] == "on_track"  # not "not started" at once
    assert as_json("overdue")["rows"] == []


def test_a_past_years_ledger_is_back_filled_from_1_january(units, monkeypatch):
    monkeypatch.setenv("TASKCTL_TODAY", "2024-02-10")  # the 2023 ledger typed in next year
    row = as_json("task", "add", "补录任务", "--area", "1", "--lead", "市发改委", "--due", "3月底前")
    assert row["start"] == "2023-01-01"
    monkeypatch.setenv("TASKCTL_TODAY", "2022-12-20")  # prepared before the year begins
    assert as_json("task", "add", "预备任务", "--area", "1", "--due", "年底前")["start"] == "2023-01-01"


def test_an_explicit_start_still_wins(units):
    assert as_json("task", "add", "年初任务", "--area", "1", "--start", "1月1日", "--due", "6月底前")["start"] == "2023-01-01"


def _reports_before_today() -> dict[str, object]:
    """Every report at dates before today (2023-03-31), as JSON."""
    out: dict[str, object] = {}
    for d in ("2023-01-16", "2023-02-15", "2023-03-03", "2023-03-30"):
        out[f"overdue {d}"] = as_json("overdue", "--as-of", d)
        out[f"due-soon {d}"] = as_json("due-soon", "--as-of", d, "--days", "60")
        out[f"stale {d}"] = as_json("stale", "--as-of", d, "--days", "7")
        out[f"quarter {d}"] = as_json("quarter", "2023Q1", "--as-of", d, "--by", "unit")
        out[f"rank {d}"] = as_json("rank", "--quarter", "2023Q1", "--as-of", d)
    for week in ("2023-W03", "2023-W09", "2023-W12"):
        out[f"weekly {week}"] = json.loads(ok("export", "weekly", "--week", week, "--format", "json"))
    return out


def test_adding_tasks_today_never_changes_a_report_of_an_earlier_date(units, tmp_path):
    """PRODUCT.md: recording a task today never changes a report as of an earlier date."""
    ok("task", "add", "年初任务", "--area", "1", "--lead", "市发改委", "--start", "2023-01-01", "--due", "3月15日")
    ok("progress", "add", "1", "--percent", "30", "--on", "2023-02-01", "--invest-done", "100")
    ok("task", "add", "二月任务", "--area", "2", "--lead", "双塔区", "--start", "2023-02-01", "--due", "年底前")
    before = _reports_before_today()
    assert before["overdue 2023-03-30"]["rows"], "the baseline must have something to change"
    for due in ("立行立改", "3月底前", "6月底前", "年底前", "长期坚持", "一季度", "eom", "+3d"):
        ok("task", "add", f"今天交办：{due}", "--area", "1", "--lead", "市发改委", "--due", due)
    path = tmp_path / "t.csv"
    path.write_text("聚焦领域,任务,牵头单位,完成时限\n扩大投资,导入的任务,市发改委,立行立改\n", encoding="utf-8-sig")
    ok("import", "tasks", str(path))
    assert len(as_json("task", "list")) == 2 + 8 + 1
    assert _reports_before_today() == before


def test_an_imported_row_without_a_start_starts_today(units, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("聚焦领域,任务,牵头单位,完成时限\n扩大投资,导入的任务,市发改委,立行立改\n", encoding="utf-8-sig")
    ok("import", "tasks", str(path))
    row = as_json("task", "list")[0]
    assert (row["start"], row["due"], row["state"]) == ("2023-03-31", "2023-03-31", "not_started")


# ---------------------------------------------------------------- 2. figures carry forward

def test_investment_and_stage_carry_forward_percent_does_not(units):
    ok("task", "add", "风光储项目", "--area", "1", "--lead", "市发改委", "--start", "2023-01-01", "--due", "年底前",
       "--invest", "200000")
    ok("progress", "add", "1", "--percent", "10", "--on", "2023-02-01", "--invest-done", "92000", "--stage", "开工")
    ok("progress", "add", "1", "--percent", "13", "--on", "2023-03-01")
    row = task_row(1)
    assert (row["percent"], row["invest_done"], row["stage"]) == (13, 92000, "started")
    q = as_json("quarter", "2023Q1")
    investment = next(r for r in q["rows"] if r["key"] == "investment")
    assert investment["invest_done"] == 92000 and investment["invest_planned"] == 200000
    # before any figure was reported there is none; a later figure replaces the earlier one
    assert task_row(1, "2023-01-31")["invest_done"] is None
    ok("progress", "add", "1", "--percent", "20", "--on", "2023-03-20", "--invest-done", "120000", "--stage", "building")
    assert (task_row(1)["invest_done"], task_row(1)["stage"]) == (120000, "building")
    assert (task_row(1, "2023-03-10")["invest_done"], task_row(1, "2023-03-10")["stage"]) == (92000, "started")


# ---------------------------------------------------------------- 3. extensions

@pytest.fixture
def extended(units):
    ok("task", "add", "园区扩区", "--area", "5", "--lead", "市工信局", "--start", "2023-01-01", "--due", "2月28日")
    ok("task", "extend", "1", "--to", "3月20日", "--reason", "用地报批延后", "--on", "2023-02-20")
    return units


def test_an_extension_must_move_the_deadline_later(extended):
    refused(extended, "task", "extend", "1", "--to", "3月20日", "--reason", "同日", says="2023-03-20")
    refused(extended, "task", "extend", "1", "--to", "3月1日", "--reason", "提前", says="task edit 1 --due")
    ok("task", "add", "长期任务", "--area", "1", "--lead", "市发改委", "--start", "2023-01-01", "--due", "长期坚持")
    refused(extended, "task", "extend", "2", "--to", "6月底", "--reason", "x", says="no deadline")
    assert task_row(1)["extensions"] == 1


def test_an_extension_is_dated_between_the_last_one_and_today(extended):
    refused(extended, "task", "extend", "1", "--to", "4月30日", "--reason", "x", "--on", "2023-04-01",
            says="after today (2023-03-31)")
    refused(extended, "task", "extend", "1", "--to", "4月30日", "--reason", "x", "--on", "2023-02-10",
            says="2023-02-20")
    ok("task", "extend", "1", "--to", "4月30日", "--reason", "再次延期", "--on", "2023-03-10")
    assert (task_row(1)["due"], task_row(1)["extensions"]) == ("2023-04-30", 2)


def test_a_withdrawn_extension_leaves_earlier_reports_alone(extended):
    ok("task", "extend", "1", "--to", "4月30日", "--reason", "再次延期", "--on", "2023-03-10")
    ext_ids = [e["id"] for e in task_row(1)["events"] if e["kind"] == "extension"]
    assert len(ext_ids) == 2
    refused(extended, "task", "extend", "1", "--withdraw", str(ext_ids[0]), says=f"#{ext_ids[1]}")
    before_15th = {k: v for k, v in task_row(1, "2023-03-15").items() if k != "events"}
    ok("task", "extend", "1", "--withdraw", str(ext_ids[1]), "--on", "2023-03-25", "--reason", "报批已完成")
    now = task_row(1)
    assert (now["due"], now["extensions"], now["state"]) == ("2023-03-20", 1, "overdue")
    assert {k: v for k, v in task_row(1, "2023-03-15").items() if k != "events"} == before_15th  # in force until withdrawn: reports sent stay true
    assert as_json("overdue", "--as-of", "2023-03-24")["rows"] == []
    assert [r["id"] for r in as_json("overdue", "--as-of", "2023-03-25")["rows"]] == [1]
    refused(extended, "task", "extend", "1", "--withdraw", str(ext_ids[1]), says="withdrawn")
    log = run("log", "1").stdout
    assert "task.extend_withdraw" in log or "撤回" in log or "withdraw" in log


def test_edit_due_on_an_extended_task_corrects_the_extension(extended):
    ok("task", "edit", "1", "--due", "3月15日")
    row = task_row(1)
    assert (row["due"], row["original_due"], row["extensions"]) == ("2023-03-15", "2023-02-28", 1)
    assert "extension_due" in run("log", "1").stdout
    refused(extended, "task", "edit", "1", "--due", "2月27日", says="--withdraw")


# ---------------------------------------------------------------- 4. dates, ids, names, housekeeping

def test_nothing_is_dated_after_today(units):
    ok("task", "add", "任务", "--area", "1", "--lead", "市发改委", "--start", "2023-01-01", "--due", "年底前")
    for args in (("progress", "add", "1", "--percent", "10", "--on", "2023-04-01"),
                 ("task", "done", "1", "--on", "4月5日"),
                 ("task", "instruct", "1", "--leader", "杜鑫", "--text", "抓紧", "--on", "2023-04-01")):
        refused(units, *args, says="2023-03-31")
    ok("progress", "add", "1", "--percent", "10", "--on", "2023-03-01")
    update_id = as_json("progress", "list", "1")[0]["id"]
    refused(units, "progress", "edit", str(update_id), "--on", "tomorrow", says="2023-03-31")


def test_a_lower_percent_is_recorded_with_a_warning(units):
    ok("task", "add", "任务", "--area", "1", "--lead", "市发改委", "--start", "2023-01-01", "--due", "年底前")
    ok("progress", "add", "1", "--percent", "40", "--on", "2023-02-01")
    result = run("progress", "add", "1", "--percent", "30", "--on", "2023-03-01")
    assert result.exit_code == 0 and "40%" in result.stderr and "30%" in result.stderr
    assert task_row(1)["percent"] == 30
    quiet = run("progress", "add", "1", "--percent", "50", "--on", "2023-03-02")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_a_deleted_tasks_id_is_never_given_again(units, tmp_path):
    for n in range(3):
        ok("task", "add", f"任务{n + 1}", "--area", "1", "--lead", "市发改委")
    ok("task", "delete", "3", "--yes")
    assert as_json("task", "add", "新任务", "--area", "1")["id"] == 4
    ok("task", "delete", "4", "--yes")
    path = tmp_path / "t.csv"
    path.write_text("聚焦领域,任务,牵头单位\n扩大投资,导入任务,市发改委\n", encoding="utf-8-sig")
    ok("import", "tasks", str(path))
    assert [r["id"] for r in as_json("task", "list")] == [1, 2, 5]
    log = run("log", "4").stdout
    assert "新任务" in log and "导入任务" not in log and "任务3" not in log


@pytest.mark.parametrize("option,value,hint", [("--area", "扩大投资x", "扩大投资"), ("--unit", "市发改", "市发改委"),
                                               ("--leader", "杜", "杜鑫")])
def test_names_in_options_must_match_exactly(units, option, value, hint):
    result = run("task", "list", option, value)
    assert result.exit_code == 1 and hint in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_the_importer_still_reads_area_headings_as_ledgers_write_them(units, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("聚焦领域,任务,牵头单位\n聚焦扩大投资,甲任务,市发改委\n一、聚焦营商环境,乙任务,市发改委\n",
                    encoding="utf-8-sig")
    ok("import", "tasks", str(path))
    assert [r["area"] for r in as_json("task", "list")] == ["investment", "environment"]


@pytest.fixture
def staffed(units):
    ok("unit", "add", "发改委（重复）", "--kind", "部门", "--alias", "市发展改革委")
    ok("task", "add", "甲", "--area", "1", "--lead", "发改委（重复）", "--with", "双塔区", "--leader", "杜鑫",
       "--start", "2023-01-01")
    ok("task", "add", "乙", "--area", "1", "--lead", "双塔区", "--with", "发改委（重复）", "--with", "市发改委",
       "--leader", "段家喜", "--start", "2023-01-01")
    ok("task", "add", "丙", "--area", "2", "--lead", "发改委（重复）", "--leader", "杜鑫", "--start", "2023-01-01")
    ok("task", "done", "3", "--on", "2023-03-01")
    ok("progress", "add", "1", "--percent", "20", "--on", "2023-02-01")
    ok("task", "instruct", "1", "--leader", "段家喜", "--text", "加快推进", "--on", "2023-02-02")
    return units


def test_unit_merge_moves_every_task_and_keeps_the_name_as_an_alias(staffed):
    log_before = run("log").stdout
    ok("unit", "merge", "发改委（重复）", "--into", "市发改委")
    rows = {r["id"]: r for r in as_json("task", "list")}
    assert rows[1]["lead_unit"] == "市发改委" and rows[3]["lead_unit"] == "市发改委"
    assert rows[2]["co_units"] == ["市发改委"]  # no duplicate co-operating unit
    assert set(as_json("unit", "show", "发改委（重复）")["aliases"]) >= {"发改委", "发改委（重复）", "市发展改革委"}
    assert [u["name"] for u in as_json("unit", "list")].count("发改委（重复）") == 0
    log_after = run("log").stdout
    assert log_after.count("发改委（重复）") >= log_before.count("发改委（重复）")  # history is never rewritten
    assert "unit.merge" in log_after


def test_unit_delete_is_refused_while_tasks_name_it(staffed):
    refused(staffed, "unit", "delete", "双塔区", says="unit reassign")
    ok("unit", "delete", "市工信局")
    assert "市工信局" not in [u["name"] for u in as_json("unit", "list")]


def test_unit_reassign_in_one_transaction_and_one_history_entry(staffed):
    entries = len(as_json("log"))
    ok("unit", "reassign", "发改委（重复）", "市工信局", "--open")
    rows = {r["id"]: r for r in as_json("task", "list")}
    assert rows[1]["lead_unit"] == "市工信局" and rows[3]["lead_unit"] == "发改委（重复）"  # 3 is done: not open
    assert "市工信局" in rows[2]["co_units"] and "发改委（重复）" not in rows[2]["co_units"]
    assert len(as_json("log")) == entries + 1
    ok("unit", "reassign", "发改委（重复）", "市工信局")
    assert as_json("task", "show", "3")["lead_unit"] == "市工信局"
    ok("unit", "delete", "发改委（重复）")


def test_leader_merge_delete_and_reassign(staffed):
    ok("leader", "add", "杜鑫同志", "--title", "副市长")
    ok("task", "add", "丁", "--area", "3", "--leader", "杜鑫同志", "--start", "2023-01-01")
    refused(staffed, "leader", "delete", "杜鑫同志", says="leader reassign")
    ok("leader", "merge", "杜鑫同志", "--into", "杜鑫")
    assert as_json("task", "show", "4")["leader"] == "杜鑫"
    assert [r["id"] for r in as_json("task", "list", "--leader", "杜鑫同志")] == [1, 3, 4]  # the old name still finds
    ok("leader", "reassign", "杜鑫", "段家喜", "--open")
    assert {r["id"]: r["leader"] for r in as_json("task", "list")} == {1: "段家喜", 2: "段家喜", 3: "杜鑫", 4: "段家喜"}
    refused(staffed, "leader", "delete", "段家喜", says="instructions")
    ok("leader", "reassign", "杜鑫", "段家喜")
    ok("leader", "delete", "杜鑫")
    assert [x["name"] for x in as_json("leader", "list")] == ["段家喜"]


def test_upgrading_a_0001_ledger_loses_nothing_and_remembers_deleted_ids(staffed):
    """Revision 0002 on a ledger with data in every 0001 table (made by downgrading a full ledger)."""
    from alembic import command
    from sqlalchemy import text

    from taskctl.config import database_url
    from taskctl.db import _alembic_config, dispose_all, get_engine, upgrade

    ok("task", "edit", "1", "--due", "3月31日")
    ok("task", "extend", "1", "--to", "6月30日", "--reason", "延期", "--on", "2023-02-10")
    ok("task", "add", "将删除", "--area", "1", "--start", "2023-01-01")
    ok("task", "delete", "4", "--yes")
    url = database_url(staffed)
    engine = get_engine(url)
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0001")
    dispose_all()
    engine = get_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    old = dump_ledger(staffed)
    for table in ("area", "unit", "unit_alias", "leader", "task", "task_unit", "progress", "status_change",
                  "extension", "instruction", "history", "setting"):
        assert old[table], f"the 0001 ledger must hold {table} rows"
    upgrade(engine)
    dispose_all()
    new = dump_ledger(staffed)
    for table, rows in old.items():
        if table in ("alembic_version", "extension", "setting"):
            continue
        if table in ("task", "unit"):  # revision 0003 adds report_rule, empty
            assert [r[:-1] for r in new[table]] == rows and all(r[-1] == "None" for r in new[table]), table
            continue
        assert new[table] == rows, table
    assert len(new["extension"]) == len(old["extension"])
    assert [r[:-2] for r in new["extension"]] == old["extension"]  # two new columns, empty
    assert as_json("task", "add", "新任务", "--area", "1")["id"] == 5  # 4 was deleted before the upgrade
