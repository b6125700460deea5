"""The documents the office sends: the 督查通报 (DOCX in the GB/T 9704 layout, and Markdown), the slips
on the escalation ladder, and the `notices` counts of the reports — on the example ledger, both backends.

Figures worked out by hand from the example ledger as of 2023-03-31 (README's tour): overdue tasks
21, 35 (16 days), 33 (11), 4 (6 days; all of 市发改委's 4 and 21); behind or not started 3, 5, 11,
12, 22, 27, 28, 29; task 2 (市发改委) is due on 2023-03-31 and on track.
"""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from conftest import dump_ledger, run

OVERDUE = {4, 21, 33, 35}
LAGGING = {3, 5, 11, 12, 22, 27, 28, 29}
REMIND = {2}


def ok(*args):
    result = run(*args)
    assert result.exit_code == 0, (args, result.output)
    return result


def js(*args):
    return json.loads(ok(*args, "--format", "json").stdout)


def fails(*args):
    result = run(*args)
    assert result.exit_code == 1, (args, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "Traceback" not in result.output, result.output
    return lines[0]


@pytest.fixture
def zh():
    from taskctl.i18n import language, set_language

    before = language()
    set_language("zh")
    yield
    set_language(before)


def docx_text(path) -> list[str]:
    """Every non-empty paragraph, and every table row as its cells joined by a space, in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            text = Paragraph(child, document).text.strip()
            if text:
                lines.append(text)
        elif child.tag.endswith("}tbl"):
            for row in Table(child, document).rows:
                lines.append(" ".join(c.text for c in row.cells))
    return lines


def md_text(path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line == "---" or re.fullmatch(r"\|[-|]+\|", line):
            continue
        if line.startswith("|"):
            line = " ".join(c.strip().replace("\\|", "|") for c in line.strip("|").split(" | "))
        lines.append(line.lstrip("#").strip().strip("*"))
    return lines


# ---------------------------------------------------------------- the bulletin

def test_bulletin_docx_is_in_the_official_layout_and_agrees_with_the_reports(demo_env, tmp_path, zh):
    import docx
    from docx.shared import Pt

    out = tmp_path / "通报.docx"
    ok("bulletin", "issue", "--as-of", "2023-03-31", "-o", out)
    document = docx.Document(str(out))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    text_width = section.page_width - section.left_margin - section.right_margin
    text_height = section.page_height - section.top_margin - section.bottom_margin
    assert (round(text_width / 36000), round(text_height / 36000)) == (156, 225)  # EMU per mm

    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode("utf-8")
        settings = z.read("word/settings.xml").decode("utf-8")
        styles = z.read("word/styles.xml").decode("utf-8")
        fonts = z.read("word/fontTable.xml").decode("utf-8")
    grid = re.search(r'<w:docGrid [^>]*/>', body).group(0)
    assert 'w:type="linesAndChars"' in grid
    line_pitch = int(re.search(r'w:linePitch="(\d+)"', grid).group(1))
    assert int(225 / 25.4 * 1440) // 22 == line_pitch  # 22 lines fill the 225 mm block
    char_space = int(re.search(r'w:charSpace="(-?\d+)"', grid).group(1))
    assert round(156 / 25.4 * 72 / (16 + char_space / 4096)) == 28  # 28 characters of 3号 per line
    assert "<w:evenAndOddHeaders" in settings
    assert 'w:altName w:val="仿宋"' in fonts and 'w:altName w:val="楷体"' in fonts

    # page numbers: "— PAGE —" in 4号 宋体, right on odd pages, left on even ones
    for footer, align in ((section.footer, "RIGHT"), (section.even_page_footer, "LEFT")):
        p = footer.paragraphs[0]
        assert p.alignment.name == align and p.text.startswith("— ") and p.text.endswith(" —")
        assert "PAGE" in p._p.xml and all(r.font.size == Pt(14) for r in p.runs)
        assert all(r._r.rPr.rFonts.get(_w("eastAsia")) == "宋体" for r in p.runs)

    # the fonts on the styles, with no theme font to override them
    want = {"Normal": ("仿宋_GB2312", 16), "Title": ("方正小标宋简体", 22), "Heading 1": ("黑体", 16),
            "Heading 2": ("楷体_GB2312", 16)}
    for name, (font, size) in want.items():
        style = document.styles[name]
        assert style.element.rPr.rFonts.get(_w("eastAsia")) == font, name
        assert style.element.rPr.rFonts.get(_w("asciiTheme")) is None
        assert style.font.size == Pt(size)
    assert "eastAsiaTheme" not in styles.split("<w:latentStyles")[0]
    # ... and on every run of the text and the tables
    runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for tb in document.tables for row in tb.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert len(runs) > 50 and all(r._r.rPr.rFonts.get(_w("eastAsia")) for r in runs)

    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == ["一、总体情况", "二、下步工作要求"]
    assert [p.text for p in paragraphs if p.style.name == "Heading 2"][:2] == ["（一）分领域推进情况",
                                                                              "（二）需重点关注的单位"]
    texts = [p.text for p in paragraphs]
    assert texts[0] == "督查通报" and texts[1] == "2023年第1期"
    assert [p.text for p in paragraphs if p.style.name == "Attachment Label"] == ["附件1", "附件2"]
    assert all(r._r.rPr.rFonts.get(_w("eastAsia")) == "黑体"
               for p in paragraphs if p.style.name == "Attachment Label" for r in p.runs)

    # the figures of quarter, rank and overdue for the same date
    quarter = js("quarter", "--as-of", "2023-03-31")["totals"]
    rank = js("rank", "--as-of", "2023-03-31")["rows"]
    overdue = js("overdue", "--as-of", "2023-03-31")["rows"]
    assert {r["id"] for r in overdue} == OVERDUE and quarter["overdue"] == len(OVERDUE)
    assert quarter["behind"] + quarter["not_started"] == len(LAGGING)
    overall = next(t for t in texts if t.startswith("截至2023年3月31日"))
    assert f"重点任务共{quarter['tasks']}项" in overall and f"逾期未完成{quarter['overdue']}项" in overall
    flagged = [r["name"] for r in rank if r["flagged"]]
    assert len(flagged) >= 3
    assert any(t.endswith("排名后三位的是：" + "、".join(flagged) + "。") for t in texts)
    by_unit: dict[str, list[int]] = {}
    for r in overdue:
        by_unit.setdefault(r["lead_unit"], []).append(r["id"])
    assert sorted(by_unit["市发改委"]) == [4, 21]
    for unit in list(dict.fromkeys(flagged + list(by_unit))):
        line = next(t for t in texts if re.match(rf"\d+\.{re.escape(unit)}：", t))
        if unit in by_unit:
            ids = "、".join(str(i) for i in sorted(by_unit[unit]))
            assert f"逾期{len(by_unit[unit])}项（编号{ids}）" in line, line
    named = [t for t in texts if re.match(r"\d+\.[^：]+：(排名|逾期|未达)", t)]
    assert len(named) == len(set(flagged) | set(by_unit))

    # 附件1: the behind and not-started tasks; 附件2: the overdue ones
    lag_table, overdue_table = document.tables
    assert len(lag_table.rows) - 1 == quarter["behind"] + quarter["not_started"]
    assert {int(r.cells[1].text) for r in lag_table.rows[1:]} == LAGGING
    assert len(overdue_table.rows) - 1 == len(overdue)
    assert [int(r.cells[1].text) for r in overdue_table.rows[1:]] == [r["id"] for r in overdue]
    assert [r.cells[6].text for r in overdue_table.rows[1:]] == [str(r["days_overdue"]) for r in overdue]
    assert "3月25日" in overdue_table.rows[4].cells[5].text  # the deadline as written

    listed = js("bulletin", "list")
    assert [(b["number"], b["issued_on"], b["as_of"], b["quarter"]) for b in listed["rows"]] == [
        (1, "2023-03-31", "2023-03-31", "2023Q1")]


def _w(name: str) -> str:
    from docx.oxml.ns import qn

    return qn("w:" + name)


def test_docx_and_markdown_hold_the_same_text_and_runs_repeat(demo_env, tmp_path, zh):
    ok("bulletin", "preview", "--week", "2023-W13", "-o", tmp_path / "a.docx")
    ok("bulletin", "preview", "--week", "2023-W13", "-o", tmp_path / "a.md")
    ok("bulletin", "preview", "--week", "2023-W13", "-o", tmp_path / "b.docx")
    ok("bulletin", "preview", "--week", "2023-W13", "-o", tmp_path / "b.md")
    docx_lines, md_lines = docx_text(tmp_path / "a.docx"), md_text(tmp_path / "a.md")
    assert len(docx_lines) > 40
    # the DOCX header puts office and date on one line with a tab; the Markdown with a space
    assert [x.replace("\t", " ") for x in docx_lines] == md_lines
    assert docx_text(tmp_path / "b.docx") == docx_lines
    assert (tmp_path / "a.md").read_bytes() == (tmp_path / "b.md").read_bytes()
    assert "关于2023年第13周全市重点工作推进情况的通报" in md_lines
    # preview records nothing
    assert js("bulletin", "list")["rows"] == []


def test_bulletin_numbers_run_per_year_and_replay(demo_env, tmp_path, monkeypatch):
    ok("bulletin", "issue", "--on", "2023-03-24", "-o", tmp_path / "1.md")
    ok("bulletin", "issue", "-o", tmp_path / "2.md")
    assert "**2023 No. 2**" in (tmp_path / "2.md").read_text(encoding="utf-8")
    before = dump_ledger(demo_env)
    line = fails("bulletin", "issue", "--issue", "2", "-o", tmp_path / "again.md")
    assert "issue 2 of 2023" in line and "the next is 3" in line
    assert not (tmp_path / "again.md").exists() and dump_ledger(demo_env) == before
    ok("bulletin", "issue", "--issue", "7", "-o", tmp_path / "7.md")
    rows = js("bulletin", "list")["rows"]
    assert [(r["number"], r["issued_on"]) for r in rows] == [(1, "2023-03-24"), (2, "2023-03-31"), (7, "2023-03-31")]
    assert [r["number"] for r in js("bulletin", "list", "--as-of", "2023-03-30")["rows"]] == [1]
    monkeypatch.setenv("TASKCTL_TODAY", "2024-01-05")
    out = ok("bulletin", "issue", "-o", tmp_path / "2024.md").stdout
    assert "2024 No. 1" in out
    # as of the week's Sunday (2023-04-02) though issued later; ranking of 2023Q2's first days is Q2
    ok("bulletin", "preview", "--week", "2023-W13", "-o", tmp_path / "w13.md")
    assert "As of 2023-04-02" in (tmp_path / "w13.md").read_text(encoding="utf-8")


def test_a_bulletin_before_a_task_was_recorded_does_not_change(demo_env, tmp_path):
    ok("bulletin", "preview", "--as-of", "2023-03-10", "-o", tmp_path / "before.md")
    ok("task", "add", "后来录入的任务", "--area", "1", "--lead", "市发改委", "--due", "2023-04-20",
       "--start", "2023-04-01")
    ok("progress", "add", "4", "--percent", "100", "--on", "2023-03-31")
    ok("bulletin", "preview", "--as-of", "2023-03-10", "-o", tmp_path / "after.md")
    assert (tmp_path / "before.md").read_bytes() == (tmp_path / "after.md").read_bytes()


def test_bulletin_bad_input_is_one_line_and_records_nothing(demo_env, tmp_path):
    import docx

    no_body = tmp_path / "no-body.docx"
    d = docx.Document()
    d.add_paragraph("{{office}} 督查通报 {{issue}}")
    d.save(str(no_body))
    unknown = tmp_path / "unknown.docx"
    d = docx.Document()
    d.add_paragraph("{{期号}} {{signature}}")
    d.add_paragraph("{{body}}")
    d.save(str(unknown))
    not_docx = tmp_path / "plain.docx"
    not_docx.write_text("not a document", encoding="utf-8")
    before = dump_ledger(demo_env)
    assert "{{body}}" in fails("bulletin", "issue", "--template", no_body, "-o", tmp_path / "x.docx")
    assert "{{signature}}" in fails("bulletin", "issue", "--template", unknown, "-o", tmp_path / "x.docx")
    assert "cannot read the template" in fails("bulletin", "issue", "--template", not_docx, "-o", tmp_path / "x.docx")
    assert "cannot write" in fails("bulletin", "issue", "-o", tmp_path / "no-such-dir" / "x.docx")
    assert "--template is for DOCX" in fails("bulletin", "issue", "--template", no_body, "-o", tmp_path / "x.md")
    assert "only one of" in fails("bulletin", "issue", "--week", "2023-W13", "--as-of", "2023-03-01")
    assert "a file" in fails("bulletin", "issue", "--format", "docx")
    assert "after today" in fails("bulletin", "issue", "--on", "2023-04-02", "-o", tmp_path / "x.md")
    assert "has not begun" in fails("bulletin", "issue", "--quarter", "2023Q2", "-o", tmp_path / "x.md")
    assert "positive" in fails("bulletin", "issue", "--issue", "0", "-o", tmp_path / "x.md")
    assert not list(tmp_path.glob("x.*")) and dump_ledger(demo_env) == before


def test_an_office_template_keeps_its_header_and_gets_the_text(demo_env, tmp_path, zh):
    import docx
    from docx.shared import RGBColor

    template = tmp_path / "红头.docx"
    d = docx.Document()
    head = d.add_paragraph()
    run = head.add_run("{{office}}")
    run.font.color.rgb = RGBColor(0xFF, 0, 0)
    head.add_run("文件")  # placeholders may be split over runs by WPS
    d.add_paragraph("{{期号}}　{{date}}")
    d.add_paragraph("{{body}}")
    d.add_paragraph("抄送：市委办公室")
    d.sections[0].footer.paragraphs[0].text = "{{name}}"
    d.save(str(template))
    out = tmp_path / "out.docx"
    ok("bulletin", "issue", "--template", template, "--office", "朝阳市人民政府督查室", "-o", out)
    lines = docx_text(out)
    assert lines[0] == "朝阳市人民政府督查室文件" and lines[1] == "2023年第1期　2023年3月31日"
    assert lines[2] == "关于2023年第一季度全市重点工作推进情况的通报" and lines[3] == "一、总体情况"
    assert lines[-1] == "抄送：市委办公室"  # the template's own text after {{body}} stays after it
    assert not any("{{" in x for x in lines)
    result = docx.Document(str(out))
    assert result.paragraphs[0].runs[0].font.color.rgb == RGBColor(0xFF, 0, 0)
    assert result.sections[0].footer.paragraphs[0].text == "督查通报"
    assert len(result.tables) == 2


# ---------------------------------------------------------------- slips and the ladder

def _due(as_of: str) -> dict[int, str]:
    doc = js("notice", "list", "--as-of", as_of)
    return {r["task_id"]: r["level"] for r in doc["rows"] if r["kind"] == "due"}


def test_the_ladder_says_who_is_due_which_slip_and_slips_replay(demo_env, tmp_path):
    due = _due("2023-03-31")
    want = {**{i: "supervise" for i in OVERDUE}, **{i: "urge" for i in LAGGING}, **{i: "remind" for i in REMIND}}
    assert due == want  # task 12 is due on the 31st and behind: the higher level (催办) wins
    new = json.loads(ok("task", "add", "提醒测试", "--area", "1", "--lead", "市财政局", "--start", "2023-01-01",
                        "--due", "2023-04-05", "--format", "json").stdout)["id"]
    ok("progress", "add", new, "--percent", "90", "--on", "2023-03-31")  # on track: 94.7% expected on the 31st
    assert _due("2023-04-01").get(new) is None  # 4 days before its deadline: no reminder yet
    assert _due("2023-04-02").get(new) == "remind"

    out = ok("notice", "issue", "--due", "-o", tmp_path / "slips.docx").stdout
    assert out.startswith("issued 13:")
    import docx

    document = docx.Document(str(tmp_path / "slips.docx"))
    assert document.element.body.xml.count('w:type="page"') == 12  # one page per slip
    assert len(document.tables) == 13
    first = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert first["Reply by"] == "2023-04-03" and "#2" in first["Task"]

    again = ok("notice", "issue", "--due", "-o", tmp_path / "again.docx").stdout
    assert "no slip is due" in again and not (tmp_path / "again.docx").exists()
    slips = js("notice", "list", "--slips")
    assert slips["total"] == 13 and slips["due"] == 0 and slips["open"] == 13
    numbers = {r["level"]: sorted(x["number"] for x in slips["rows"] if x["level"] == r["level"]) for r in slips["rows"]}
    assert len(numbers["urge"]) == 8 and len(numbers["supervise"]) == 4
    # as of the day before, the slips did not exist yet and every task was due its slip
    assert js("notice", "list", "--as-of", "2023-03-30", "--slips")["open"] == 0

    # the reports count slips per unit: 市发改委 leads 2, 4 and 21
    rank = {r["name"]: r["notices"] for r in js("rank")["rows"]}
    assert rank["市发改委"] == 3 and sum(rank.values()) == 13 - 1  # task 28 has no lead unit
    assert js("quarter")["totals"]["notices"] == 13
    assert js("quarter", "--as-of", "2023-03-30")["totals"]["notices"] == 0
    weekly = json.loads(ok("export", "weekly", "--week", "2023-W13", "--format", "json").stdout)
    assert weekly["parts"]["summary"]["totals"]["notices"] == 13

    # one open slip per task and level, even when asked by id
    slip_4 = next(r["slip"] for r in slips["rows"] if r["task_id"] == 4)
    assert "already has an open" in fails("notice", "issue", "4", "--level", "supervise")
    assert "not due a slip" in fails("notice", "issue", "7")


def test_answers_verdicts_and_escalation(demo_env, tmp_path, monkeypatch):
    ok("notice", "issue", "4", "21", "-o", tmp_path / "s.md")
    text = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert text.count("## Key work supervision notice") == 2 and "6 day(s) overdue" in text
    rows = js("notice", "list", "--slips")["rows"]
    slip_4 = next(r["slip"] for r in rows if r["task_id"] == 4 and r["kind"] == "slip")
    slip_21 = next(r["slip"] for r in rows if r["task_id"] == 21 and r["kind"] == "slip")

    before = dump_ledger(demo_env)
    ok("notice", "print", slip_4, slip_21, "-o", tmp_path / "again.md")  # printed again, as issued
    assert (tmp_path / "again.md").read_bytes() == (tmp_path / "s.md").read_bytes()
    assert "no answer awaiting" in fails("notice", "accept", slip_4)
    assert "before the slip was issued" in fails("notice", "answer", slip_4, "--text", "x", "--on", "2023-03-30")
    assert "after today" in fails("notice", "answer", slip_4, "--text", "x", "--on", "2023-04-01")
    assert "no slip with id" in fails("notice", "answer", "999", "--text", "x")
    assert dump_ledger(demo_env) == before

    monkeypatch.setenv("TASKCTL_TODAY", "2023-04-06")
    ok("notice", "answer", slip_21, "--text", "已签约5个项目", "--on", "2023-04-01")
    ok("notice", "reject", slip_21, "--reason", "未说明完成时限", "--on", "2023-04-02")
    ok("notice", "answer", slip_21, "--text", "4月底前完成", "--on", "2023-04-03")
    assert "awaiting a verdict" in fails("notice", "answer", slip_21, "--text", "again", "--on", "2023-04-04")
    ok("notice", "accept", slip_21, "--on", "2023-04-04")
    assert "closed" in fails("notice", "accept", slip_21, "--on", "2023-04-05")

    def status(as_of: str, slip: int) -> str | None:
        found = [r for r in js("notice", "list", "--slips", "--as-of", as_of)["rows"] if r["slip"] == slip]
        return found[0]["status"] if found else None

    assert [status(d, slip_21) for d in ("2023-03-30", "2023-03-31", "2023-04-01", "2023-04-02", "2023-04-03",
                                         "2023-04-04")] == [None, "unanswered", "answered", "rejected", "answered",
                                                            "accepted"]
    # 督办 of task 4 unanswered for 5 days: the 通报 level is due (not at 4 days)
    assert _due("2023-04-04").get(4) is None
    assert _due("2023-04-05").get(4) == "bulletin"
    late = [r for r in js("notice", "list", "--as-of", "2023-04-05")["rows"] if r.get("slip") == slip_4]
    assert late[0]["reply_overdue"] is True
    # the task done closes its slip
    ok("task", "done", "4", "--on", "2023-04-05")
    assert status("2023-04-05", slip_4) == "task_done" and status("2023-04-04", slip_4) == "unanswered"
    assert _due("2023-04-05").get(4) is None


def test_the_ladder_is_data(demo_env, tmp_path):
    shown = js("ladder", "show")
    assert shown["default"] is True
    assert [(r["key"], r["colour"], r["trigger"], r["days"]) for r in shown["rows"]] == [
        ("remind", "blue", "before_due", 3), ("urge", "yellow", "behind", 0), ("supervise", "red", "overdue", 0),
        ("bulletin", "purple", "unanswered", 5)]
    ok("ladder", "set", "supervise", "--days", "7", "--colour", "橙")
    due = _due("2023-03-31")
    assert {i for i, lv in due.items() if lv == "supervise"} == {21, 33, 35}  # task 4 is 6 days overdue
    assert js("ladder", "show")["rows"][2]["colour"] == "orange"
    ok("ladder", "set", "talk", "--name", "约谈", "--colour", "black", "--trigger", "unanswered", "--after",
       "bulletin", "--days", "3", "--text", "请于{reply_by}前到督查室说明{title}推进情况。")
    assert [r["key"] for r in js("ladder", "show")["rows"]][-1] == "talk"

    before = dump_ledger(demo_env)
    assert "unknown colour" in fails("ladder", "set", "urge", "--colour", "pink")
    assert "unknown placeholders" in fails("ladder", "set", "urge", "--text", "请{nonsense}")
    assert "--after" in fails("ladder", "set", "x", "--name", "X", "--colour", "red", "--trigger", "unanswered",
                              "--text", "t")
    assert dump_ledger(demo_env) == before

    saved = tmp_path / "ladder.json"
    saved.write_text(ok("ladder", "show", "--format", "json").stdout, encoding="utf-8")
    ok("ladder", "set", "--reset")
    assert js("ladder", "show")["default"] is True
    ok("ladder", "set", "--file", saved)
    assert len(js("ladder", "show")["rows"]) == 5

    ok("notice", "issue", "21", "-o", tmp_path / "s.md")
    short = tmp_path / "short.json"
    short.write_text(json.dumps([r for r in js("ladder", "show")["rows"] if r["key"] in ("remind", "urge")]),
                     encoding="utf-8")
    assert "slips of level supervise" in fails("ladder", "set", "--file", short)
    assert "before it" in fails("ladder", "set", "supervise", "--remove")  # 通报 follows 督办


def test_one_slip_per_level_and_deadline_and_the_behind_days(demo_env, tmp_path, monkeypatch):
    ok("notice", "issue", "21", "-o", tmp_path / "s.md")  # 督办: overdue since 2023-03-15
    slip = js("notice", "list")["rows"][-1]
    assert (slip["task_id"], slip["level"], slip["kind"]) == (21, "supervise", "slip")
    monkeypatch.setenv("TASKCTL_TODAY", "2023-04-12")
    ok("notice", "answer", slip["slip"], "--text", "申请延期", "--on", "2023-04-01")
    ok("notice", "accept", slip["slip"], "--on", "2023-04-01")
    ok("task", "extend", "21", "--to", "2023-04-10", "--reason", "签约仪式改期", "--on", "2023-04-01")
    # closed, and the deadline in force has moved: nothing until the new one passes, then 督办 again
    assert _due("2023-04-10").get(21) != "supervise"
    assert _due("2023-04-11").get(21) == "supervise"
    out = ok("notice", "issue", "21", "--on", "2023-04-11", "-o", tmp_path / "s2.md").stdout
    assert "Supervision 2023-2" in out

    monkeypatch.setenv("TASKCTL_TODAY", "2023-03-31")
    ok("ladder", "set", "urge", "--days", "90")  # behind on D and on D − 90 (before any task began): none
    assert "urge" not in _due("2023-03-31").values()
    ok("ladder", "set", "urge", "--days", "0")
    assert {i for i, lv in _due("2023-03-31").items() if lv == "urge"} == LAGGING
