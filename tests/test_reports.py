"""The reports as scripts and people see them: JSON fields, every format agreeing, options,
errors, limits, ranking ties, terminal output.  Figures themselves are pinned by the
as-of contract (test_reports_contract.py), whose ledger these tests reuse."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest

from conftest import run
from test_reports_contract import contract_db  # noqa: F401  (the contract ledger, both backends)

TASK_KEYS = {"id", "ref", "area", "area_name", "title", "lead_unit", "co_units", "leader", "start", "due", "due_text",
             "original_due", "status", "state", "done_late", "light", "percent", "percent_expected", "last_update",
             "invest_planned", "invest_done", "stage", "extensions", "tags", "note", "close_requested"}
PROMISED_TASK_KEYS = {"id", "area", "title", "lead_unit", "co_units", "leader", "due", "due_text", "status", "state",
                      "light", "percent", "percent_expected", "last_update"}
STAT_KEYS = ["tasks", "done", "done_late", "overdue", "behind", "on_track", "not_started", "paused", "percent_actual",
             "percent_expected", "invest_planned", "invest_done", "extensions", "notices", "close_requested"]

# The JSON contract of each report: top-level keys and row keys (a snapshot: change it only on purpose).
JSON_SHAPES = {
    "overdue": ({"report", "as_of", "total", "group_by", "groups", "rows"},
                TASK_KEYS | {"days_overdue", "working_days_overdue"}),
    "due-soon": ({"report", "as_of", "total", "days", "until", "working", "rows"},
                 TASK_KEYS | {"days_left", "working_days_left"}),
    "stale": ({"report", "as_of", "total", "days", "cutoff", "groups", "rows"},
              TASK_KEYS | {"days_since_report", "contact_person", "contact_phone", "report_duty", "missed_report",
                           "missed_in_row"}),
    "quarter": ({"report", "as_of", "total", "quarter", "from", "to", "by", "totals", "rows"},
                {"key", "name", *STAT_KEYS}),
    "rank": ({"report", "as_of", "total", "quarter", "from", "to", "rows"},
             {"rank", "key", "name", *STAT_KEYS, "share_done", "gap", "flagged"}),
}
REPORT_NAMES = {"overdue": "overdue", "due-soon": "due_soon", "stale": "stale", "quarter": "quarter", "rank": "rank"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def cli(url: str, *args: str):
    result = run("--db", url, *args)
    assert result.exit_code == 0, result.output
    return result


def cli_json(url: str, *args: str):
    return json.loads(cli(url, *args, "--format", "json").stdout)


# ---------------------------------------------------------------- JSON contract

@pytest.mark.parametrize("command", list(JSON_SHAPES))
def test_json_fields_are_the_documented_ones(contract_db, command):
    args = [command, "--as-of", "2023-03-03"]
    doc = cli_json(contract_db, *args)
    top, row_keys = JSON_SHAPES[command]
    assert set(doc) == top
    assert list(doc)[:3] == ["report", "as_of", "total"] and list(doc)[-1] == "rows"
    assert doc["report"] == REPORT_NAMES[command] and doc["as_of"] == "2023-03-03"
    assert doc["rows"] and doc["total"] == len(doc["rows"])
    for row in doc["rows"]:
        assert set(row) == row_keys
        if "id" in row:
            assert PROMISED_TASK_KEYS <= set(row)
            assert isinstance(row["area"], str) and isinstance(row["co_units"], list)
            assert row["light"] in ("red", "yellow", "green", None)
            for key in ("due", "last_update", "start", "original_due"):
                assert row[key] is None or ISO.match(row[key])
            for key in ("percent", "percent_expected"):
                assert row[key] is None or isinstance(row[key], (int, float))
        if "key" in row:
            assert isinstance(row["key"], str)
            assert all(isinstance(row[k], int) for k in STAT_KEYS if k not in
                       ("percent_actual", "percent_expected", "invest_planned", "invest_done"))
    if command == "quarter":
        assert set(doc["totals"]) == set(STAT_KEYS)
        assert ISO.match(doc["from"]) and ISO.match(doc["to"])
    if command == "rank":
        assert [r["rank"] for r in doc["rows"]] == sorted(r["rank"] for r in doc["rows"])
        assert all(isinstance(r["flagged"], bool) for r in doc["rows"])


def test_json_is_the_same_whatever_the_language(contract_db):
    from taskctl.config import database_url
    from taskctl.db import open_ledger, transaction
    from taskctl.i18n import language, set_language
    from taskctl.render import to_json
    from taskctl.reports import quarter_report, stale_report

    before = language()
    outputs = []
    try:
        for lang in ("en", "zh"):
            set_language(lang)
            with transaction(open_ledger(database_url(contract_db))) as session:
                outputs.append((to_json(quarter_report(session, year=2023, quarter=1)),
                                to_json(stale_report(session, as_of=dt.date(2023, 3, 3)))))
    finally:
        set_language(before)
    assert outputs[0] == outputs[1]


# ---------------------------------------------------------------- every format, the same rows and figures

CASES = [
    ("overdue", "--as-of", "2023-03-03"),
    ("overdue", "--as-of", "2023-03-03", "--group-by", "unit"),
    ("due-soon", "--as-of", "2023-03-31"),
    ("stale", "--as-of", "2023-03-03"),
    ("quarter", "2023Q1"),
    ("quarter", "2023Q1", "--by", "unit", "--as-of", "2023-02-15"),
    ("rank", "--as-of", "2023-03-31"),
]


def _text(value) -> str:
    """A JSON value as CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "、".join(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# The figures each report's table shows; every one must be on the row's line in the table and the Markdown.
FIGURES = {
    "overdue": ("id", "days_overdue", "percent", "due", "last_update"),
    "due_soon": ("id", "days_left", "percent", "percent_expected", "due"),
    "stale": ("id", "days_since_report", "percent", "due", "last_update"),
    "quarter": ("name", "tasks", "done", "overdue", "behind", "on_track", "not_started", "percent_actual",
                "percent_expected"),
    "rank": ("rank", "name", "tasks", "overdue", "behind", "not_started", "percent_actual", "percent_expected",
             "share_done", "gap"),
}


def _figures(report: str, row: dict) -> list[str]:
    out = []
    for key in FIGURES[report]:
        value = row.get(key)
        if value is None:
            continue
        if key.startswith("percent") or key == "share_done":
            out.append(f"{value:g}%")
        elif isinstance(value, float):
            out.append(f"{value:g}")
        else:
            out.append(str(value))
    return out


def _table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("args", CASES, ids=lambda a: " ".join(a))
def test_every_format_holds_the_same_rows_and_figures(contract_db, args):
    doc = cli_json(contract_db, *args)
    rows = doc["rows"]
    assert rows
    totals = doc.get("totals")

    # CSV: every column of every row, text for text, with a BOM; a totals row where the report has totals
    raw = cli(contract_db, *args, "--format", "csv").stdout
    assert raw.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))
    header, body = table[0], table[1:]
    assert header == list(rows[0])
    assert len(body) == len(rows) + (1 if totals else 0)
    for row, line in zip(rows, body):
        assert line == [_text(row[k]) for k in header]
    if totals:
        assert body[-1][:2] == ["total", ""]
        assert {k: body[-1][header.index(k)] for k in totals} == {k: _text(v) for k, v in totals.items()}

    # Markdown and the plain table: one line per row, in order, each with the row's figures
    md = cli(contract_db, *args, "--format", "md").stdout
    md_rows = [line for line in md.splitlines() if line.startswith("| ") and not line.startswith("| **")]
    plain = cli(contract_db, *args).stdout
    assert "\x1b[" not in plain  # not a terminal: no colour codes
    for output, lines in (("md", md_rows), ("table", _table_lines(plain))):
        position = 0
        for row in rows:
            wanted = _figures(doc["report"], row)
            while position < len(lines) and not all(w in lines[position] for w in wanted):
                position += 1
            assert position < len(lines), f"{output}: no line with {wanted}\n{md if output == 'md' else plain}"
            position += 1
    if totals:
        total_md = next(line for line in md.splitlines() if line.startswith("| **"))
        assert f"**{totals['tasks']}**" in total_md and f"**{totals['percent_actual']:g}%**" in total_md
        total_line = next(line for line in _table_lines(plain) if line.strip().startswith("Total"))
        assert f"{totals['percent_actual']:g}%" in total_line
        assert f"{totals['invest_planned']:,.0f}" in total_line  # 万元 with separators in English


