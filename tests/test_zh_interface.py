"""Chinese all the way (issue 8, §6 and the Chinese choices of §4).

With ``--lang zh`` a user sees no English word they did not type: every command's ``--help`` (the
commands are discovered from the Click app, so commands added later are covered too) and the common
usage errors are run in Chinese in one subprocess (the language is settled before the commands are
defined), and every ASCII word left must be a command, an option, a choice or a value a user types.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata

import pytest

from conftest import run

PROBE = r"""
import json, sys
from taskctl.i18n import set_language
set_language(sys.argv[1])
from taskctl.cli.app import app
import typer.main
from typer.testing import CliRunner

root = typer.main.get_command(app)
allowed, commands = set(), []

def walk(cmd, path):
    commands.append(path)
    for p in cmd.params:
        for opt in list(getattr(p, "opts", [])) + list(getattr(p, "secondary_opts", [])):
            allowed.add(opt)
        envvar = getattr(p, "envvar", None)
        if isinstance(envvar, str):
            allowed.add(envvar)
        desc = getattr(p, "type_descriptor", None)
        for c in list(getattr(desc, "choices", None) or []) + list(getattr(getattr(p, "type", None), "choices", None) or []):
            allowed.add(str(getattr(c, "value", c)))
        meta = getattr(p, "metavar", None) or ""
        if "|" in meta:  # an enumerated option's values: <unit|area|leader>
            allowed.update(meta.strip("<>[]").split("|"))
    for name, sub in getattr(cmd, "commands", {}).items():
        allowed.add(name)
        walk(sub, path + [name])

walk(root, [])
runner = CliRunner()
out = {"help": {}, "errors": {}, "allowed": sorted(allowed)}
env = {"COLUMNS": "80", "TASKCTL_DB": sys.argv[2]}
for path in commands:
    r = runner.invoke(app, path + ["--help"], prog_name="taskctl", env=env)
    out["help"][" ".join(path)] = [r.exit_code, r.output]
for line in json.loads(sys.argv[3]):
    r = runner.invoke(app, line, prog_name="taskctl", env=env)
    out["errors"][" ".join(line)] = [r.exit_code, r.output]
