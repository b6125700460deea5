"""The weekly export (周报) on SQLite and PostgreSQL: its definitions, its agreement with
`quarter` and `overdue`, its formats, and the XLSX read back with openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from conftest import run

WEEK = "2023-W12"  # Monday 2023-03-20 .. Sunday 2023-03-26; today is pinned to 2023-03-31


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, f"{args}: {result.stdout}{result.stderr}"
    return result.stdout


def weekly_json(*args: str) -> dict:
    return json.loads(ok("export", "weekly", "--format", "json", *args))


@pytest.fixture
def week_ledger(ledger_env):
    """Tasks placed on either side of each edge of week 2023-W12."""
    ok("unit", "add", "市发改委", "--kind", "部门")
    ok("unit", "add", "双塔区", "--kind", "county")
    ok("leader", "add", "杜鑫")

    def add(title: str, due: str, area: str = "1", *extra: str) -> None:
        ok("task", "add", title, "--area", area, "--lead", "市发改委", "--due", due, "--start", "2023-01-01", *extra)

    add("到期于上周日", "2023-03-19")  # 1: overdue from Monday -> became overdue this week
    add("到期于上周六", "2023-03-18")  # 2: overdue before the week -> not new
    add("到期于本周六", "2023-03-25")  # 3: overdue on Sunday -> became overdue this week
    add("到期于本周日", "2023-03-26")  # 4: due on the as-of day -> not overdue
    add("本周完成", "2023-06-30", "2")  # 5
    ok("task", "done", "5", "--on", "2023-03-22")
    add("上周完成", "2023-06-30", "2")  # 6
    ok("task", "done", "6", "--on", "2023-03-17")
    add("=公式样标题", "2023-12-31", "3", "--leader", "杜鑫")  # 7: progress before and in the week
    ok("progress", "add", "7", "--percent", "10", "--on", "2023-03-19", "--note", "上周")
    ok("progress", "add", "7", "--percent", "25", "--on", "2023-03-20", "--note", "+周一")
    ok("progress", "add", "7", "--percent", "30", "--on", "2023-03-26", "--note", "周日")
    ok("progress", "add", "7", "--percent", "40", "--on", "2023-03-27", "--note", "下周")
    add("已取消", "2023-03-21", "4")  # 8: cancelled tasks are left out
    ok("task", "cancel", "8", "--on", "2023-03-01")
    ok("task", "instruct", "7", "--leader", "杜鑫", "--text", "加快推进", "--on", "2023-03-21")
    ok("task", "instruct", "7", "--leader", "杜鑫", "--text", "下周的批示", "--on", "2023-03-27")
    return ledger_env


def ids(part: dict) -> list[int]:
    return [r["id"] for r in part["rows"]]


def test_weekly_parts_follow_the_definitions(week_ledger):
    doc = weekly_json("--week", WEEK)
    assert (doc["report"], doc["week"], doc["from"], doc["to"], doc["as_of"], doc["quarter"]) == \
        ("weekly", WEEK, "2023-03-20", "2023-03-26", "2023-03-26", "2023Q1")
    parts = doc["parts"]
    assert list(parts) == ["summary", "open_tasks", "progressed", "became_overdue", "completed", "no_update",
                           "instructions"]
    assert sorted(ids(parts["became_overdue"])) == [1, 3]
    assert [r["days_overdue"] for r in parts["became_overdue"]["rows"]] == [7, 1]
    assert ids(parts["completed"]) == [5]
    assert parts["completed"]["rows"][0]["completed_on"] == "2023-03-22"
    assert [(r["id"], r["on"], r["percent"], r["change"], r["note"]) for r in parts["progressed"]["rows"]] == \
        [(7, "2023-03-20", 25, 15, "+周一"), (7, "2023-03-26", 30, 5, "周日")]
    assert sorted(ids(parts["open_tasks"])) == [1, 2, 3, 4, 7]
    seven = next(r for r in parts["open_tasks"]["rows"] if r["id"] == 7)
    assert (seven["percent"], seven["note"], seven["light"]) == (30, "周日", "green")
    assert sorted(ids(parts["no_update"])) == [1, 2, 3, 4]
    assert [(r["on"], r["instructed_by"], r["id"], r["text"]) for r in parts["instructions"]["rows"]] == \
        [("2023-03-21", "杜鑫", 7, "加快推进")]
    assert 8 not in {r["id"] for p in parts.values() for r in p["rows"] if "id" in r}


def test_weekly_agrees_with_quarter_and_overdue(demo_env):
    doc = weekly_json()  # this week: as of today, 2023-03-31
    assert doc["as_of"] == "2023-03-31"
    quarter = json.loads(ok("quarter", "2023Q1", "--format", "json"))
    assert doc["parts"]["summary"]["rows"] == quarter["rows"]
    assert doc["parts"]["summary"]["totals"] == quarter["totals"]
    overdue = json.loads(ok("overdue", "--format", "json"))
    by_id = {r["id"]: r for r in overdue["rows"]}
    for row in doc["parts"]["became_overdue"]["rows"]:
        assert by_id[row["id"]]["days_overdue"] == row["days_overdue"] and by_id[row["id"]]["due"] == row["due"]
    new = {r["id"] for r in doc["parts"]["became_overdue"]["rows"]}
    assert new == {r["id"] for r in overdue["rows"] if "2023-03-26" <= r["due"] <= "2023-03-30"}
    tasks = {r["id"]: r for r in json.loads(ok("task", "list", "--open", "--format", "json"))}
    for row in doc["parts"]["open_tasks"]["rows"]:
        assert (row["percent"], row["percent_expected"], row["light"]) == \
            (tasks[row["id"]]["percent"], tasks[row["id"]]["percent_expected"], tasks[row["id"]]["light"])
    # an earlier week agrees with the reports as of its Sunday
    earlier = weekly_json("--week", WEEK)
    quarter = json.loads(ok("quarter", "2023Q1", "--as-of", "2023-03-26", "--format", "json"))
    assert earlier["parts"]["summary"]["rows"] == quarter["rows"]


@pytest.mark.parametrize("fmt", ["csv", "json", "md"])
def test_repeat_exports_are_byte_identical(demo_env, tmp_path, fmt):
    out = tmp_path / "out"
    out.mkdir()
    first, second = out / f"a.{fmt}", out / f"b.{fmt}"
    ok("export", "weekly", "--week", WEEK, "-o", str(first))
    ok("export", "weekly", "--week", WEEK, "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert run("export", "weekly", "--week", WEEK, "--format", fmt).stdout_bytes == first.read_bytes()
    assert sorted(p.name for p in out.iterdir()) == [f"a.{fmt}", f"b.{fmt}"]  # no temporary files left


def test_csv_has_a_part_column_and_a_bom(week_ledger, tmp_path):
    data = run("export", "weekly", "--week", WEEK, "--format", "csv").stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    parts = [r["part"] for r in rows]
    assert parts.count("became_overdue") == 2 and parts.count("progressed") == 2
    summary = [r for r in rows if r["part"] == "summary"]
    assert summary[-1]["key"] == "total" and summary[-1]["name"] == ""
    titles = {r["title"] for r in rows if r["part"] == "open_tasks"}
    assert "'=公式样标题" in titles  # neutralised
    notes = [r["note"] for r in rows if r["part"] == "progressed"]
    assert notes == ["'+周一", "周日"]
    # -o DIR: one CSV per part, each with its own columns
    out = tmp_path / "parts"
    out.mkdir()
    ok("export", "weekly", "--week", WEEK, "-o", str(out))
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"weekly-{WEEK}-{n}-{p}.csv" for n, p in enumerate(
        ["summary", "open_tasks", "progressed", "became_overdue", "completed", "no_update", "instructions"], 1)]
    overdue = (out / f"weekly-{WEEK}-4-became_overdue.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert overdue[0].startswith("id,area,area_name,title") and len(overdue) == 3


def test_markdown_has_headed_sections(week_ledger):
    md = ok("export", "weekly", "--week", WEEK, "--format", "md")
    assert md.startswith("# Weekly status 2023-W12 (2023-03-20 to 2023-03-26), as of 2023-03-26")
    for heading in ("## Summary by focus area (2023Q1)", "## Open tasks (5)", "## Progress this week (2)",
                    "## Became overdue this week (2)", "## Completed this week (1)", "## No update this week (4)",
                    "## Leader instructions this week (1)"):
        assert heading in md
    assert "| **Total** |" in md


def test_xlsx_read_back(week_ledger, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "周报-2023-W12.xlsx"
    assert "wrote" in ok("export", "weekly", "--week", WEEK, "-o", str(path))
    doc = weekly_json("--week", WEEK)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Open tasks", "Progress this week", "Became overdue this week",
                             "Completed this week", "No update this week", "Leader instructions this week"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
    summary = wb["Summary"]
    header = [c.value for c in summary[1]]
    assert header[:2] == ["Focus area", "Tasks"]
    rows = doc["parts"]["summary"]["rows"]
    for i, row in enumerate(rows, start=2):
        values = {h: summary.cell(i, j + 1).value for j, h in enumerate(header)}
        assert values["Focus area"] == row["name"] and values["Tasks"] == row["tasks"]
        cells = [summary.cell(i, j).value for j in range(1, len(header) + 1)]
        assert row["percent_actual"] in cells and row["percent_expected"] in cells
    total_row = len(rows) + 2
    assert summary.cell(total_row, 1).value == "Total" and summary.cell(total_row, 1).font.b
    assert summary.cell(total_row, 2).value == doc["parts"]["summary"]["totals"]["tasks"]
    # the native chart refers to the summary's cells: actual and expected by area
    chart = summary._charts[0]
    refs = [(s.tx.strRef.f, s.val.numRef.f, s.cat.strRef.f if s.cat.strRef else s.cat.numRef.f) for s in chart.series]
    last = len(rows) + 1
    col_a = chr(ord("A") + [c.value for c in summary[1]].index(_label("percent_actual")))
    col_e = chr(ord("A") + [c.value for c in summary[1]].index(_label("percent_expected")))
    assert refs == [(f"'Summary'!{col_a}1", f"'Summary'!${col_a}$2:${col_a}${last}", f"'Summary'!$A$2:$A${last}"),
                    (f"'Summary'!{col_e}1", f"'Summary'!${col_e}$2:${col_e}${last}", f"'Summary'!$A$2:$A${last}")]
    # open tasks: dates are dates, percents numbers, lights coloured, formula-like text stored as text
    ws = wb["Open tasks"]
    header = [c.value for c in ws[1]]
    by_id = {ws.cell(r, 1).value: {h: ws.cell(r, j + 1) for j, h in enumerate(header)}
             for r in range(2, ws.max_row + 1)}
    seven = by_id[7]
    assert seven["Task"].data_type == "s" and seven["Task"].value == "=公式样标题"
    assert seven["Due"].is_date and seven["Due"].value == dt.datetime(2023, 12, 31)
    assert seven["Progress"].value == 30 and seven["Progress"].data_type == "n"
    assert seven["Light"].value == "green" and seven["Light"].fill.fgColor.rgb.endswith("C6EFCE")
    assert by_id[1]["Light"].value == "red" and by_id[1]["Light"].fill.fgColor.rgb.endswith("FFC7CE")
    expected = {r["id"]: r for r in doc["parts"]["open_tasks"]["rows"]}
    for task_id, cells in by_id.items():
        assert cells["Progress"].value == expected[task_id]["percent"]
        assert cells["Expected"].value == expected[task_id]["percent_expected"]
    progress = wb["Progress this week"]
    note_col = [c.value for c in progress[1]].index("Latest note") + 1
    assert progress.cell(2, note_col).value == "+周一" and progress.cell(2, note_col).data_type == "s"
    # widths fitted to Chinese text
    assert ws.column_dimensions["C"].width >= 2 * len("=公式样标题")


def _label(key: str) -> str:
    from taskctl.i18n import t

    return t(f"col.{key}")


def test_weekly_in_chinese(week_ledger, tmp_path):
    from openpyxl import load_workbook

    from taskctl.i18n import language, set_language

    path = tmp_path / "周报.xlsx"
    before = language()
    set_language("zh")  # the CLI settles the language before it is built; in-process we set it here
    try:
        ok("export", "weekly", "--week", WEEK, "-o", str(path))
        md = ok("export", "weekly", "--week", WEEK, "--format", "md")
    finally:
        set_language(before)
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["分领域汇总", "在办任务", "本周进展"]
    assert wb["在办任务"].cell(1, 3).value == "任务"
    assert "## 本周新增逾期 (2)" in md and "红灯" in md and "| **合计** |" in md


def test_weekly_errors(week_ledger, tmp_path):
    result = run("export", "weekly", "--week", "2023-W20", "--format", "json")
    assert result.exit_code == 1 and "has not begun" in result.stderr
    result = run("export", "weekly", "--week", WEEK, "--as-of", "2023-03-28", "--format", "json")
    assert result.exit_code == 1 and "not in 2023-W12" in result.stderr
    assert run("export", "weekly", "--week", "2023-W99").exit_code == 1
    missing = tmp_path / "no" / "such" / "dir" / "w.json"
    result = run("export", "weekly", "--week", WEEK, "-o", str(missing))
    assert result.exit_code == 1 and "cannot write" in result.stderr and "Traceback" not in result.stderr
    assert run("export", "weekly", "--format", "pdf").exit_code == 2


def test_as_of_inside_the_week_and_filters(week_ledger):
    doc = weekly_json("--as-of", "2023-03-22")
    assert (doc["week"], doc["as_of"]) == (WEEK, "2023-03-22")
    assert sorted(ids(doc["parts"]["became_overdue"])) == [1]
    assert ids(doc["parts"]["completed"]) == [5]
    only = weekly_json("--week", WEEK, "--area", "2")
    assert ids(only["parts"]["completed"]) == [5] and only["parts"]["open_tasks"]["rows"] == []
    assert [r["key"] for r in only["parts"]["summary"]["rows"]] == ["upward"]