def test_grouped_reports_print_one_table_per_group_with_its_count(contract_db):
    plain = cli(contract_db, "overdue", "--as-of", "2023-03-03", "--group-by", "unit").stdout
    assert "市商务局 (2)" in plain and "市发改委 (1)" in plain
    assert plain.index("市商务局 (2)") < plain.index("市发改委 (1)")
    md = cli(contract_db, "overdue", "--as-of", "2023-03-03", "--group-by", "unit", "--format", "md").stdout
    assert "### 市商务局 (2)" in md and "### 市发改委 (1)" in md
    stale = cli(contract_db, "stale", "--as-of", "2023-03-31").stdout
    assert "市发改委 · contact 王敏 0311-86001111 (2)" in stale and "高新区 · contact 李强 (1)" in stale
    assert "(none) (1)" in stale
    for by, first in (("area", "招商引资 (2)"), ("leader", "刘洋 (3)")):
        out = cli(contract_db, "overdue", "--as-of", "2023-03-03", "--group-by", by).stdout
        assert first in out


def test_overdue_table_shows_the_original_due_date_only_when_extended(contract_db):
    from taskctl.reports.model import Column, Report
    from taskctl.render import to_markdown

    cols = [Column("due", "date"), Column("original_due", "date")]  # the overdue layout blanks an unchanged one
    rows = [{"due": dt.date(2023, 4, 30), "original_due": dt.date(2023, 3, 1)},
            {"due": dt.date(2023, 3, 1), "original_due": dt.date(2023, 3, 1)}]
    md = to_markdown(Report(name="overdue", title="x", columns=cols, rows=rows))
    assert "| 2023-04-30 | 2023-03-01 |" in md and "| 2023-03-01 |  |" in md


