"""The library API (docs/api.md): the documented example runs, settings are per ledger, errors by class."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run

DOCS = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def test_the_documented_example_runs(tmp_path):
    code = re.search(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S).group(1)
    code = code.replace("out/api-demo.db", str(tmp_path / "api.db"))
    env = {"PATH": "/usr/bin:/bin", "TASKCTL_LANG": "en", "HOME": str(tmp_path)}
    made = subprocess.run([sys.executable, "-m", "taskctl", "--db", str(tmp_path / "api.db"), "init", "--year",
                           "2023"], capture_output=True, text=True, env=env)
    assert made.returncode == 0, made.stderr
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "0 1"  # nothing overdue on 31 March (due 6月底前): a CSV of its header only
    assert lines[1] == "市发改委 30000"  # the 3-24 update left investment out: the 2-03 figure carries forward
    assert lines[2] == "1"
    assert "扩大投资" in lines[3] and "150" in lines[4]


def test_reports_take_names_and_ledger_dates(demo_env):
    from taskctl import Ledger

    with Ledger.open(demo_env) as ledger:
        report = ledger.overdue(as_of="3月底")
        cli = run("overdue", "--as-of", "2023-03-31", "--format", "json").stdout
        assert report.rows and report.to_json() == cli
        unit = report.rows[0]["lead_unit"]
        narrowed = ledger.overdue(as_of="2023-03-31", unit=unit)
        assert narrowed.rows and all(unit in ([r["lead_unit"]] + r["co_units"]) for r in narrowed.rows)
        by_unit = ledger.quarter("2023Q1", by="单位")
        assert by_unit.meta and by_unit.rows[0]["key"] != "investment"
        assert ledger.rank("2023Q1").to_csv().startswith("rank,") or "rank" in ledger.rank("2023Q1").to_csv()


def test_settings_belong_to_the_ledger_not_the_process(ledger_env, monkeypatch):
    from taskctl import Ledger

    monkeypatch.setenv("TASKCTL_USER", "environment-user")
    with Ledger.open(ledger_env, today="2023-02-01", user="张秘书") as ledger:
        row = ledger.add_task("库里加的任务", area="1")
        assert row["start"].isoformat() == "2023-02-01"  # the ledger's today, not TASKCTL_TODAY (2023-03-31)
        assert ledger.today().isoformat() == "2023-02-01"
    log = run("log", "--format", "json").stdout
    assert "张秘书" in log and "environment-user" not in log


def test_errors_are_caught_by_class_and_change_nothing(ledger_env):
    from conftest import dump_ledger
    from taskctl import InvalidValue, Ledger, NotFound, TaskctlError

    before = dump_ledger(ledger_env)
    with Ledger.open(ledger_env) as ledger:
        with pytest.raises(NotFound) as missing:
            ledger.add_task("x", area="扩大投资x")
        assert "扩大投资" in missing.value.message()
        with pytest.raises(InvalidValue):
            ledger.add_task("x", area="1", due="2月30日")
        with pytest.raises(TaskctlError):
            ledger.overdue(group_by="部门x")
    assert dump_ledger(ledger_env) == before


def test_importing_taskctl_stays_light():
    code = "import sys, taskctl; assert 'sqlalchemy' not in sys.modules; print(taskctl.Ledger.__name__)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Ledger"


# ---------------------------------------------------------------- one test per group of methods (issue 9)

def test_units_leaders_and_areas_by_name(ledger_env):
    from taskctl import Conflict, Ledger, NotFound

    with Ledger.open(ledger_env) as ledger:
        unit = ledger.add_unit("市发改委", kind="部门", aliases=["发改委"])
        assert (unit["name"], unit["kind"]) == ("市发改委", "department")
        ledger.add_unit("市财政局", kind="department")
        ledger.add_unit("双塔区", kind="县区")
        assert ledger.edit_unit("发改委", phone="0310-1234567")["changes"]
        assert ledger.edit_unit("发改委", phone="0310-1234567")["changes"] == []  # the same value: nothing changed
        assert ledger.add_leader("杜鑫", title="副市长")["name"] == "杜鑫"
        ledger.add_leader("王敏")
        area = ledger.add_area("digital", name="数字经济")
        row = ledger.add_task("数字化改造", area="数字经济", lead="发改委", co_units=["市财政局"], leader="杜鑫",
                              due="6月底前")
        assert (row["lead_unit"], row["co_units"], row["area"]) == ("市发改委", ["市财政局"], "digital")

        info, tasks = ledger.unit("发改委")
        assert info["name"] == "市发改委" and info["contact_phone"] == "0310-1234567"
        assert [r["id"] for r in tasks.rows] == [row["id"]]
        assert ledger.area(str(area["number"]))[0]["key"] == "digital"
        assert {r["name"] for r in ledger.units("部门").rows} == {"市发改委", "市财政局"}

        moved = ledger.reassign_units("市发改委", "双塔区")
        assert (moved["src"], moved["dst"], moved["lead"]) == ("市发改委", "双塔区", [row["id"]])
        assert ledger.task(row["id"])["lead_unit"] == "双塔区"
        assert ledger.reassign_leaders("杜鑫", "王敏")["tasks"] == [row["id"]]
        assert ledger.rename_unit("市发改委", "市发展改革委") == {"old": "市发改委", "new": "市发展改革委"}
        assert ledger.delete_unit("市发展改革委") == "市发展改革委"
        with pytest.raises(NotFound):
            ledger.unit("市发展改革委")
        with pytest.raises(Conflict):
            ledger.add_unit("双塔区", kind="county")
        assert ledger.merge_leaders("杜鑫", into="王敏")["kept"] == "王敏"
        assert [r["name"] for r in ledger.leaders().rows] == ["王敏"]


def test_progress_updates_and_the_lower_percent_note(ledger_env):
    from taskctl import InvalidValue, Ledger

    notes: list[str] = []
    with Ledger.open(ledger_env) as ledger:
        task = ledger.add_task("道路改造", area="1", start="2023-01-01", due="6月底前", invest=1000)
        first = ledger.add_progress(task["id"], percent=40, on="2月3日", invest_done=300, warn=notes.append)
        assert (first["percent"], first["on"].isoformat(), notes) == (40, "2023-02-03", [])
        second = ledger.add_progress(task["id"], percent=30, on="2023-03-01", warn=notes.append)
        assert len(notes) == 1 and "30" in notes[0] and "40" in notes[0]  # lower than before: told, recorded
        assert sorted(r["percent"] for r in ledger.progress(task["id"]).rows) == [30, 40]
        assert ledger.edit_progress(second["id"], percent=50) == ["percent"]
        assert ledger.task(task["id"])["percent"] == 50
        with pytest.raises(InvalidValue):
            ledger.add_progress(task["id"], percent=60, on="2023-04-30")  # after today (2023-03-31)
        assert ledger.delete_progress(second["id"]) == task["id"]
        assert ledger.task(task["id"])["percent"] == 40


def test_status_changes_and_the_two_step_closing(ledger_env):
    from taskctl import Conflict, InvalidValue, Ledger

    with Ledger.open(ledger_env) as ledger:
        task = ledger.add_task("供暖改造", area="1", start="2023-01-01", due="6月底前")
        asked = ledger.request_close(task["id"], note="已完工", on="3月20日")
        assert asked["on"].isoformat() == "2023-03-20"
        done = ledger.set_status(task["id"], "done", on="2023-03-25", note="验收通过")
        assert done["on"].isoformat() == "2023-03-25" and done["accepted"].isoformat() == "2023-03-20"
        assert ledger.task(task["id"])["status"] == "done"
        assert [r["id"] for r in ledger.tasks(status="已完成").rows] == [task["id"]]
        with pytest.raises(Conflict):
            ledger.set_status(task["id"], "done")  # a refused status change
        with pytest.raises(InvalidValue):
            ledger.set_status(task["id"], "finish")
        assert ledger.set_status(task["id"], "reopen")["accepted"] is None
        assert ledger.task(task["id"])["status"] == "active"


def test_extensions_move_the_due_date_in_force(ledger_env):
    from taskctl import InvalidValue, Ledger

    with Ledger.open(ledger_env) as ledger:
        task = ledger.add_task("征地拆迁", area="1", start="2023-01-01", due="3月15日")
        assert [r["id"] for r in ledger.overdue(as_of="3月20日").rows] == [task["id"]]
        with pytest.raises(InvalidValue):
            ledger.extend(task["id"], to="4月底", reason=None, on="2023-03-10")
        ext = ledger.extend(task["id"], to="4月底", reason="征地未完成", on="2023-03-10")
        assert (ext["old_due"].isoformat(), ext["new_due"].isoformat()) == ("2023-03-15", "2023-04-30")
        assert ledger.task(task["id"])["due"].isoformat() == "2023-04-30"
        assert ledger.overdue(as_of="3月20日").rows == []
        back = ledger.withdraw_extension(task["id"], ext["id"], reason="误批", on="2023-03-12")
        assert back["due"].isoformat() == "2023-03-15"
        assert [r["id"] for r in ledger.overdue(as_of="3月20日").rows] == [task["id"]]


def test_import_and_export_through_the_api(ledger_env, tmp_path):
    from conftest import dump_ledger
    from taskctl import Ledger
    from taskctl.transfer import ledger_export
    from taskctl.transfer.ledger_import import ImportFailed

    with Ledger.open(ledger_env) as ledger:
        ledger.add_unit("市发改委", kind="部门")
        ledger.add_task("重点项目集中开工", area="1", lead="市发改委", start="2023-01-01", due="6月底前")
        tables = ledger.ledger_tables(progress=True)
        assert len(tables) == 2 and len(tables[0].rows) == 1
        out = tmp_path / "ledger.csv"
        out.write_bytes(ledger_export.to_csv(tables[0]))
        again = ledger.import_tasks(out)
        assert (again.added, again.updated) == (0, 0)  # unchanged on re-import

        bad = tmp_path / "bad.csv"
        bad.write_text("area,title,due\n不存在的领域,新任务,6月底前\n1,另一个任务,2月30日\n", encoding="utf-8")
        before = dump_ledger(ledger_env)
        with pytest.raises(ImportFailed) as failed:
            ledger.import_tasks(bad)
        assert len(failed.value.result.errors) == 2  # every error, not the first only
        assert dump_ledger(ledger_env) == before

        good = tmp_path / "new.csv"
        good.write_text("area,title,lead_unit,due\n1,新任务,市发改委,9月底前\n", encoding="utf-8")
        assert ledger.import_tasks(good, dry_run=True).added == 1
        assert len(ledger.tasks().rows) == 1  # a dry run writes nothing
        assert ledger.import_tasks(good).added == 1
        assert len(ledger.tasks().rows) == 2
        doc = ledger.weekly(week="2023-W13")
        assert doc.row_count >= 2


def test_documents_through_the_api(ledger_env, tmp_path):
    from taskctl import Ledger

    with Ledger.open(ledger_env) as ledger:
        ledger.add_unit("市发改委", kind="部门")
        task = ledger.add_task("拖期的任务", area="1", lead="市发改委", start="2023-01-01", due="2月底前")
        preview = ledger.preview_bulletin(as_of="3月底")
        assert task["id"] in preview.overdue_ids
        assert ledger.bulletins().rows == []  # a preview records nothing
        issued = ledger.issue_bulletin(output=tmp_path / "通报.md")
        assert (tmp_path / "通报.md").read_text(encoding="utf-8").strip()
        assert [r["number"] for r in ledger.bulletins().rows] == [issued.number]

        slips = ledger.issue_notices([task["id"]], on="2023-03-31")
        assert len(slips["issued"]) == 1 and slips["slips"][0]["number"]
        listed = ledger.notices(slips=True).rows
        assert len(listed) == 1
        assert ledger.ladder().rows
        assert ledger.bulletin_config(office="市督查室")["office"] == "市督查室"


def test_history_and_undo_through_the_api(ledger_env):
    from taskctl import Ledger

    with Ledger.open(ledger_env, user="张秘书") as ledger:
        ledger.add_unit("市发改委", kind="部门")
        assert ledger.log().rows[0]["user"] == "张秘书"
        assert len(ledger.undoable().rows) == 1
        seen: list[dict] = []
        done = ledger.undo(confirm=seen.append)
        assert seen and seen[0]["id"] == done["id"] and done["rows"] >= 1
        assert ledger.units().rows == []
        assert ledger.check() == []
        assert ledger.info()["units"] == 0


def test_commands_are_thin_clients_of_the_api():
    """No command module opens a session or calls the recording core, the lists or the report builders
    itself: it parses options, calls one `Ledger` method and renders (issue 9)."""
    cli = Path(__file__).resolve().parent.parent / "taskctl" / "cli"
    core = re.compile(r"\bsession\b|from taskctl(\.| import )(ledger|views|reports(?!\.model)|snapshot|undo)\b"
                      r"|from taskctl\.documents import (bulletin|notices)\b|\.transaction\(")
    offenders = [f"{path.name}:{n}: {line.strip()}" for path in sorted(cli.glob("*.py"))
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if core.search(line)]
    assert offenders == []
