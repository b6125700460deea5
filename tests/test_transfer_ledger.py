"""Ledger export and import (issue 5) through the CLI, on SQLite and PostgreSQL.

Every input file is made here, as offices make them: GBK and UTF-8-with-BOM
CSVs from Excel, XLSX with merged title rows above the header, real date
cells, a percent-formatted cell and an area merged down a block of rows.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from conftest import PG_ADMIN, as_json, dump_ledger, ok, require_pg, run

HEADER = ["序号", "聚焦领域", "工作任务", "具体内容", "牵头单位", "配合单位", "责任领导", "开始时间", "完成时限",
          "计划投资（万元）", "标签", "备注"]


def tasks() -> list[dict]:
    return as_json("task", "list")


def history_count(url: str) -> int:
    return len(dump_ledger(url)["history"])


@pytest.fixture
def office(ledger_env):
    """Units (one with an alias) and leaders an office ledger names."""
    ok("unit", "add", "市发改委", "--kind", "部门", "--alias", "发改委")
    ok("unit", "add", "双塔区", "--kind", "county")
    ok("unit", "add", "龙城区", "--kind", "county")
    ok("unit", "add", "市商务局", "--kind", "部门", "--alias", "商务局")
    ok("leader", "add", "杜鑫", "--title", "市委常委、副市长")
    ok("leader", "add", "段家喜")
    return ledger_env


def write_csv(path, rows: list[list[str]], encoding: str) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


OFFICE_ROWS = [
    ["2023年全市重点工作督办台账", "", "", "", "", "", "", "", "", "", "", ""],
    ["填报单位：市委督查室", "", "", "", "", "", "", "", "", "", "", ""],
    HEADER,
    ["1", "扩大投资", "重大项目集中开工", "一季度开工项目30个", "发改委", "双塔区、龙城区", "杜鑫", "", "3月底前",
     "1,200", "开门红", "注意"],
    ["2", "聚焦向上争取", "争取专项债券", "", "市发改委", "双塔区 龙城区", "段家喜", "2023-02-01", "上半年",
     "", "三争取、专项债", ""],
    ["3", "营商环境", "巡视反馈问题整改", "", "商务局", "", "", "", "长期坚持", "", "", ""],
]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_import_office_csv_in_gbk_or_utf8_bom(office, tmp_path, encoding):
    path = tmp_path / "台账.csv"
    write_csv(path, OFFICE_ROWS, encoding)
    before = history_count(office)
    result = run("import", "tasks", str(path))
    assert result.exit_code == 0, result.stderr
    assert "3 rows read, 3 added, 0 updated, 0 skipped" in result.stdout
    assert "备注" in result.stderr  # the unknown column is reported and ignored
    rows = {r["title"]: r for r in tasks()}
    first = rows["重大项目集中开工"]
    assert (first["area"], first["lead_unit"], first["co_units"], first["leader"]) == \
        ("investment", "市发改委", ["双塔区", "龙城区"], "杜鑫")
    # no start cell: the day it is imported (PRODUCT.md: a task counts from the day it is assigned)
    assert (first["due"], first["due_text"], first["start"], first["ref"]) == ("2023-03-31", "3月底前", "2023-03-31", "1")
    assert first["invest_planned"] == 1200 and first["tags"] == ["开门红"]
    second = rows["争取专项债券"]
    assert (second["area"], second["due"], second["due_text"], second["start"]) == \
        ("upward", "2023-06-30", "上半年", "2023-02-01")
    assert second["co_units"] == ["双塔区", "龙城区"] and second["tags"] == ["三争取", "专项债"]
    third = rows["巡视反馈问题整改"]
    assert (third["due"], third["due_text"], third["lead_unit"]) == (None, "长期坚持", "市商务局")
    assert history_count(office) == before + 1  # one entry for the whole import


def test_encoding_override_and_a_wrong_guess(office, tmp_path):
    path = tmp_path / "gbk.csv"
    write_csv(path, OFFICE_ROWS, "gbk")
    before = dump_ledger(office)
    wrong = run("import", "tasks", str(path), "--encoding", "utf-8")
    assert wrong.exit_code == 1 and "not valid utf-8" in wrong.stderr
    assert run("import", "tasks", str(path), "--encoding", "nonsense").exit_code == 1
    assert dump_ledger(office) == before
    ok("import", "tasks", str(path), "--encoding", "gbk")
    assert len(tasks()) == 3


def make_office_xlsx(path) -> None:
    """An office workbook: merged title rows, header on row 3, a heading row, an area merged down, date cells."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["2023年全市重点工作督办台账"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位：市委督查室", None, None, None, "日期：2023年2月1日"])
    ws.merge_cells("A2:D2")
    ws.append(["序号", "聚焦领域", "工作任务", "牵头单位", "配合单位", "责任领导", "开始时间", "完成\n时限",
               "计划投资\n（万元）"])
    ws.append(["一、聚焦扩大投资"])
    ws.merge_cells("A4:I4")
    ws.append([1, None, "重点项目开复工", "发改委", "双塔区", "杜鑫", dt.datetime(2023, 1, 15), dt.datetime(2023, 4, 30), 3500])
    ws.append([2, None, "=SUM(项目储备)", "双塔区", None, None, None, "6月底前", None])
    ws["C6"].data_type = "s"  # text typed like a formula (Excel's quote prefix), not a formula
    ws.append([3, "招商引资", "签约亿元项目", "商务局", None, "段家喜", None, dt.date(2023, 9, 30), 800.5])
    ws.append([4, None, "举办招商推介会", "商务局", "龙城区", None, None, "三季度", None])
    ws.merge_cells("B7:B8")  # the area merged down over two tasks
    wb.save(path)