# ---------------------------------------------------------------- options

def test_filters_narrow_every_report(contract_db):
    ids = lambda *a: [r["id"] for r in cli_json(contract_db, *a)["rows"]]  # noqa: E731
    d2 = ("--as-of", "2023-03-03")
    assert ids("overdue", *d2) == [10, 2, 4]
    assert ids("overdue", *d2, "--unit", "高新区") == [4]  # a co-operating unit counts
    assert ids("overdue", *d2, "--area", "attraction") == [10, 4]
    assert ids("overdue", *d2, "--area", "4") == [10, 4]
    assert ids("overdue", *d2, "--leader", "刘洋") == [10, 2, 4]
    assert ids("overdue", *d2, "--status", "done") == []
    assert ids("overdue", *d2, "--tag", "none-such") == []
    assert ids("due-soon", "--as-of", "2023-03-31", "--tag", "开门红") == [1]
    assert ids("stale", *d2, "--unit", "发改委") == [7, 2, 12]  # an alias; co-operating on T12
    assert ids("due-soon", "--as-of", "2023-03-31", "--leader", "杜鑫") == [1, 12]
    doc = cli_json(contract_db, "quarter", "2023Q1", "--area", "investment")
    assert [r["key"] for r in doc["rows"]] == ["investment"] and doc["totals"]["tasks"] == 2
    doc = cli_json(contract_db, "rank", "--unit", "市发改委")  # its own three tasks and T12 (co-operating)
    assert [(r["name"], r["tasks"]) for r in doc["rows"]] == [("市发改委", 3), ("市工信局", 1)]


def test_days_window(contract_db):
    soon = lambda days: [r["id"] for r in cli_json(contract_db, "due-soon", "--as-of", "2023-03-31",  # noqa: E731
                                                   "--days", days)["rows"]]
    assert soon("0") == [1] and soon("5") == [1, 12] and soon("4") == [1] and soon("30") == [1, 12, 4, 9]
    stale = lambda days: [r["id"] for r in cli_json(contract_db, "stale", "--as-of", "2023-03-31",  # noqa: E731
                                                    "--days", days)["rows"]]
    assert 1 in stale("7") and 1 not in stale("8")  # last update 3-24: exactly 7 days is stale
    assert 4 in stale("6") and 4 not in stale("7")  # last update 3-25


