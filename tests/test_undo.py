"""taskctl undo: each kind of change reverted exactly (every table as it was), one command = one change,
undo twice, the undo recorded, and a refusal (exit 4) over someone else's later change."""

from __future__ import annotations

import json

import pytest

from conftest import dump_ledger, run


def ok(*args: str, user: str | None = None, monkeypatch=None):
    result = run(*args)
    assert result.exit_code == 0, f"{args}: {result.stdout}{result.stderr}"
    return result


def content(url: str) -> dict:
    """Every row of every table but the history (which keeps growing: the change, then its undo) and the
    task-id high-water mark (which never goes back: an undone task's id is not given again)."""
    out = {k: v for k, v in dump_ledger(url).items() if k != "history"}
    out["setting"] = [r for r in out.get("setting", []) if r[0] != "task_id_high"]
    return out


def write_csv(tmp_path) -> str:
    path = tmp_path / "tasks.csv"
    path.write_text("工作任务,聚焦领域,牵头单位,配合单位,完成时限,标签\n"
                    "导入任务甲,1,市发改委,双塔区,6月底前,导入\n导入任务乙,2,新建单位,,年底前,\n", encoding="utf-8")
    return str(path)


CHANGES = {
    "task add": [("task", "add", "新任务", "--area", "1", "--lead", "发改委", "--with", "双塔区", "--tag", "新",
                  "--target", "Q1=10,Q2=40,Q3=70,Q4=100")],
    "task edit": [("task", "edit", "1", "--title", "改名", "--lead", "双塔区", "--with", "北票市", "--tag", "改",
                   "--leader", "贾洪琳", "--due", "2023-11-30")],
    "task delete": [("task", "delete", "4", "--yes")],  # with its progress, extensions, instructions, units, tags
    "task done": [("task", "done", "1", "--on", "2023-03-31")],
    "task pause": [("task", "pause", "3")],
    "task extend": [("task", "extend", "1", "--to", "2024-03-31", "--reason", "延期理由")],
    "task extend --withdraw": [("task", "extend", "24", "--withdraw", "2", "--reason", "撤回")],
    "task instruct": [("task", "instruct", "1", "--leader", "杜鑫", "--text", "抓紧推进")],
    "progress add": [("progress", "add", "1", "--percent", "40", "--note", "新进展")],
    "progress edit": [("progress", "edit", "1", "--percent", "12", "--note", "改过")],
    "progress delete": [("progress", "delete", "1")],
    "unit add": [("unit", "add", "新单位", "--kind", "部门", "--alias", "新单")],
    "unit edit": [("unit", "edit", "发改委", "--contact", "李华", "--add-alias", "发展改革委")],
    "unit rename": [("unit", "rename", "双塔区", "双塔新区")],
    "unit merge": [("unit", "merge", "双塔区", "--into", "龙城区")],
    "unit reassign": [("unit", "reassign", "双塔区", "龙城区", "--open")],
    "leader merge": [("leader", "merge", "贾洪琳", "--into", "杜鑫")],
    "leader reassign": [("leader", "reassign", "杜鑫", "段家喜", "--open")],
    "leader add": [("leader", "add", "新领导", "--title", "副市长")],
    "leader edit": [("leader", "edit", "杜鑫", "--title", "市长")],
    "area add": [("area", "add", "projects15", "--name", "十五项重大工程")],
}


@pytest.mark.parametrize("kind", list(CHANGES))
def test_each_kind_of_change_is_reverted_exactly(demo_env, kind):
    before = content(demo_env)
    for args in CHANGES[kind]:
        ok(*args)
    changed = content(demo_env)
    assert changed != before, "the change changed nothing: the test would prove nothing"
    result = ok("undo", "--yes")
    assert "undid" in result.stdout
    assert content(demo_env) == before
    log = json.loads(ok("log", "--format", "json").stdout)
    assert log[0]["action"] == "undo" and log[0]["user"] == "tester"  # the undo itself is recorded
    assert run("db", "check").exit_code == 0