def test_import_office_xlsx_with_merged_title_rows_and_date_cells(office, tmp_path):
    path = tmp_path / "台账.xlsx"
    make_office_xlsx(path)
    out = ok("import", "tasks", str(path))
    assert "5 rows read, 4 added, 0 updated, 1 skipped" in out  # the heading row is skipped
    rows = {r["title"]: r for r in tasks()}
    first = rows["重点项目开复工"]
    assert (first["area"], first["start"], first["due"], first["due_text"], first["invest_planned"]) == \
        ("investment", "2023-01-15", "2023-04-30", "2023-04-30", 3500)
    formula = rows["=SUM(项目储备)"]  # text typed like a formula stays text
    assert (formula["area"], formula["due"], formula["due_text"]) == ("investment", "2023-06-30", "6月底前")
    assert rows["签约亿元项目"]["area"] == "attraction" and rows["签约亿元项目"]["invest_planned"] == 800.5
    assert rows["举办招商推介会"]["area"] == "attraction" and rows["举办招商推介会"]["due"] == "2023-09-30"
    assert rows["举办招商推介会"]["co_units"] == ["龙城区"]


def test_every_error_is_reported_and_nothing_is_imported(office, tmp_path):
    path = tmp_path / "bad.csv"
    write_csv(path, [
        ["聚焦领域", "工作任务", "牵头单位", "责任领导", "完成时限", "计划投资"],
        ["扩大投资", "好任务", "发改委", "杜鑫", "3月底前", "100"],
        ["扩大投资", "", "发改委", "", "", ""],
        ["无此领域", "任务乙", "发改委", "", "", ""],
        ["扩大投资", "任务丙", "不存在局", "王五", "明年某天", "很多"],
        ["扩大投资", "任务丁", "另一个局", "", "2023-13-01", "-5"],
        ["扩大投资", "好任务", "发改委", "", "", ""],
    ], "utf-8-sig")
    before = dump_ledger(office)
    result = run("import", "tasks", str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("row 3, 工作任务:") for line in lines)
    assert any(line.startswith("row 4, 聚焦领域:") for line in lines)
    assert any(line.startswith("row 5, 完成时限:") and "明年某天" in line for line in lines)
    assert any(line.startswith("row 5, 计划投资:") for line in lines)
    assert any(line.startswith("row 6, 完成时限:") for line in lines)
    assert any(line.startswith("row 6, 计划投资:") for line in lines)
    assert any(line.startswith("row 7") and "row 2" in line for line in lines)  # the same task twice
    unknown_units = [line for line in lines if line.startswith("unknown units (2;")]
    assert len(unknown_units) == 1 and "不存在局 (row 5)" in unknown_units[0] and "另一个局" in unknown_units[0]
    assert any(line.startswith("unknown leaders (1;") and "王五" in line for line in lines)
    assert lines[-1].startswith("error: ") and "nothing was imported" in lines[-1]
    assert dump_ledger(office) == before
    assert "Traceback" not in result.stderr