def test_quarter_argument_option_and_defaults(contract_db):
    def head(*args):
        doc = cli_json(contract_db, *args)
        return doc.get("quarter"), doc["as_of"]

    assert head("quarter") == ("2023Q1", "2023-03-31")  # today's quarter, as of today
    assert head("quarter", "2023Q1") == head("quarter", "--quarter", "2023Q1") == head("quarter", "一季度")
    assert head("quarter", "--as-of", "2023-02-15") == ("2023Q1", "2023-02-15")  # the quarter of the as-of date
    assert head("quarter", "Q1", "--as-of", "2023-05-01") == ("2023Q1", "2023-03-31")  # capped at the quarter's end
    assert head("quarter", "2023Q2") == ("2023Q2", "2023-03-31")  # not over yet: as of today
    assert head("rank") == ("2023Q1", "2023-03-31")
    assert head("rank", "2023-Q1", "--as-of", "2月15日") == ("2023Q1", "2023-02-15")
    assert head("quarter", "2023Q1", "--quarter", "2023Q1") == ("2023Q1", "2023-03-31")


@pytest.mark.parametrize("args", [
    ("quarter", "2023Q5"),
    ("quarter", "--quarter", "next one"),
    ("rank", "--quarter", "2023Q0"),
    ("quarter", "2023Q1", "--quarter", "2023Q2"),
    ("overdue", "--as-of", "2023-13-45"),
    ("stale", "--as-of", "someday"),
    ("quarter", "--as-of", "长期坚持"),
    ("due-soon", "--unit", "不存在的单位"),
    ("rank", "--area", "nowhere"),
    ("quarter", "--leader", "无名氏"),
    ("overdue", "--status", "sleeping"),
])
def test_user_errors_are_one_line_and_exit_1(contract_db, args):
    result = run("--db", contract_db, *args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [("due-soon", "--days", "-1"), ("overdue", "--group-by", "town"),
                                  ("quarter", "--by", "county")])
def test_usage_errors_exit_2(contract_db, args):
    assert run("--db", contract_db, *args).exit_code == 2


def test_builders_check_their_arguments(contract_db):
    from taskctl.config import database_url
    from taskctl.db import open_ledger, transaction
    from taskctl.errors import InvalidValue
    from taskctl.reports import due_soon_report, overdue_report, quarter_report

    with transaction(open_ledger(database_url(contract_db))) as session:
        with pytest.raises(InvalidValue):
            overdue_report(session, as_of=dt.date(2023, 3, 31), filters=None, group_by="town")
        with pytest.raises(InvalidValue):
            due_soon_report(session, as_of=dt.date(2023, 3, 31), days=-1, filters=None)
        with pytest.raises(InvalidValue):
            quarter_report(session, year=2023, quarter=1, by="county", filters=None)


# ---------------------------------------------------------------- limits

def test_limit_cuts_json_csv_md_but_total_counts_all(contract_db):
    doc = cli_json(contract_db, "overdue", "--as-of", "2023-03-03", "--limit", "1")
    assert doc["total"] == 3 and [r["id"] for r in doc["rows"]] == [10]
    csv_text = cli(contract_db, "overdue", "--as-of", "2023-03-03", "--limit", "2", "--format", "csv").stdout
    assert len(csv_text.strip().splitlines()) == 3
    plain = cli(contract_db, "overdue", "--as-of", "2023-03-03", "--limit", "1").stdout
    assert "2 more rows not shown; use --all to see them" in plain
    assert "3 overdue, the longest by 31 days" in plain
    assert "more rows" not in cli(contract_db, "overdue", "--as-of", "2023-03-03", "--limit", "1", "--all").stdout


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _long_report(n: int = 60):
    from taskctl.reports.model import Column, Report

    return Report(name="x", title="Long", columns=[Column("id", "int"), Column("light", "light")],
                  rows=[{"id": i, "light": "red"} for i in range(n)], footer=f"{n} rows")


def test_a_terminal_shows_50_rows_and_says_how_many_more(monkeypatch):
    from taskctl.render import to_table

    monkeypatch.delenv("NO_COLOR", raising=False)
    out = Terminal()
    to_table(_long_report(), out, None, False)
    text = out.getvalue()
    assert "10 more rows not shown" in text and "\x1b[" in text  # coloured on a terminal
    assert re.search(r"\b49\b", text) and not re.search(r"\b50\b", text)
    out = Terminal()
    to_table(_long_report(), out, None, True)
    assert "more rows" not in out.getvalue() and re.search(r"\b59\b", out.getvalue())


def test_no_color_gives_plain_text_on_a_terminal(monkeypatch):
    from taskctl.render import to_table

    monkeypatch.setenv("NO_COLOR", "1")
    out = Terminal()
    to_table(_long_report(3), out, None, False)
    assert "\x1b[" not in out.getvalue() and "red" in out.getvalue()  # the light is still a word