print(json.dumps(out, ensure_ascii=False))
"""

# the common usage errors, each with what the user typed (allowed in the message)
USAGE_ERRORS = [
    ["task", "add"],  # Missing argument
    ["task", "list", "--bogus"],  # No such option
    ["task", "list", "--are"],  # No such option, with suggestions
    ["quarter", "--by", "xx"],  # not one of the choices
    ["overdue", "--group-by", "xx"],
    ["task", "list", "--format", "xml"],
    ["progress", "add", "1", "--percent", "abc"],  # not a number
    ["task", "list", "--limit", "-1"],  # out of range
    ["task", "list", "--area"],  # option needs a value
    ["task", "show", "1", "2"],  # extra argument
    ["task", "bogus"],  # no such command
    ["bogus"],
    ["task", "add", "x", "--area"],
    ["task", "add", "x"],  # Missing option
    ["export", "weekly", "--format", "pdf"],
    ["init", "--year", "1800"],
]
TYPED = {"bogus", "are", "xx", "xml", "abc", "x", "pdf"}
# values and names a user types or reads as names: area keys, status/stage/kind words, formats, date
# shortcuts, encodings, the program, the file formats and systems named in help
VALUES = {
    "taskctl", "investment", "upward", "structure", "attraction", "platform", "environment", "projects15",
    "active", "done", "paused", "cancelled", "started", "building", "producing", "effective",
    "county", "zone", "department", "enterprise", "soe", "table", "json", "csv", "md", "xlsx", "zh", "en",
    "eom", "eoq", "eoy", "today", "tomorrow", "ongoing", "d", "w", "utf", "utf8", "gbk", "gb", "gb18030", "bom", "sig",
    "help", "h", "csv", "xlsx", "json", "markdown", "tab", "sqlite", "postgresql", "sqlalchemy", "url", "excel", "docx", "iso", "id",
}


def _probe(lang: str, db: str) -> dict:
    env = dict(os.environ, TASKCTL_LANG=lang, COLUMNS="80")
    proc = subprocess.run([sys.executable, "-c", PROBE, lang, db, json.dumps(USAGE_ERRORS)], capture_output=True,
                          text=True, env=env, timeout=300, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _english_words(text: str, allowed: set[str]) -> set[str]:
    words = set()
    for token in re.findall(r"[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*", text):
        if token.lower() in allowed or f"--{token}" in allowed or f"-{token}" in allowed:
            continue
        parts = re.split(r"[-_]", token)
        if all(p.lower() in allowed or not p or re.fullmatch(r"[QW]?\d+|\d\w*", p) for p in parts):
            continue
        words.add(token)
    return words


def _cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@pytest.fixture(scope="module")
def zh(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("zh") / "ledger.db")
    return _probe("zh", db)


def _allowed(found: dict) -> set[str]:
    allowed = {VALUE for VALUE in VALUES} | TYPED
    for name in found["allowed"]:
        allowed.add(name.lower())
        allowed.update(p.lower() for p in re.split(r"[-_/]+", name.lstrip("-")) if p)
    return allowed


def test_every_help_is_chinese_and_fits_80_columns(zh):
    allowed = _allowed(zh)
    helps = zh["help"]
    assert len(helps) >= 40, "the command tree was not discovered"
    problems = {}
    for path, (code, text) in helps.items():
        assert code == 0, (path, text)
        assert "用法：" in text and "选项：" in text, path
        left = _english_words(text, allowed)
        if left:
            problems[path or "taskctl"] = sorted(left)
        wide = [line for line in text.splitlines() if _cells(line) > 80]
        assert not wide, (path, wide)
    assert not problems, problems


def test_command_lists_keep_their_chinese_short_help(zh):
    """Click shortens a help line at a space; Chinese has none, so without an explicit short help every
    command read "..." in `taskctl --help`."""
    for path, (code, text) in zh["help"].items():
        section = text.split("命令：", 1)
        if len(section) == 2:
            rows = [line for line in section[1].splitlines() if line.strip()]
            assert rows, path
            assert not any(line.rstrip().endswith("...") for line in rows), (path, rows)
    root = zh["help"][""][1]
    assert "重点任务：add、list" in root and "新建台账并写入六个聚焦领域" in root


def test_usage_errors_are_chinese(zh):
    allowed = _allowed(zh)
    for line in USAGE_ERRORS:
        code, text = zh["errors"][" ".join(line)]
        assert code == 2, (line, text)
        assert "错误：" in text and "Error" not in text and "Usage" not in text, (line, text)
        left = _english_words(text, allowed)
        assert not left, (line, left, text)
    assert "缺少参数 任务名称" in zh["errors"]["task add"][1]
    assert "没有选项 --bogus" in zh["errors"]["task list --bogus"][1]
    assert "--area" in zh["errors"]["task list --are"][1]
    assert "应为数字" in zh["errors"]["progress add 1 --percent abc"][1]
    assert "没有命令 bogus" in zh["errors"]["task bogus"][1]
    assert "缺少选项 --area/-a" in zh["errors"]["task add x"][1]
    assert "1800 应在 1990 至 2100 之间" in zh["errors"]["init --year 1800"][1]
    # metavars in Chinese: 任务编号 for an id argument, 日期 for a date option
    assert "{任务编号}" in zh["help"]["task show"][1]
    assert "--due <日期>" in zh["help"]["task add"][1]


def test_english_interface_keeps_clicks_words(tmp_path):
    found = _probe("en", str(tmp_path / "ledger.db"))
    code, text = found["errors"]["task list --bogus"]
    assert code == 2 and "Usage: taskctl task list" in text and "Error: No such option: --bogus" in text
    assert "Options:" in found["help"]["task add"][1]


# ---------------------------------------------------------------- Chinese choices (§4)

@pytest.mark.parametrize(("args", "word", "english"), [
    (["overdue", "--format", "json"], ["--group-by", "单位"], ["--group-by", "unit"]),
    (["overdue", "--format", "json"], ["--group-by", "领导"], ["--group-by", "leader"]),
    (["quarter", "2023Q1", "--format", "json"], ["--by", "领域"], ["--by", "area"]),
    (["quarter", "2023Q1", "--format", "json"], ["--by", "单位"], ["--by", "unit"]),
    (["unit", "list", "--format", "json"], ["--kind", "县区"], ["--kind", "county"]),
])
def test_enumerated_options_take_chinese_words(demo_env, args, word, english):
    a = run(*args, *word)
    b = run(*args, *english)
    assert a.exit_code == 0, a.output
    assert a.stdout == b.stdout
    doc = json.loads(a.stdout)
    rows = doc if isinstance(doc, list) else doc["rows"]
    assert rows


def test_a_wrong_choice_lists_both_words(demo_env):
    result = run("quarter", "--by", "县")
    assert result.exit_code == 2
    assert "area/领域" in result.output and "unit/单位" in result.output and "县" in result.output


# ---------------------------------------------------------------- history, stages and statuses in words

def test_log_progress_and_errors_speak_the_interface_language(demo_env):
    from taskctl.i18n import speaking

    assert run("task", "extend", "3", "--to", "2024-01-31", "--reason", "设计变更", "--on", "2023-03-30").exit_code == 0
    assert run("task", "done", "3", "--on", "2023-03-31").exit_code == 0
    assert run("progress", "add", "5", "--percent", "10", "--stage", "started", "--on", "2023-03-31").exit_code == 0
    with speaking("zh"):
        log = run("log", "--format", "md").stdout
        progress = run("progress", "list", "5", "--format", "md").stdout
        refused = run("task", "pause", "3")
    lines = log.splitlines()
    extend = next(x for x in lines if "设计变更" in x)
    assert "| 延期 |" in extend and "时限: 2023-12-31 → 2024-01-31" in extend and "日期: ∅ → 2023-03-30" in extend
    done = next(x for x in lines if "| 标记完成 |" in x)
    assert "状态: 在办 → 已完成" in done
    added = next(x for x in lines if "| 报送进展 |" in x)
    assert "阶段: ∅ → 开工" in added
    assert not re.search(r"task\.|on_date|\bdone\b|\bstarted\b|\bstatus\b", log)
    assert "| 开工 |" in progress and "started" not in progress
    assert refused.exit_code == 1
    assert "当前状态为 已完成，不能执行 暂缓" in refused.stderr
    # JSON keeps the stored English keys for scripts
    rows = json.loads(run("log", "--format", "json").stdout)
    assert {"task.extend", "task.done", "progress.add"} <= {r["action"] for r in rows}
    assert next(r for r in rows if r["action"] == "task.done")["changes"]["status"] == ["active", "done"]
