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