# ---------------------------------------------------------------- ranking rules

def _unit(name, overdue=0, behind=0, not_started=0, done=0, tasks=4, gap=0.0):
    return {"name": name, "overdue": overdue, "behind": behind, "not_started": not_started, "done": done,
            "tasks": tasks, "gap": gap}


def test_rank_order_ties_and_the_last_three():
    from taskctl.reports.quarter import assign_ranks

    rows = assign_ranks([
        _unit("戊", overdue=2),
        _unit("乙", done=2, gap=1.0),
        _unit("甲", done=2, gap=1.0),           # ties with 乙 on all four: same rank, name order
        _unit("丙", done=1, tasks=2, gap=5.0),  # the same share done (1/2) as 甲/乙 and a higher gap: first
        _unit("丁", behind=1, not_started=1),
        _unit("己", not_started=1, gap=-3),
        _unit("庚", overdue=1, gap=None),
    ])
    assert [(r["name"], r["rank"]) for r in rows] == [
        ("丙", 1), ("乙", 2), ("甲", 2), ("己", 4), ("丁", 5), ("庚", 6), ("戊", 7)]
    assert [r["name"] for r in rows if r["flagged"]] == ["丁", "庚", "戊"]


def test_rank_ties_share_1_1_3_and_ties_at_the_bottom_are_all_flagged():
    from taskctl.reports.quarter import assign_ranks

    rows = assign_ranks([_unit("A"), _unit("B"), _unit("C", behind=1), _unit("D", overdue=1), _unit("E", overdue=1)])
    assert [r["rank"] for r in rows] == [1, 1, 3, 4, 4]
    assert [r["flagged"] for r in rows] == [False, False, True, True, True]
    rows = assign_ranks([_unit("A"), _unit("B", behind=1), _unit("C", behind=1), _unit("D", behind=1),
                         _unit("E", overdue=1)])
    assert [r["rank"] for r in rows] == [1, 2, 2, 2, 5]
    assert [r["flagged"] for r in rows] == [False, True, True, True, True]  # B ties with the third-last
    rows = assign_ranks([_unit(x) for x in "ABCDE"])
    assert {r["rank"] for r in rows} == {1} and not any(r["flagged"] for r in rows)  # all first: no one singled out
    rows = assign_ranks([_unit("A"), _unit("B", overdue=1), _unit("C", overdue=2)])
    assert not any(r["flagged"] for r in rows)  # three units or fewer: no "last three" to single out


def test_rank_ties_end_to_end(ledger_env):
    for name in ("甲区", "乙区", "丙区", "丁区"):
        assert run("unit", "add", name, "--kind", "county").exit_code == 0
    for i, name in enumerate(("甲区", "乙区", "丙区", "丁区"), start=1):
        assert run("task", "add", f"任务{i}", "--start", "2023-01-01", "--area", "1", "--lead", name, "--due", "2023-06-30").exit_code == 0
    for task_id in (1, 2):  # 甲区 and 乙区 identical: on track
        assert run("progress", "add", task_id, "--percent", "50", "--on", "2023-03-20").exit_code == 0
    assert run("progress", "add", 3, "--percent", "10", "--on", "2023-03-20").exit_code == 0  # 丙区 behind
    doc = json.loads(run("rank", "--format", "json").stdout)           # 丁区 not started, lower gap
    assert [(r["name"], r["rank"], r["flagged"]) for r in doc["rows"]] == [
        ("乙区", 1, False), ("甲区", 1, False), ("丙区", 3, True), ("丁区", 4, True)]
    assert "last three: 丙区、丁区" in run("rank").stdout


# ---------------------------------------------------------------- an empty ledger, both backends

def test_every_report_on_an_empty_ledger(ledger_env):
    for command, footer in (("overdue", "no overdue tasks"), ("due-soon", "no open task is due within 7 days"),
                            ("stale", "every active task reported progress within 7 days"),
                            ("quarter", "no task falls in this quarter"), ("rank", "no lead unit to rank")):
        result = run(command)
        assert result.exit_code == 0 and footer in result.stdout, result.output
        doc = json.loads(run(command, "--format", "json").stdout)
        assert doc["total"] == 0 and doc["rows"] == []
        for fmt in ("csv", "md"):
            assert run(command, "--format", fmt).exit_code == 0
    totals = json.loads(run("quarter", "--format", "json").stdout)["totals"]
    assert totals["tasks"] == 0 and totals["percent_actual"] is None and totals["invest_planned"] is None