def test_unknown_units_are_created_on_request(ledger_env, tmp_path):
    path = tmp_path / "new.csv"
    write_csv(path, [["聚焦领域", "工作任务", "牵头单位", "配合单位", "包保领导"],
                     ["平台建设", "园区提档升级", "朝阳经济开发区", "市工信局、北票市", "周伟山"]], "utf-8")
    before = dump_ledger(ledger_env)
    dry = run("import", "tasks", str(path), "--create-units", "--dry-run")
    assert dry.exit_code == 0 and "new units: 北票市、市工信局、朝阳经济开发区" in dry.stdout
    assert dump_ledger(ledger_env) == before
    ok("import", "tasks", str(path), "--create-units")
    units = {u["name"]: u["kind"] for u in as_json("unit", "list")}
    assert units == {"朝阳经济开发区": "zone", "市工信局": "department", "北票市": "county"}
    assert [ld["name"] for ld in as_json("leader", "list")] == ["周伟山"]


def test_dry_run_lists_changes_and_touches_nothing(office, tmp_path):
    path = tmp_path / "t.csv"
    write_csv(path, OFFICE_ROWS, "utf-8-sig")
    ok("import", "tasks", str(path))
    first = {r["title"]: r["id"] for r in tasks()}["重大项目集中开工"]
    rows = [r[:] for r in OFFICE_ROWS]
    rows[3][8] = "4月底前"  # a new deadline for the first task
    rows.append(["4", "招商引资", "新签约项目", "", "商务局", "", "", "", "", "", "", ""])
    write_csv(path, rows, "utf-8-sig")
    before = dump_ledger(office)
    result = run("import", "tasks", str(path), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert f"~ row 4 update: #{first} 重大项目集中开工 (due, due_text)" in result.stdout
    assert "+ row 7 add: 招商引资 · 新签约项目" in result.stdout
    assert "would add 1, update 1, skip 2" in result.stdout
    assert dump_ledger(office) == before


def test_reimport_updates_instead_of_duplicating(office, tmp_path):
    path = tmp_path / "t.csv"
    write_csv(path, OFFICE_ROWS, "gbk")
    ok("import", "tasks", str(path))
    count = history_count(office)
    again = ok("import", "tasks", str(path))
    assert "3 rows read, 0 added, 0 updated, 3 skipped" in again
    assert history_count(office) == count  # nothing changed, nothing recorded
    # matched on area + title (no id column): a changed leader and deadline update the task
    rows = [r[:] for r in OFFICE_ROWS]
    rows[4][6], rows[4][8] = "杜鑫", "5月底前"
    write_csv(path, rows, "gbk")
    assert "0 added, 1 updated, 2 skipped" in ok("import", "tasks", str(path))
    shown = {r["title"]: r for r in tasks()}
    assert len(shown) == 3 and shown["争取专项债券"]["leader"] == "杜鑫"
    assert shown["争取专项债券"]["due"] == "2023-05-31"
    # matched on id: the title itself can change
    task_id = shown["争取专项债券"]["id"]
    write_csv(path, [["编号", "工作任务", "状态", "状态日期"], [str(task_id), "争取专项债券资金", "已完成", "2023-03-20"]],
              "utf-8")
    assert "0 added, 1 updated" in ok("import", "tasks", str(path))
    row = as_json("task", "show", str(task_id))
    assert row["title"] == "争取专项债券资金" and row["status"] == "done"
    assert row["events"][0]["kind"] == "status" and row["events"][0]["on"] == "2023-03-20"
    log = as_json("log")
    assert log[0]["action"] == "import.tasks" and log[0]["changes"][f"#{task_id}.title"] == ["争取专项债券", "争取专项债券资金"]


def test_import_progress_by_id_or_title_and_percent_cells(office, tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "t.csv"
    assigned_in_january = OFFICE_ROWS[:3] + [row[:7] + [row[7] or "2023-01-01"] + row[8:] for row in OFFICE_ROWS[3:]]
    write_csv(path, assigned_in_january, "utf-8")
    ok("import", "tasks", str(path))
    ids = {r["title"]: r["id"] for r in tasks()}
    wb = Workbook()
    ws = wb.active
    ws.append(["3月第5周进展报送"])
    ws.merge_cells("A1:F1")
    ws.append(["编号", "任务名称", "报送日期", "完成进度", "累计完成投资", "进展情况", "存在问题", "下步打算"])
    ws.append([ids["重大项目集中开工"], None, dt.datetime(2023, 3, 24), 0.45, 500, "已开工18个", "用地", "加快审批"])
    ws["D3"].number_format = "0%"  # Excel keeps 45% as 0.45
    ws.append([None, "争取专项债券", "2023/3/24", "30%", None, "已申报", None, None])
    ws.append([None, "巡视反馈问题整改", "3月24日", 60, None, "=整改过半", None, None])
    ws["F5"].data_type = "s"
    xlsx = tmp_path / "进展.xlsx"
    wb.save(xlsx)
    before = history_count(office)
    assert "3 rows read, 3 added, 0 updated, 0 skipped" in ok("import", "progress", str(xlsx))
    assert history_count(office) == before + 1
    first = as_json("progress", "list", str(ids["重大项目集中开工"]))
    assert [(p["on"], p["percent"], p["invest_done"], p["note"], p["problems"], p["next"]) for p in first] == \
        [("2023-03-24", 45, 500, "已开工18个", "用地", "加快审批")]
    third = as_json("progress", "list", str(ids["巡视反馈问题整改"]))
    assert third[0]["note"] == "=整改过半" and third[0]["percent"] == 60
    # the same task and day again: corrected, not duplicated
    ws["D3"] = 0.5
    wb.save(xlsx)
    assert "0 added, 1 updated, 2 skipped" in ok("import", "progress", str(xlsx))
    assert [p["percent"] for p in as_json("progress", "list", str(ids["重大项目集中开工"]))] == [50]


def test_progress_errors_are_collected(office, tmp_path):
    path = tmp_path / "t.csv"
    write_csv(path, OFFICE_ROWS, "utf-8")
    ok("import", "tasks", str(path))
    bad = tmp_path / "p.csv"
    write_csv(bad, [["编号", "工作任务", "日期", "进度"],
                    ["999", "", "2023-03-01", "10"],
                    ["", "没有这个任务", "2023-03-01", "10"],
                    ["", "重大项目集中开工", "2022-12-01", "10"],
                    ["", "重大项目集中开工", "2023-03-01", "150"],
                    ["", "重大项目集中开工", "2023-03-02", ""]], "utf-8")
    before = dump_ledger(office)
    result = run("import", "progress", str(bad))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("row 2, 编号:") and "999" in lines[0]
    assert lines[1].startswith("row 3, 工作任务:") and "没有这个任务" in lines[1]
    assert lines[2].startswith("row 4, 日期:") and "before the task's start" in lines[2]
    assert lines[3].startswith("row 5, 进度:") and "between 0 and 100" in lines[3]
    assert lines[4].startswith("row 6, 进度:")
    assert "p.csv: nothing was imported (5 error(s) above)" in lines[-1]
    assert dump_ledger(office) == before


def test_no_header_row_is_a_clear_error(ledger_env, tmp_path):
    path = tmp_path / "x.csv"
    write_csv(path, [["a", "b"], ["1", "2"]], "utf-8")
    result = run("import", "tasks", str(path))
    assert result.exit_code == 1 and "no header row" in result.stderr and "工作任务|title" in result.stderr
    assert run("import", "tasks", str(tmp_path / "missing.csv")).exit_code == 1
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert "save it as .xlsx" in run("import", "tasks", str(tmp_path / "old.xls")).stderr


# ---------------------------------------------------------------- export and round trip

@pytest.fixture
def rich_ledger(office):
    """Tasks with every kind of field, progress, a status change and formula-like text."""
    ok("task", "add", "重大项目集中开工", "--start", "2023-01-01", "--area", "1", "--lead", "发改委", "--with", "双塔区", "--with", "龙城区",
       "--leader", "杜鑫", "--due", "6月底前", "--invest", "1200.5", "--target", "Q1=25,Q2=50,Q3=75,Q4=100",
       "--tag", "开门红", "--tag", "十五项重大工程", "--ref", "1-1", "--source", "1月28日调度会",
       "--detail", "=一季度开工30个\n二季度再开工20个", "--works-start", "2023-02-15", "--production", "2023-11-30")
    ok("task", "add", "+争取专项债券", "--area", "upward", "--lead", "市发改委", "--due", "长期坚持",
       "--start", "2023-02-01")
    ok("task", "add", "签约亿元项目", "--start", "2023-01-01", "--area", "4", "--lead", "商务局", "--leader", "段家喜", "--due", "2023-03-15")
    ok("task", "done", "3", "--on", "2023-03-20")
    ok("task", "add", "整改巡视反馈问题", "--area", "6", "--lead", "龙城区", "--due", "立行立改", "--start", "2023-02-10")
    ok("task", "pause", "4", "--on", "2023-03-01")
    ok("progress", "add", "1", "--percent", "20", "--on", "2023-02-28", "--invest-done", "300", "--stage", "开工",
       "--note", "-已开工12个", "--problems", "资金", "--next", "@加快")
    ok("progress", "add", "1", "--percent", "35", "--on", "2023-03-24", "--note", "已开工18个")
    ok("progress", "add", "2", "--percent", "10", "--on", "2023-03-10")
    return office


def test_ledger_csv_has_every_column_neutralised_and_is_byte_identical(rich_ledger, tmp_path):
    import csv
    import io

    first = run("export", "ledger", "--format", "csv")
    assert first.exit_code == 0
    assert first.stdout_bytes.startswith(b"\xef\xbb\xbf")
    assert run("export", "ledger", "--format", "csv").stdout_bytes == first.stdout_bytes
    rows = list(csv.DictReader(io.StringIO(first.stdout_bytes.decode("utf-8-sig"))))
    assert list(rows[0]) == ["id", "ref", "area", "area_name", "title", "detail", "lead_unit", "co_units", "leader",
                             "start", "due", "due_text", "original_due", "extensions", "status", "status_on",
                             "invest", "target_q1", "target_q2", "target_q3", "target_q4", "works_start",
                             "production", "tags", "source"]
    by_title = {r["title"]: r for r in rows}
    assert by_title["'+争取专项债券"]["due_text"] == "长期坚持"
    first_row = by_title["重大项目集中开工"]
    assert first_row["detail"].startswith("'=") and first_row["co_units"] == "双塔区、龙城区"
    assert (first_row["target_q1"], first_row["tags"], first_row["works_start"]) == ("25", "十五项重大工程、开门红", "2023-02-15")
    assert by_title["签约亿元项目"]["status"] == "done" and by_title["签约亿元项目"]["status_on"] == "2023-03-20"
    out = tmp_path / "ledger.csv"
    assert "wrote" in ok("export", "ledger", "-o", str(out))
    assert out.read_bytes() == first.stdout_bytes
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ledger.csv")]  # no temporary file left behind


def test_ledger_xlsx_has_sheets_dates_and_text_cells(rich_ledger, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "ledger.xlsx"
    ok("export", "ledger", "-o", str(out), "--headers", "zh")
    wb = load_workbook(out)
    assert wb.sheetnames == ["任务台账", "进展"]
    ws = wb["任务台账"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header[:5] == ["编号", "序号", "聚焦领域", "工作任务", "具体内容"]
    rows = [dict(zip(header, [c for c in r])) for r in ws.iter_rows(min_row=2)]
    first = next(r for r in rows if r["工作任务"].value == "重大项目集中开工")
    assert first["完成时限"].value == dt.datetime(2023, 6, 30) and first["完成时限"].is_date
    assert first["具体内容"].data_type == "s" and first["具体内容"].value.startswith("=")
    assert first["聚焦领域"].value == "扩大投资" and first["状态"].value == "在办"
    assert first["计划投资（万元）"].value == 1200.5
    progress = wb["进展"]
    assert [c.value for c in progress[1]][:5] == ["编号", "聚焦领域", "工作任务", "报送日期", "完成进度"]
    assert progress.max_row == 4
    # width fitted to Chinese text: a wide character counts double
    assert ws.column_dimensions["D"].width >= 2 * len("重大项目集中开工")


def second_ledger(db_url: str, tmp_path):
    """Another empty database on the same backend."""
    if not db_url.startswith("postgresql"):
        return str(tmp_path / "second.db"), None
    require_pg()
    import psycopg

    name = f"taskctl_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}", name


def drop_second(name: str | None) -> None:
    if name is None:
        return
    import psycopg

    from taskctl.db import dispose_all

    dispose_all()
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        from conftest import drop_group_roles

        drop_group_roles(conn, name)  # roles are cluster-wide


def comparable(row: dict) -> dict:
    row = dict(row)
    row.pop("id")
    row["events"] = [{k: v for k, v in e.items() if k != "id"} for e in row["events"]]
    return row


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_into_an_empty_ledger(rich_ledger, tmp_path, monkeypatch, fmt):
    source = {r["title"]: comparable(as_json("task", "show", str(r["id"]))) for r in tasks()}
    out = tmp_path / f"ledger.{fmt}"
    ok("export", "ledger", "-o", str(out))
    progress_file = out
    if fmt == "csv":
        progress_file = tmp_path / "progress.csv"
        ok("export", "ledger", "--progress", "-o", str(progress_file))
    url, name = second_ledger(rich_ledger, tmp_path)
    try:
        monkeypatch.setenv("TASKCTL_DB", url)
        ok("init", "--year", "2023")
        assert "4 rows read, 4 added" in ok("import", "tasks", str(out), "--create-units")
        assert "3 rows read, 3 added" in ok("import", "progress", str(progress_file))
        copy = {r["title"]: comparable(as_json("task", "show", str(r["id"]))) for r in tasks()}
        assert copy == source
        # and the file imports again into the copy without changing anything
        assert "0 added, 0 updated, 4 skipped" in ok("import", "tasks", str(out))
    finally:
        drop_second(name)


def test_extended_tasks_export_the_due_date_in_force(rich_ledger, tmp_path):
    ok("task", "extend", "1", "--to", "9月底前", "--reason", "审批延迟", "--on", "2023-03-25")
    out = tmp_path / "l.csv"
    ok("export", "ledger", "-o", str(out))
    text = out.read_bytes().decode("utf-8-sig")
    assert "2023-09-30,9月底前,2023-06-30,1," in text
    assert "0 added, 0 updated" in ok("import", "tasks", str(out))  # unchanged on re-import
    changed = text.replace("2023-09-30,9月底前,", "2023-10-31,10月底前,")
    out.write_bytes(changed.encode("utf-8-sig"))
    result = run("import", "tasks", str(out))
    assert result.exit_code == 1 and "task extend" in result.stderr


def test_xlsx_to_a_terminal_is_refused(rich_ledger, monkeypatch):
    import sys

    from taskctl.cli.transfer import LedgerFmt, WeeklyFmt, export_ledger, export_weekly
    from taskctl.errors import InvalidValue

    class Terminal:
        def isatty(self):
            return True

        def write(self, _):
            raise AssertionError("nothing may be written to the terminal")

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stdout", Terminal())
    with pytest.raises(InvalidValue) as exc:
        export_ledger(fmt=LedgerFmt.xlsx, output=None)
    assert "-o" in exc.value.message()
    with pytest.raises(InvalidValue):
        export_weekly(fmt=WeeklyFmt.xlsx, output=None)


def test_unneutralise_only_undoes_our_prefix():
    from taskctl.transfer.encoding import unneutralise

    assert unneutralise("'=1+1") == "=1+1"
    assert unneutralise("'-5") == "-5"
    assert unneutralise("'abc") == "'abc"
    assert unneutralise("=1") == "=1"


def test_encoding_detection():
    from taskctl.transfer.encoding import decode

    text = "聚焦领域,工作任务\r\n扩大投资,开工\r\n"
    assert decode(text.encode("gbk")) == (text, "gb18030")
    assert decode(text.encode("utf-8-sig")) == (text, "utf-8-sig")
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(text.encode("utf-16")) == (text, "utf-16")


def test_unit_kind_guess():
    from taskctl.transfer.ledger_import import guess_unit_kind

    assert [guess_unit_kind(n) for n in ("凌源市", "双塔区", "喀左县", "朝阳经济开发区", "市发改委", "朝阳钢铁集团",
                                         "中电建朝阳有限公司")] == \
        ["county", "county", "county", "zone", "department", "enterprise", "enterprise"]


def test_help_loads_neither_openpyxl_nor_the_orm():
    import subprocess
    import sys

    code = ("import sys\n"
            "from taskctl.__main__ import main\n"
            "for args in (['export', '--help'], ['import', 'tasks', '--help'], ['export', 'weekly', '--help']):\n"
            "    sys.argv = ['taskctl', *args]\n"
            "    try:\n"
            "        main()\n"
            "    except SystemExit:\n"
            "        pass\n"
            "print('LOADED', 'openpyxl' in sys.modules, 'sqlalchemy' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED False False" in proc.stdout
    assert "--dry-run" in proc.stdout and "--create-units" in proc.stdout and "--week" in proc.stdout


def test_a_scripted_import_prints_only_its_summary(office, tmp_path):
    path = tmp_path / "t.csv"
    write_csv(path, [row[:-1] for row in OFFICE_ROWS], "utf-8-sig")  # without the unknown 备注 column
    result = run("import", "tasks", str(path))
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.splitlines() == ["t.csv: 3 rows read, 3 added, 0 updated, 0 skipped"]


def test_example_ledger_sample_imports_into_the_demo_ledger(demo_env):
    from pathlib import Path

    sample = Path(__file__).parent.parent / "examples" / "ledger-sample.csv"
    before = len(tasks())
    dry = run("import", "tasks", str(sample), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    out = ok("import", "tasks", str(sample))
    assert "9 rows read, 5 added, 0 updated, 4 skipped" in out
    rows = {r["title"]: r for r in tasks()}
    assert len(rows) == before + 5
    assert rows["=企业诉求“接诉即办”机制"]["area"] == "environment"
    assert rows["二季度重大项目集中开工"]["co_units"] == ["双塔区", "龙城区", "北票市", "凌源市"]


def test_example_weekly_export_script(sqlite_url, tmp_path):
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    if shutil.which("sh") is None or shutil.which("date") is None:
        pytest.skip("needs sh and date")
    script = Path(__file__).parent.parent / "examples" / "weekly-export.sh"
    taskctl = Path(sys.executable).parent / "taskctl"
    env = dict(os.environ, TASKCTL_DB=sqlite_url, TASKCTL_TODAY="2023-03-31", TASKCTL=str(taskctl), LANG="C")
    env.pop("TASKCTL_LANG", None)
    subprocess.run([str(taskctl), "init", "--demo"], env=env, check=True, capture_output=True)
    proc = subprocess.run(["sh", str(script), str(tmp_path / "周报")], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""  # quiet, for cron
    assert sorted(p.name for p in (tmp_path / "周报").iterdir()) == ["周报-2023-W13.md", "周报-2023-W13.xlsx"]
    assert (tmp_path / "周报" / "周报-2023-W13.md").read_text(encoding="utf-8").startswith("# 重点工作周报 2023-W13")
