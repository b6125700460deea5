"""The recording half through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations


import pytest

from conftest import as_json, dump_ledger, ok, run


@pytest.fixture
def basic(ledger_env):
    ok("unit", "add", "市发改委", "--kind", "部门", "--alias", "发改委", "--contact", "张明", "--phone", "13900000001")
    ok("unit", "add", "双塔区", "--kind", "county")
    ok("unit", "add", "国家电投朝阳公司", "--kind", "央企", "--alias", "国家电投")
    ok("leader", "add", "杜鑫", "--title", "市委常委、副市长")
    ok("leader", "add", "段家喜", "--title", "市委常委、副市长")
    return ledger_env


def test_init_seeds_six_areas_and_refuses_to_reinit(ledger_env):
    areas = as_json("area", "list")
    assert [(a["number"], a["key"], a["name"]) for a in areas] == [
        (1, "investment", "扩大投资"), (2, "upward", "向上争取"), (3, "structure", "结构调整"),
        (4, "attraction", "招商引资"), (5, "platform", "平台建设"), (6, "environment", "营商环境")]
    assert "三争取" in areas[1]["description"] and "五好" in areas[4]["description"]
    before = dump_ledger(ledger_env)
    result = run("init", "--year", "2024")
    assert result.exit_code == 0 and "already exists" in result.stdout
    assert dump_ledger(ledger_env) == before


@pytest.mark.parametrize("ref", ["4", "attraction", "招商引资", "Attracting investment"])
def test_area_is_addressed_by_number_key_or_name(ledger_env, ref):
    shown = as_json("area", "show", ref)
    assert shown["key"] == "attraction" and shown["tasks"] == []


def test_area_add_numbers_after_the_six(ledger_env):
    ok("area", "add", "projects15", "--name", "十五项重大工程", "--name-en", "Fifteen major projects")
    areas = as_json("area", "list")
    assert areas[-1]["number"] == 7 and areas[-1]["key"] == "projects15"
    ok("task", "add", "重大工程一", "--start", "2023-01-01", "--area", "十五项重大工程")
    assert as_json("task", "list", "--area", "7")[0]["area"] == "projects15"


def test_units_kinds_aliases_contact_and_rename(basic):
    units = {u["name"]: u for u in as_json("unit", "list")}
    assert units["市发改委"]["kind"] == "department" and units["市发改委"]["aliases"] == ["发改委"]
    assert units["国家电投朝阳公司"]["kind"] == "soe"
    assert units["市发改委"]["contact_phone"] == "13900000001"
    ok("unit", "edit", "发改委", "--contact", "李华", "--add-alias", "发展改革委")
    ok("unit", "rename", "双塔区", "双塔新区")
    units = {u["name"]: u for u in as_json("unit", "list")}
    assert units["市发改委"]["contact_person"] == "李华"
    assert units["市发改委"]["aliases"] == ["发改委", "发展改革委"]
    assert units["双塔新区"]["aliases"] == ["双塔区"]
    # the old name still resolves to the renamed unit
    ok("task", "add", "旧名可用", "--start", "2023-01-01", "--area", "1", "--lead", "双塔区")
    assert as_json("task", "list")[0]["lead_unit"] == "双塔新区"
    assert as_json("unit", "show", "双塔区")["name"] == "双塔新区"


def test_leaders(basic):
    ok("leader", "edit", "段家喜", "--title", "副市长")
    leaders = as_json("leader", "list")
    assert [(x["name"], x["title"]) for x in leaders] == [("杜鑫", "市委常委、副市长"), ("段家喜", "副市长")]


def test_task_add_with_every_field(basic):
    row = as_json("task", "add", "重点项目集中开工", "--area", "investment", "--lead", "发改委",
                  "--with", "双塔区", "--with", "国家电投", "--leader", "杜鑫", "--due", "2023-06-30",
                  "--start", "2023-02-01", "--invest", "120000", "--target", "Q1=20,Q2=60,Q3=80,Q4=100",
                  "--tag", "开门红", "--tag", "央地合作", "--ref", "1-3", "--source", "调度会",
                  "--detail", "一季度集中开工", "--works-start", "2023-03-15", "--production", "2023-12-31")
    assert row["id"] == 1 and row["area"] == "investment" and row["lead_unit"] == "市发改委"
    assert row["co_units"] == ["双塔区", "国家电投朝阳公司"] and row["leader"] == "杜鑫"
    assert (row["start"], row["due"], row["due_text"]) == ("2023-02-01", "2023-06-30", "2023-06-30")
    assert row["tags"] == ["央地合作", "开门红"] and row["ref"] == "1-3" and row["invest_planned"] == 120000
    assert row["status"] == "active" and row["state"] == "not_started" and row["light"] == "yellow"
    # 2023-03-31 is the Q1 point: expected = Q1 target exactly
    assert row["percent_expected"] == 20 and row["percent"] is None and row["last_update"] is None
    shown = as_json("task", "show", "1")
    assert shown["targets"] == {"Q1": 20, "Q2": 60, "Q3": 80, "Q4": 100}
    assert shown["works_start"] == "2023-03-15" and shown["detail"] == "一季度集中开工"


@pytest.mark.parametrize("typed,expected", [("3月底前", "2023-03-31"), ("一季度", "2023-03-31"),
                                            ("年底前", "2023-12-31"), ("长期坚持", None), ("立行立改", "2023-03-31"),
                                            ("2023/6/30", "2023-06-30")])
def test_due_dates_as_ledgers_write_them(ledger_env, typed, expected):
    row = as_json("task", "add", "任务", "--area", "1", "--due", typed)
    assert row["due"] == expected and row["due_text"] == typed


def test_task_edit_and_delete(basic):
    ok("task", "add", "任务甲", "--start", "2023-01-01", "--area", "1", "--lead", "市发改委", "--with", "双塔区", "--tag", "a")
    row = as_json("task", "edit", "1", "--title", "任务乙", "--area", "6", "--lead", "双塔区", "--no-with",
                  "--leader", "杜鑫", "--due", "6月30日前", "--tag", "b")
    assert (row["title"], row["area"], row["lead_unit"], row["co_units"], row["leader"]) == (
        "任务乙", "environment", "双塔区", [], "杜鑫")
    assert row["due"] == "2023-06-30" and row["due_text"] == "6月30日前" and row["tags"] == ["b"]
    ok("progress", "add", "1", "--percent", "10", "--on", "2023-02-01")
    assert run("task", "delete", "1").exit_code == 1  # no terminal: needs --yes
    ok("task", "delete", "1", "--yes")
    assert as_json("task", "list") == []
    log = as_json("log")
    assert log[0]["action"] == "task.delete" and log[0]["task_id"] == 1


def test_status_changes_are_dated_and_replayed(basic):
    ok("task", "add", "任务", "--start", "2023-01-01", "--area", "1", "--lead", "市发改委", "--due", "2023-03-15")
    ok("progress", "add", "1", "--percent", "100", "--on", "2023-03-20")
    ok("task", "done", "1", "--on", "2023-03-20")
    before = as_json("task", "list", "--as-of", "2023-03-19")[0]
    after = as_json("task", "list")[0]
    assert (before["status"], before["state"], before["light"]) == ("active", "overdue", "red")
    assert (after["status"], after["state"], after["light"], after["done_late"]) == ("done", "done", "green", True)
    ok("task", "reopen", "1", "--on", "2023-03-25")
    assert as_json("task", "list")[0]["state"] == "overdue"
    ok("task", "pause", "1", "--on", "2023-03-28")
    row = as_json("task", "list")[0]
    assert row["state"] == "paused" and row["light"] is None
    ok("task", "cancel", "1", "--on", "2023-03-29")
    assert as_json("task", "list", "--status", "cancelled")[0]["state"] == "cancelled"
    assert as_json("task", "list", "--open") == []
    assert as_json("task", "list", "--as-of", "2023-03-26", "--open")[0]["id"] == 1
    # a status change dated before the last one would rewrite history: refused
    result = run("task", "reopen", "1", "--on", "2023-03-01")
    assert result.exit_code == 1 and "before the last status change" in result.stderr


def test_extension_moves_due_from_the_day_granted(basic):
    ok("task", "add", "任务", "--start", "2023-01-01", "--area", "1", "--due", "3月15日前")
    ok("task", "extend", "1", "--to", "4月30日", "--reason", "资金未到位", "--on", "2023-03-20")
    before = as_json("task", "list", "--as-of", "2023-03-19")[0]
    after = as_json("task", "list")[0]
    assert (before["due"], before["state"], before["extensions"]) == ("2023-03-15", "overdue", 0)
    assert (after["due"], after["due_text"], after["original_due"], after["extensions"]) == (
        "2023-04-30", "4月30日", "2023-03-15", 1)
    assert after["state"] != "overdue"
    events = as_json("task", "show", "1")["events"]
    assert events[0]["kind"] == "extension" and "资金未到位" in events[0]["text"]


def test_instruction_by_known_leader(basic):
    ok("task", "add", "任务", "--start", "2023-01-01", "--area", "1")
    ok("task", "instruct", "1", "--leader", "杜鑫", "--text", "加快推进", "--on", "2023-02-10")
    events = as_json("task", "show", "1")["events"]
    assert events == [{"on": "2023-02-10", "kind": "instruction", "id": 1, "text": "杜鑫: 加快推进", "by": "tester"}]


def test_progress_add_list_edit_delete(basic):
    ok("task", "add", "任务", "--start", "2023-01-01", "--area", "1", "--due", "2023-12-31")
    row = as_json("progress", "add", "1", "--percent", "30", "--invest-done", "500", "--stage", "开工",
                  "--on", "2023-03-03", "--note", "已开工", "--problems", "用地", "--next", "加快")
    assert row == {"id": 1, "task_id": 1, "on": "2023-03-03", "percent": 30, "invest_done": 500,
                   "stage": "started", "note": "已开工", "problems": "用地", "next": "加快", "recorded_by": "tester"}
    ok("progress", "add", "1", "--percent", "35.5", "--on", "2023-03-10")
    ok("progress", "edit", "2", "--percent", "36", "--note", "更正")
    updates = as_json("progress", "list", "1")
    assert [(u["percent"], u["note"]) for u in updates] == [(30, "已开工"), (36, "更正")]
    task = as_json("task", "list")[0]
    assert task["percent"] == 36 and task["last_update"] == "2023-03-10"
    assert as_json("task", "list", "--as-of", "2023-03-05")[0]["percent"] == 30
    ok("progress", "delete", "2")
    assert as_json("task", "list")[0]["percent"] == 30
    actions = [h["action"] for h in as_json("log", "1")]
    assert actions == ["progress.delete", "progress.edit", "progress.add", "progress.add", "task.add"]


def test_history_records_who_and_old_new_values(basic, monkeypatch):
    ok("task", "add", "任务", "--start", "2023-01-01", "--area", "1", "--due", "2023-06-30")
    monkeypatch.setenv("TASKCTL_USER", "王丽")
    ok("task", "edit", "1", "--due", "2023-09-30")
    entry = as_json("log", "1")[0]
    assert entry["user"] == "王丽" and entry["action"] == "task.edit"
    assert entry["changes"]["due"] == ["2023-06-30", "2023-09-30"]
    assert entry["changes"]["due_text"] == ["2023-06-30", "2023-09-30"]


def test_list_filters(basic):
    ok("task", "add", "甲", "--start", "2023-01-01", "--area", "1", "--lead", "市发改委", "--leader", "杜鑫", "--tag", "开门红")
    ok("task", "add", "乙", "--start", "2023-01-01", "--area", "2", "--lead", "双塔区", "--with", "市发改委")
    ok("task", "add", "丙", "--start", "2023-01-01", "--area", "1", "--lead", "双塔区", "--leader", "段家喜")
    ok("task", "add", "丁", "--start", "2023-01-01", "--area", "3")
    ids = lambda *a: [r["id"] for r in as_json("task", "list", *a)]  # noqa: E731
    assert ids() == [1, 3, 2, 4]  # area order, then id
    assert ids("--area", "1") == [1, 3]
    assert ids("--unit", "发改委") == [1, 2]  # lead or co-operating
    assert ids("--leader", "段家喜") == [3]
    assert ids("--tag", "开门红") == [1]
    assert ids("--unassigned") == [4]


def test_formats_csv_md(basic):
    ok("task", "add", "=危险公式", "--start", "2023-01-01", "--area", "1", "--lead", "市发改委")
    raw = run("task", "list", "--format", "csv").stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id,ref,area,area_name,title,lead_unit,co_units")
    assert ",'=危险公式," in text
    md = ok("task", "list", "--format", "md")
    assert "| =危险公式 |" in md and md.startswith("## ")


def test_table_output_has_title_and_footer(basic):
    ok("task", "add", "甲", "--start", "2023-01-01", "--area", "1", "--lead", "市发改委", "--due", "2023-03-01")
    out = ok("task", "list")
    assert "Task ledger as of 2023-03-31" in out and "overdue" in out and "red" in out and "1 tasks" in out
    assert "\x1b[" not in out  # not a terminal: plain


# ---------------------------------------------------------------- bad input changes nothing

BAD_INPUT = [
    (("task", "add", "x", "--start", "2023-01-01", "--area", "nowhere"), "no focus area"),
    (("task", "add", "x", "--start", "2023-01-01", "--area", "1", "--lead", "市发改"), 'did you mean "市发改委"'),
    (("task", "add", "x", "--start", "2023-01-01", "--area", "1", "--leader", "杜新"), "no leader"),
    (("task", "add", "  ", "--start", "2023-01-01", "--area", "1"), "must not be empty"),
    (("task", "add", "x", "--area", "1", "--start", "2023-05-01", "--due", "2023-03-31"), "before the start"),
    (("task", "add", "x", "--start", "2023-01-01", "--area", "1", "--due", "2月30日"), "2月30日"),
    (("task", "add", "x", "--start", "2023-01-01", "--area", "1", "--due", "下个月吧"), "下个月吧"),
    (("task", "add", "x", "--start", "2023-01-01", "--area", "1", "--target", "Q1=50,Q2=20"), "must not decrease"),
    (("task", "add", "x", "--start", "2023-01-01", "--area", "1", "--invest", "-5"), "negative"),
    (("task", "edit", "99", "--title", "y"), "no task with id 99"),
    (("task", "done", "99"), "no task with id 99"),
    (("progress", "add", "1", "--percent", "150"), "between 0 and 100"),
    (("progress", "add", "1", "--percent", "-1"), "between 0 and 100"),
    (("progress", "add", "1", "--percent", "50", "--stage", "太空"), "unknown stage"),
    (("progress", "add", "1", "--percent", "50", "--on", "2022-12-01"), "before the task's start"),
    (("progress", "edit", "99", "--percent", "5"), "no progress update"),
    (("unit", "add", "市发改委", "--kind", "部门"), "exists already"),
    (("unit", "add", "发改委", "--kind", "部门"), "exists already"),
    (("unit", "add", "新单位", "--kind", "外星"), "unknown unit kind"),
    (("unit", "rename", "双塔区", "市发改委"), "exists already"),
    (("leader", "add", "杜鑫"), "exists already"),
    (("task", "instruct", "1", "--leader", "王五", "--text", "加快"), "no leader"),
    (("task", "extend", "1", "--to", "长期坚持", "--reason", "x"), "needs a date"),
    (("task", "extend", "1", "--to", "2023-06-30", "--reason", " "), "must not be empty"),
    (("task", "pause", "2"), "cannot pause"),
    (("task", "list", "--as-of", "昨天的昨天"), "昨天的昨天"),
    (("task", "list", "--status", "sleeping"), "unknown status"),
    (("area", "add", "Bad Key", "--name", "坏"), "area key"),
]


@pytest.mark.parametrize("args,needle", BAD_INPUT, ids=[" ".join(a[:3]) for a, _ in BAD_INPUT])
def test_bad_input_is_one_line_exit_1_and_changes_nothing(basic, args, needle):
    ok("task", "add", "任务", "--start", "2023-01-01", "--area", "1", "--lead", "市发改委")
    ok("task", "add", "已完成", "--start", "2023-01-01", "--area", "1")
    ok("progress", "add", "2", "--percent", "100", "--on", "2023-03-01")
    ok("task", "done", "2", "--on", "2023-03-01")
    before = dump_ledger(basic)
    result = run(*args)
    assert result.exit_code == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert needle in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert dump_ledger(basic) == before


def test_malformed_option_is_a_usage_error(basic):
    ok("task", "add", "任务", "--start", "2023-01-01", "--area", "1")
    before = dump_ledger(basic)
    result = run("progress", "add", "1", "--percent", "abc")
    assert result.exit_code == 2
    assert dump_ledger(basic) == before


def test_no_ledger_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TASKCTL_DB", str(tmp_path / "missing.db"))
    result = run("task", "list")
    assert result.exit_code == 3 and "taskctl init" in result.stderr
    assert not (tmp_path / "missing.db").exists()


def test_quarterly_targets_follow_the_ledger_year_for_carried_over_tasks(ledger_env):
    """A task started in 2022 with 2023 targets: Q1 target reached on 2023-03-31, not 100% all year."""
    row = as_json("task", "add", "跨年项目", "--area", "1", "--start", "2022-10-01", "--due", "2023-12-31",
                  "--target", "Q1=40,Q2=60,Q3=80,Q4=100")
    assert row["percent_expected"] == 40
    mid = as_json("task", "list", "--as-of", "2023-05-15")[0]
    # 40 + (60-40) * 45/91 days = 49.89 -> 49.9
    assert mid["percent_expected"] == 49.9


def test_status_words_and_amounts_as_people_write_them():
    from taskctl.ledger import parse_number, status_word

    assert [status_word(w) for w in ("已完成", "Done", "暂缓", "撤销", "在办", "睡觉")] == [
        "done", "done", "paused", "cancelled", "active", None]
    assert parse_number("1.2亿", "invest") == 12000 and parse_number("3,000万元", "invest") == 3000


@pytest.mark.parametrize("as_of", ["2023-03-01", "2023-03-18", "2023-03-31"])
def test_snapshot_in_force_filters_match_judging_every_task(demo_env, as_of):
    """Selecting by the due date and status in force on D in SQL gives the rows a full pass would."""
    import datetime as dt

    from taskctl.config import database_url
    from taskctl.db import open_ledger, transaction
    from taskctl.snapshot import Filters, snapshot

    d = dt.date.fromisoformat(as_of)
    with transaction(open_ledger(database_url(demo_env))) as session:
        everything = snapshot(session, d)
        late = snapshot(session, d, Filters(open_only=True, due_to=d - dt.timedelta(days=1)))
        soon = snapshot(session, d, Filters(open_only=True, due_from=d, due_to=d + dt.timedelta(days=14)))
    assert [f.id for f in late] == [f.id for f in everything if f.status == "active" and f.due and f.due < d]
    assert {f.id for f in late} >= {f.id for f in everything if f.state == "overdue"}
    assert [f.id for f in soon] == [f.id for f in everything
                                    if f.status == "active" and f.due and d <= f.due <= d + dt.timedelta(days=14)]
    assert late and soon