# ---------------------------------------------------------------- the terminal, in Chinese

def test_chinese_tables_line_up(contract_db, monkeypatch):
    from rich.cells import cell_len

    from taskctl.config import database_url
    from taskctl.db import open_ledger, transaction
    from taskctl.i18n import language, set_language
    from taskctl.render import to_table
    from taskctl.reports import overdue_report, quarter_report, rank_report, stale_report

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    before = language()
    set_language("zh")
    try:
        with transaction(open_ledger(database_url(contract_db))) as session:
            reports = [quarter_report(session, year=2023, quarter=1, by="unit"),
                       rank_report(session, year=2023, quarter=1),
                       overdue_report(session, as_of=dt.date(2023, 3, 3), group_by="area"),
                       stale_report(session, as_of=dt.date(2023, 3, 31))]
        for report in reports:
            out = Terminal()
            to_table(report, out, None, False)
            text = out.getvalue()
            # every table: header, rule and rows are padded to one display width (CJK characters are two cells)
            lines = text.splitlines()
            rules = [i for i, line in enumerate(lines) if set(line.strip()) <= {"─", "━"} and line.strip()]
            assert rules
            for r in rules:
                width = cell_len(lines[r])
                assert cell_len(lines[r - 1]) == width, lines[r - 1]
                i = r + 1
                while i < len(lines) and lines[i].strip():
                    assert cell_len(lines[i]) == width, lines[i]
                    i += 1
            if report.name == "quarter":
                assert "合计" in text and "亿元" in text and "（无）" in text
            if report.name == "rank":
                assert "后三位" in text and "后三位：市工信局、高新区、市商务局" in text
            if report.name == "overdue":
                assert "逾期任务（截至 2023-03-03） · 按聚焦领域" in text and "招商引资 (2)" in text
            if report.name == "stale":
                assert "联系人 王敏 0311-86001111" in text and "未报送天数" in text
    finally:
        set_language(before)


def test_columns_of_a_chinese_table_start_at_the_same_cell(contract_db, monkeypatch):
    """Column starts measured in display cells match between the header and every row."""
    from rich.cells import cell_len

    from taskctl.config import database_url
    from taskctl.db import open_ledger, transaction
    from taskctl.i18n import language, set_language
    from taskctl.render import to_table
    from taskctl.reports import due_soon_report

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    before = language()
    set_language("zh")
    try:
        with transaction(open_ledger(database_url(contract_db))) as session:
            report = due_soon_report(session, as_of=dt.date(2023, 3, 31), days=30)
        out = Terminal()
        to_table(report, out, None, False)
    finally:
        set_language(before)
    lines = out.getvalue().splitlines()
    header = next(line for line in lines if "编号" in line)
    rows = [line for line in lines if re.match(r"^\s+\d+\s+\S", line) and "天内到期" not in line]
    assert len(rows) == 4
    # the 灯 (light) column starts at the same display cell on the header and on every row
    start = cell_len(header[:header.index("灯")])
    for row in rows:
        word = next(w for w in ("红灯", "黄灯", "绿灯") if w in row)
        assert cell_len(row[:row.index(word)]) == start, (header, row)


def test_a_narrow_terminal_hides_the_least_needed_columns_and_says_so(contract_db, monkeypatch):
    from rich.cells import cell_len

    from taskctl.config import database_url
    from taskctl.db import open_ledger, transaction
    from taskctl.render import to_table
    from taskctl.reports import overdue_report, rank_report

    monkeypatch.setenv("NO_COLOR", "1")
    with transaction(open_ledger(database_url(contract_db))) as session:
        overdue = overdue_report(session, as_of=dt.date(2023, 3, 3))
        rank = rank_report(session, year=2023, quarter=1)
    for columns in ("200", "120", "100", "80"):
        monkeypatch.setenv("COLUMNS", columns)
        out = Terminal()
        to_table(overdue, out, None, False)
        text = out.getvalue()
        assert all(cell_len(line) <= int(columns) for line in text.splitlines()), text
        assert all(x in text for x in ("31", "2023-01-31", "市商务局", "█████░░░░░ 50%"))  # never cut
        if columns == "200":
            assert "hidden" not in text and "Co-operating" in text
        else:
            assert "hidden to fit the terminal: Co-operating, Original due" in text
    monkeypatch.setenv("COLUMNS", "80")
    out = Terminal()
    to_table(rank, out, None, False)
    text = out.getvalue()
    assert "Last three" in text and "vs expected" in text and "Done %" in text  # the criteria stay