@pytest.mark.parametrize("kind", ["unit", "leader"])
def test_a_delete_of_a_unit_or_leader_is_reverted_exactly(demo_env, kind):
    if kind == "unit":
        ok("unit", "add", "待删单位", "--kind", "部门", "--alias", "待删", "--contact", "王五")
    else:
        ok("leader", "add", "待删领导", "--title", "副市长")
    before = content(demo_env)
    ok(kind, "delete", "待删单位" if kind == "unit" else "待删领导")
    assert content(demo_env) != before
    ok("undo", "--yes")
    assert content(demo_env) == before


def test_an_import_is_one_change(demo_env, tmp_path):
    before = content(demo_env)
    ok("import", "tasks", write_csv(tmp_path), "--create-units")
    assert len(json.loads(ok("task", "list", "--format", "json").stdout)) == 38
    ok("undo", "--yes")
    assert content(demo_env) == before


def test_the_demo_load_is_one_change_and_the_ledger_stays(demo_env):
    listed = json.loads(ok("undo", "--list", "--format", "json").stdout)
    assert [r["action"] for r in listed] == ["demo.load"] and listed[0]["rows"] > 300
    ok("undo", "--yes")
    info = json.loads(ok("db", "info", "--format", "json").stdout)
    assert info["tasks"] == 0 and info["units"] == 0 and info["progress"] == 0
    assert info["areas"] == 6 and info["year"] == 2023  # the ledger itself is not undone
    result = run("undo", "--yes")
    assert result.exit_code == 1 and "no change to undo" in result.stderr


def test_undo_twice_reverts_the_change_before(demo_env):
    start = content(demo_env)
    ok("progress", "add", "1", "--percent", "40")
    middle = content(demo_env)
    ok("task", "edit", "1", "--title", "第二次")
    ok("undo", "--yes")
    assert content(demo_env) == middle
    ok("undo", "--yes")
    assert content(demo_env) == start


def test_undo_refuses_over_another_users_later_change(demo_env, monkeypatch):
    ok("task", "edit", "2", "--title", "甲改的")
    monkeypatch.setenv("TASKCTL_USER", "李四")
    ok("task", "edit", "2", "--title", "乙又改")
    monkeypatch.setenv("TASKCTL_USER", "tester")
    before = dump_ledger(demo_env)
    result = run("undo", "--yes")
    assert result.exit_code == 4
    assert "李四" in result.stderr and "task.edit" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert dump_ledger(demo_env) == before  # refused: nothing written


def test_undo_refuses_to_remove_a_task_someone_else_reported_on(demo_env, monkeypatch):
    ok("task", "add", "甲的任务", "--area", "1", "--lead", "发改委")
    monkeypatch.setenv("TASKCTL_USER", "李四")
    ok("progress", "add", "37", "--percent", "10")
    monkeypatch.setenv("TASKCTL_USER", "tester")
    result = run("undo", "--yes")
    assert result.exit_code == 4 and "李四" in result.stderr and "progress.add" in result.stderr


def test_undo_reverts_only_your_own_changes(demo_env, monkeypatch):
    ok("unit", "add", "甲的单位", "--kind", "部门")
    monkeypatch.setenv("TASKCTL_USER", "李四")
    ok("leader", "add", "乙的领导")  # another user's change on other rows does not block
    monkeypatch.setenv("TASKCTL_USER", "tester")
    ok("undo", "--yes")
    units = {u["name"] for u in json.loads(ok("unit", "list", "--format", "json").stdout)}
    leaders = {x["name"] for x in json.loads(ok("leader", "list", "--format", "json").stdout)}
    assert "甲的单位" not in units and "乙的领导" in leaders


def test_undo_without_a_terminal_needs_yes(demo_env):
    ok("progress", "add", "1", "--percent", "40")
    before = dump_ledger(demo_env)
    result = run("undo")
    assert result.exit_code == 1 and "--yes" in result.stderr
    assert dump_ledger(demo_env) == before


def test_an_undone_tasks_id_is_not_given_again(demo_env):
    ok("task", "add", "将被撤销", "--area", "1")
    ok("undo", "--yes")
    row = json.loads(ok("task", "add", "新的任务", "--area", "1", "--format", "json").stdout)
    assert row["id"] == 38  # 37 went to the undone task, whose history keeps it
