"""The Friday file for people (issue 8, §7): co-operating units in the XLSX and Markdown open-tasks part,
``--headers zh`` for the CSV, and states and lights as words in the language of the file.

On the example ledger, week 2023-W13 (as of Friday 31 March 2023). Task 1 (国家电投北票…) has the
co-operating units 北票市 and 市发改委 (taskctl/data/demo.json); task 4 (集中开工活动) was due on 25 March
and is still open on the 31st, so it is overdue: red.
"""

from __future__ import annotations

import csv
import io
import json

from conftest import run

from taskctl.i18n import speaking

WEEK = ("export", "weekly", "--week", "2023-W13")


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _row(rows: list[list[str]], part: str, task_id: int) -> dict[str, str]:
    header = rows[0]
    id_col = header.index("id") if "id" in header else header.index("编号")
    for r in rows[1:]:
        if r[0] == part and r[id_col] == str(task_id):
            return dict(zip(header, r))
    raise AssertionError(f"no {part} row for task {task_id}")


def test_markdown_and_xlsx_open_tasks_name_the_co_units(demo_env, tmp_path):
    from openpyxl import load_workbook

    doc = json.loads(run(*WEEK, "--format", "json").stdout)
    open_rows = {r["id"]: r for r in doc["parts"]["open_tasks"]["rows"]}
    assert open_rows[1]["co_units"] == ["北票市", "市发改委"]
    with_co = [r for r in open_rows.values() if r["co_units"]]
    assert len(with_co) >= 5

    for lang, part_title, header, green in (("en", "## Open tasks", "Co-operating", "green"),
                                            ("zh", "## 在办任务", "配合单位", "绿灯")):
        with speaking(lang):
            md = run(*WEEK, "--format", "md").stdout
            out = tmp_path / f"weekly-{lang}.xlsx"
            assert run(*WEEK, "-o", str(out)).exit_code == 0
        section = md.split(part_title, 1)[1].split("\n## ", 1)[0]
        lines = section.splitlines()
        head = next(x for x in lines if x.startswith("| "))
        assert header in head
        for r in with_co:
            line = next(x for x in lines if x.startswith(f"| {r['id']} |"))
            assert "、".join(r["co_units"]) in line, line
        line1 = next(x for x in lines if x.startswith("| 1 |"))
        assert "北票市、市发改委" in line1 and f"| {green} |" in line1

        book = load_workbook(out)
        sheet = book["Open tasks" if lang == "en" else "在办任务"]
        values = list(sheet.iter_rows(values_only=True))
        heads = list(values[0])
        assert header in heads
        task1 = next(v for v in values[1:] if v[heads.index("ID" if lang == "en" else "编号")] == 1)
        assert task1[heads.index(header)] == "北票市、市发改委"
        light = heads.index("Light" if lang == "en" else "灯")
        state = heads.index("State" if lang == "en" else "进度状态")
        task4 = next(v for v in values[1:] if v[0] == 4)
        assert task4[light] == ("red" if lang == "en" else "红灯")
        assert task4[state] == ("overdue" if lang == "en" else "逾期")


def test_csv_headers_zh_writes_chinese_headers_and_words(demo_env, tmp_path):
    english = run(*WEEK, "--format", "csv")
    chinese = run(*WEEK, "--format", "csv", "--headers", "zh")
    word = run(*WEEK, "--format", "csv", "--headers", "中文")
    assert english.exit_code == 0 and chinese.exit_code == 0, chinese.output
    assert chinese.stdout_bytes == word.stdout_bytes

    en_rows = _csv(english.stdout_bytes)
    zh_rows = _csv(chinese.stdout_bytes)
    # the default stays English keys and values, for scripts
    assert en_rows[0][:3] == ["part", "key", "name"] and "light" in en_rows[0] and "state" in en_rows[0]
    t4 = _row(en_rows, "open_tasks", 4)
    assert (t4["light"], t4["state"], t4["co_units"]) == ("red", "overdue", "龙城区、北票市、朝阳经济技术开发区")
    # Chinese headers, part names and words — whatever the interface language (English here)
    assert zh_rows[0][0] == "部分" and "灯" in zh_rows[0] and "进度状态" in zh_rows[0] and "配合单位" in zh_rows[0]
    assert len(zh_rows[0]) == len(set(zh_rows[0])) == len(en_rows[0])
    assert len(zh_rows) == len(en_rows)
    z4 = _row(zh_rows, "在办任务", 4)
    assert (z4["灯"], z4["进度状态"], z4["配合单位"]) == ("红灯", "逾期", "龙城区、北票市、朝阳经济技术开发区")
    # counts stay counts: 向上争取 has one task done late in 2023Q1 (the summary's 逾期完成 column)
    summary = [dict(zip(zh_rows[0], r)) for r in zh_rows[1:] if r[0] == "分领域汇总"]
    upward = next(r for r in summary if r["代号"] == "upward")
    assert upward["逾期完成"] == "1"
    en_upward = next(dict(zip(en_rows[0], r)) for r in en_rows[1:] if r[0] == "summary" and r[1] == "upward")
    assert en_upward["done_late"] == "1"
    # no English light or state word left in the Chinese file
    light_col = zh_rows[0].index("灯")
    assert {r[light_col] for r in zh_rows[1:]} - {""} <= {"红灯", "黄灯", "绿灯"}

    parts = tmp_path / "parts"
    parts.mkdir()
    assert run(*WEEK, "--format", "csv", "--headers", "zh", "-o", str(parts)).exit_code == 0
    files = sorted(parts.iterdir())
    assert len(files) == 7
    open_part = _csv(files[1].read_bytes())
    assert open_part[0][0] == "编号" and "灯" in open_part[0]
    row4 = next(dict(zip(open_part[0], r)) for r in open_part[1:] if r[0] == "4")
    assert row4["灯"] == "红灯"


def test_headers_reject_an_unknown_word(demo_env):
    result = run(*WEEK, "--format", "csv", "--headers", "fr")
    assert result.exit_code == 2
    assert "zh/中文" in result.output