# ---------------------------------------------------------------- snapshot (optimised for 100,000 tasks)

def test_snapshot_lists_are_the_same_by_ids_or_by_filter(contract_db, monkeypatch):
    """Co-operating units and tags: selected by a list of ids (few tasks) or by the filters (many)."""
    import taskctl.snapshot as S
    from taskctl import ledger as L
    from taskctl.config import database_url
    from taskctl.db import open_ledger, transaction

    with transaction(open_ledger(database_url(contract_db))) as session:
        variants = [S.Filters(), S.Filters(area_id=L.find_area(session, "1").id),
                    S.Filters(unit_id=L.find_unit(session, "高新区").id), S.Filters(status="active"),
                    S.Filters(tag="开门红"), S.Filters(open_only=True), S.Filters(task_ids=[1, 4, 8])]
        for filters in variants:
            lists = []
            for limit in (10**9, 0):
                monkeypatch.setattr(S, "_ID_LIST_LIMIT", limit)
                lists.append([(f.id, f.co_units, f.tags) for f in S.snapshot(session, dt.date(2023, 3, 31), filters)])
            assert lists[0] == lists[1] and lists[0], filters
        monkeypatch.setattr(S, "_ID_LIST_LIMIT", 0)
        facts = {f.id: f for f in S.snapshot(session, dt.date(2023, 3, 31))}
        assert facts[1].co_units == ["东城区"] and facts[1].tags == ["开门红"]
        assert facts[8].tags == ["五好园区", "开门红"] and facts[4].co_units == ["高新区"]


def test_snapshot_sees_the_sessions_own_changes(ledger_env):
    """It reads through the session's connection, so it must flush what the command changed first."""
    import taskctl.snapshot as S
    from taskctl import ledger as L
    from taskctl.config import database_url
    from taskctl.db import open_ledger, transaction

    assert run("unit", "add", "甲局", "--kind", "department").exit_code == 0
    assert run("unit", "add", "乙局", "--kind", "department").exit_code == 0
    assert run("task", "add", "任务", "--start", "2023-01-01", "--area", "1", "--lead", "甲局", "--due", "2023-06-30").exit_code == 0
    with transaction(open_ledger(database_url(ledger_env))) as session:
        task = L.get_task(session, 1)
        task.lead_unit_id = L.find_unit(session, "乙局").id  # pending in the session, not flushed
        task.title = "改名的任务"
        facts = S.snapshot(session, dt.date(2023, 3, 31))
        assert (facts[0].lead_unit, facts[0].title) == ("乙局", "改名的任务")
        session.rollback()


# ---------------------------------------------------------------- the example ledger

def test_the_example_ledger_shows_every_state_in_the_reports(demo_env):
    states = {r["state"] for r in json.loads(run("task", "list", "--format", "json").stdout)}
    assert states == {"cancelled", "paused", "done", "overdue", "not_started", "behind", "on_track"}
    totals = json.loads(run("quarter", "--format", "json").stdout)["totals"]
    assert all(totals[k] > 0 for k in ("done", "done_late", "overdue", "behind", "on_track", "not_started", "paused"))
    for command in ("overdue", "due-soon", "stale", "quarter", "rank"):
        doc = json.loads(run(command, "--format", "json").stdout)
        assert doc["rows"], command
        for fmt in ("table", "csv", "md"):
            assert run(command, "--format", fmt).exit_code == 0
    rank = json.loads(run("rank", "--format", "json").stdout)["rows"]
    assert sum(r["flagged"] for r in rank) >= 3


def test_the_readme_section_documents_every_json_field():
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for command, (top, row_keys) in JSON_SHAPES.items():
        assert f"`{REPORT_NAMES[command]}`" in doc or f"**`{REPORT_NAMES[command]}`**" in doc
        missing = sorted(k for k in top | row_keys if f"`{k}`" not in doc)
        assert not missing, (command, missing)


# ---------------------------------------------------------------- one home per concern

def test_a_report_is_data_and_the_renderer_speaks_the_language(contract_db):
    """The builder says no word: one Report drawn in Chinese and in English gives each language's words
    and the same figures (the title, headers and footer are said when rendered)."""
    from taskctl import Ledger
    from taskctl.i18n import speaking
    from taskctl.reports.model import Msg

    with Ledger.open(contract_db) as ledger:
        report = ledger.overdue(as_of="2023-03-03")
    assert isinstance(report.title, Msg) and isinstance(report.footer, Msg)
    assert all(c.label is None or c.label.count(".") >= 1 for c in report.columns)  # catalogue keys, not words
    with speaking("zh"):
        zh = report.to_markdown()
    with speaking("en"):
        en = report.to_markdown()
    assert "逾期" in zh.splitlines()[0] and "逾期" not in en
    assert "Overdue" in en.splitlines()[0]
    figures = lambda md: re.findall(r"\| (\d+) \|", md)  # noqa: E731
    assert figures(zh) == figures(en) and figures(en)  # the same rows, whatever the language


def test_the_due_date_in_force_is_one_rule(contract_db):
    """The writers' due date in force (extend, withdraw, import) is the snapshot's, on every day of the year."""
    import datetime as dt

    from taskctl.db import open_ledger, transaction
    from taskctl.snapshot import dues_in_force, snapshot

    checked = moved = 0
    from taskctl.config import database_url

    with transaction(open_ledger(database_url(contract_db))) as session:
        day = dt.date(2023, 1, 1)
        while day.year == 2023:
            facts = snapshot(session, day)
            writers = dues_in_force(session, day, [f.id for f in facts])
            for f in facts:
                due, text, n = writers.get(f.id, (f.original_due, f.original_due_text, 0))
                assert (due, n) == (f.due, f.extensions), (f.id, day)
                checked += 1
                moved += f.id in writers
            day += dt.timedelta(days=7)
    assert checked and moved  # some tasks had an extension in force on some of those days


def test_the_weekly_file_reads_one_snapshot(contract_db, monkeypatch):
    """Every part of the weekly file comes from one snapshot of its date (they cannot disagree)."""
    import datetime as dt

    import taskctl.snapshot as S
    from taskctl.db import open_ledger, transaction
    from taskctl.transfer.weekly import weekly

    taken = []
    real = S._facts  # every snapshot, whole or one task at a time, reads through it
    monkeypatch.setattr(S, "_facts", lambda q, as_of, filters, *rest: taken.append(as_of) or real(
        q, as_of, filters, *rest))
    from taskctl.config import database_url

    with transaction(open_ledger(database_url(contract_db))) as session:
        doc = weekly(session, week="2023-W09", today=dt.date(2023, 3, 31))
    assert doc.row_count > 0
    assert taken == [doc.as_of]


def test_the_figures_only_snapshot_judges_every_task_as_the_full_one(demo_env):
    """The quarter and the ranking read a snapshot without notes, co-operating units and tags: every other
    fact, and so every figure, is the full snapshot's — on dates across the example year."""
    from dataclasses import fields

    from taskctl import Ledger
    from taskctl.config import database_url
    from taskctl.reports import quarter_report
    from taskctl.snapshot import TaskFacts, snapshot

    left_out = {"note", "problems", "next_steps", "co_units", "tags"}
    kept = [f.name for f in fields(TaskFacts) if f.name not in left_out]
    compared = 0
    with Ledger.open(database_url(demo_env)) as ledger, ledger.transaction(write=False) as session:
        for day in (dt.date(2023, 1, 15), dt.date(2023, 3, 31), dt.date(2023, 6, 30), dt.date(2023, 12, 31)):
            full = snapshot(session, day)
            lean = snapshot(session, day, detail=False)
            assert [f.id for f in full] == [f.id for f in lean] and full
            for a, b in zip(full, lean):
                assert {k: getattr(a, k) for k in kept} == {k: getattr(b, k) for k in kept}
                assert b.note is None and b.co_units == [] and b.tags == []
                compared += 1
            assert any(f.note for f in full) and any(f.co_units for f in full)  # there was something to leave out
            q = (day.month - 1) // 3 + 1
            for by in ("area", "unit", "leader"):
                own = quarter_report(session, year=2023, quarter=q, by=by, as_of=day)
                given = quarter_report(session, year=2023, quarter=q, by=by, as_of=day, facts=full)
                assert own.rows == given.rows and own.meta["totals"] == given.meta["totals"] and own.rows
    assert compared > 100
