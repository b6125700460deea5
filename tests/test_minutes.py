"""import minutes (issue 11): cleaning, byte repair, drafting, recording — on SQLite and PostgreSQL.

The rewriter simulator below does what the web rewriter did to the seed: it walks the GBK bytes of a
text one byte at a time and, wherever two bytes spell a character on its list, inserts that
character's tone-marked pinyin after them — so it also matches two bytes that straddle two
characters.  The damaged bytes are then decoded by Python's ``gbk`` codec with ``errors="replace"``
("\ufffd(fàn)") or by a decoder that writes "?" for a bad pair and swallows both bytes ("?fàn)").
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import dump_ledger, run

SEED = Path("/work/shared/seeds/000_fbdf14808f5e3168.txt")
DATA = Path(__file__).parent / "data"
CHAOAN = DATA / "minutes_chaoan.txt"
SEED_SIMPLIFIED = DATA / "minutes_seed_simplified.txt"
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
PINYIN_NOTE = re.compile(rf"\([a-z{TONED}]+\)|[?\ufffd][a-z{TONED}]+\)")

pytestmark = pytest.mark.skipif(not SEED.exists(), reason=f"the seed {SEED} is not on this machine")


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the rewriter simulator

def tone_pinyin(char: str) -> str:
    from pypinyin import Style, pinyin

    return pinyin(char, style=Style.TONE)[0][0]


def rewrite(text: str, chars: set[str], decoder: str = "replace"):
    """The rewriter: pinyin after every two GBK bytes that spell a listed character, aligned or not."""
    table = {c.encode("gbk"): tone_pinyin(c) for c in chars}
    data, out, i = text.encode("gbk"), bytearray(), 0
    while i < len(data):
        two = data[i:i + 2]
        if len(two) == 2 and two in table:
            out += two + f"({table[two]})".encode("gbk")
            i += 2
        else:
            out.append(data[i])
            i += 1
    if decoder == "raw":  # the bytes as the rewriter served them, for a file
        return out
    if decoder == "replace":
        return out.decode("gbk", errors="replace")
    text_out, i = [], 0  # the "?" decoder: a bad pair becomes "?" and both bytes are gone
    while i < len(out):
        if out[i] < 0x80:
            text_out.append(chr(out[i]))
            i += 1
            continue
        try:
            text_out.append(bytes(out[i:i + 2]).decode("gbk"))
            i += 2
        except UnicodeDecodeError:
            text_out.append("?")
            i += 2 if i + 1 < len(out) and out[i + 1] != 0x0A else 1
    return "".join(text_out)


def straddling(text: str) -> dict[str, int]:
    """Characters spelt by the second byte of one character and the first of the next, where the
    next character's second byte is ASCII (so the decoder falls back into step right after it), with
    how many lead bytes their pinyin allows after that first byte (1 = the damage decides itself)."""
    from pypinyin import Style, pinyin

    found: dict[str, int] = {}
    for a, b in zip(text, text[1:]):
        ba, bb = a.encode("gbk"), b.encode("gbk")
        if len(ba) != 2 or len(bb) != 2 or bb[1] >= 0x80:
            continue
        try:
            char = bytes((ba[1], bb[0])).decode("gbk")
        except UnicodeDecodeError:
            continue
        if not ("\u4e00" <= char <= "\u9fff"):
            continue
        syllable = tone_pinyin(char)
        leads = 0
        for lead in range(0x81, 0xFF):
            try:
                other = bytes((ba[1], lead)).decode("gbk")
            except UnicodeDecodeError:
                continue
            if syllable in pinyin(other, style=Style.TONE, heteronym=True)[0]:
                leads += 1
        found[char] = leads
    return found


def traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2tw").convert(text)


def repaired(text: str):
    from taskctl.minutes.clean import Cleaned, repair, strip_annotations

    result = Cleaned(text="", encoding="utf-8")
    fixed = repair(text, result)
    return strip_annotations(fixed)[0], result


def test_the_simulator_makes_both_damage_shapes_and_the_repair_undoes_them():
    original = "要聚焦營商環境抓項目"  # 焦營 = BD B9 A0 49; B9 A0 is 範 (fàn)
    assert bytes((original[2].encode("gbk")[1], original[3].encode("gbk")[0])).decode("gbk") == "範"
    as_python = rewrite(original, {"範"}, "replace")
    as_seed = rewrite(original, {"範"}, "question")
    assert as_python == "要聚焦\ufffd(fàn)I商環境抓項目"
    assert as_seed == "要聚焦?fàn)I商環境抓項目"  # the seed's shape
    for damaged in (as_python, as_seed):
        fixed, result = repaired(damaged)
        assert fixed == original
        assert [s.repaired for s in result.repaired] == ["焦營"] and not result.unrepaired


@pytest.mark.parametrize("decoder", ["replace", "question"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_repair_restores_other_text_damaged_at_misaligned_boundaries(decoder, seed):
    """Every straddling character whose pinyin leaves one lead byte, plus random aligned annotations,
    on a text the repair has never seen (the second meeting, in Traditional characters)."""
    original = traditional(CHAOAN.read_text(encoding="utf-8"))
    across = straddling(original)
    decisive = sorted(c for c, leads in across.items() if leads == 1)
    assert len(decisive) >= 5, decisive
    rng = random.Random(seed)
    han = sorted({c for c in original if "\u4e00" <= c <= "\u9fff"} - set(across))
    chars = set(rng.sample(han, 40)) | set(decisive)
    damaged = rewrite(original, chars, decoder)
    marks = len(re.findall(r"[?\ufffd]\(?[a-z" + TONED + r"]+\)", damaged))
    assert marks >= 5 and damaged != original
    fixed, result = repaired(damaged)
    assert fixed == original
    assert len(result.repaired) == marks and not result.unrepaired


@pytest.mark.parametrize("decoder", ["replace", "question"])
def test_repair_never_guesses_silently(decoder):
    """Any list of characters, every straddling one included (most break the text for several
    characters, some beyond recovery): each line is restored exactly or a spot on it is reported."""
    for name in (SEED_SIMPLIFIED, CHAOAN):
        original = traditional(name.read_text(encoding="utf-8"))
        every = set(straddling(original))
        han = sorted({c for c in original if "\u4e00" <= c <= "\u9fff"})
        restored = reported = 0
        for seed in range(6):
            rng = random.Random(seed)
            chars = set(rng.sample(han, 30)) | set(rng.sample(sorted(every), min(6, len(every))))
            fixed, result = repaired(rewrite(original, chars, decoder))
            flagged = {s.line for s in result.unrepaired}
            restored += len(result.repaired)
            reported += len(result.unrepaired)
            for n, (got, want) in enumerate(zip(fixed.split("\n"), original.split("\n")), start=1):
                assert got == want or n in flagged, (name.name, seed, n, got, want)
        assert restored > 0 and reported > 0


def test_gdp_and_bracketed_names_stay():
    from taskctl.minutes.clean import clean

    text = "全市生產總值(GDP)增長(zhǎng)6%，由市發改委(張明)牽頭(tóu)。"
    cleaned = clean(text).text
    assert "(GDP)" in cleaned and "（张明）" in cleaned
    assert "zhǎng" not in cleaned and "tóu" not in cleaned and "增长6%" in cleaned


# ---------------------------------------------------------------- the seed

def test_seed_cleans_to_simplified_text_without_pinyin():
    from taskctl.minutes.clean import clean, to_simplified

    raw = seed_text()
    result = clean(raw)
    text = result.text
    assert not PINYIN_NOTE.search(text) and "?" not in text and "\ufffd" not in text
    assert to_simplified(text) == text and result.converted
    assert "要聚焦营商环境抓项目" in text and "着力提升" in text and "着眼提高" in text  # tw2s, not t2s
    assert result.annotations == raw.count("(")  # every "(pinyin)" in the seed is an annotation
    assert [(s.line, s.damaged, s.repaired) for s in result.repaired] == [(4, "?fàn)", "焦营")]
    assert not result.unrepaired
    assert "，" in text and "," not in text


def test_seed_draft_six_areas_leaders_and_tasks():
    from taskctl.areas import SIX_AREAS
    from taskctl.minutes.clean import clean
    from taskctl.minutes.draft import AreaRef, draft

    areas = [AreaRef(key, zh, number, description, en) for number, key, zh, en, description in SIX_AREAS]
    d = draft(clean(seed_text()).text, year=2023, areas=areas)
    assert d.title == "全市重点工作调度推进会议" and d.date.isoformat() == "2023-01-28"
    assert [c.area.key for c in d.clauses] == [a[1] for a in SIX_AREAS]
    assert not any(a.new for a in d.areas)
    per_area = {a.key: sum(1 for t in d.tasks if t.area.key == a.key) for a in d.areas}
    assert all(n >= 2 for n in per_area.values()), per_area
    environment = d.clauses[5]
    assert environment.sentence.startswith("要聚焦营商环境抓项目，")  # the repaired clause
    assert "不折不扣抓好省委专项巡视反馈意见整改落实" in environment.measures
    assert "把目标任务量化细化到各县区、经济区和重点企业上" in d.clauses[0].measures
    assert "持续强化政策、项目、资金“三争取”工作" in d.clauses[1].measures
    people = {p.name: p.title for p in d.people}
    assert people == {
        "邢鹏": "市委副书记、市长", "杜鑫": "市委常委、副市长", "段家喜": "市委常委、副市长",
        "贾洪琳": "副市长", "徐同连": "副市长", "米金套": "副市长", "任振波": "副市长", "周伟山": "副市长",
        "崔建": "市政协副主席", "王冰": "市政府秘书长",
    }
    assert sum(1 for title in people.values() if title.endswith("副市长")) == 7


def test_a_clean_simplified_copy_gives_the_same_draft():
    from taskctl.areas import SIX_AREAS
    from taskctl.minutes.clean import clean
    from taskctl.minutes.draft import AreaRef, draft

    areas = [AreaRef(key, zh, number, description, en) for number, key, zh, en, description in SIX_AREAS]
    copy = SEED_SIMPLIFIED.read_text(encoding="utf-8")
    assert not PINYIN_NOTE.search(copy) and "要聚焦营商环境抓项目" in copy
    plain = clean(copy)
    assert plain.annotations == 0 and not plain.repaired and not plain.converted

    def shape(d):
        return (d.title, d.date, d.source, [(t.area.key, t.title, t.sentence) for t in d.tasks],
                [(p.name, p.title) for p in d.people])

    assert shape(draft(plain.text, year=2023, areas=areas)) == \
        shape(draft(clean(seed_text()).text, year=2023, areas=areas))


def test_second_meeting_worded_differently():
    """Another city, 一要狠抓/二要抓好/三要聚焦…抓项目, a clause for an area the ledger lacks."""
    from taskctl.areas import SIX_AREAS
    from taskctl.minutes.clean import clean
    from taskctl.minutes.draft import AreaRef, draft

    areas = [AreaRef(key, zh, number, description, en) for number, key, zh, en, description in SIX_AREAS]
    d = draft(clean(CHAOAN.read_text(encoding="utf-8")).text, year=2023, areas=areas)
    assert d.title == "一季度重点项目建设攻坚推进会" and d.date.isoformat() == "2023-02-15"
    assert [(c.phrase, c.area.key) for c in d.clauses] == [
        ("招商引资", "attraction"), ("有效投资", "investment"), ("争取上级支持", "upward"),
        ("科技创新和产业升级", "structure"), ("园区平台建设", "platform"), ("乡村振兴", "xiangcunzhenxing"),
        ("优化营商环境", "environment"),
    ]
    assert [a.name for a in d.areas if a.new] == ["乡村振兴"]
    assert d.clauses[0].measures == ["坚持市领导带队外出招商", "围绕新能源、新材料产业链开展精准招商",
                                     "全年新签约亿元以上项目不少于60个", "力争引进世界500强企业2家"]
    assert d.clauses[6].measures[-1] == "对企业反映的问题实行清单化管理、限时办结"
    assert {p.name: p.title for p in d.people} == {
        "林海涛": "市委书记", "韩雪梅": "市委副书记、市长", "郑国栋": "市委常委、常务副市长",
        "吴敏": "市委常委、秘书长", "高峰": "副市长", "陆建平": "副市长", "孙立新": "市人大常委会副主任",
        "何晓东": "市政协副主席",
    }
    # the same meeting damaged by the rewriter in Traditional characters drafts the same
    rng = random.Random(5)
    original = traditional(CHAOAN.read_text(encoding="utf-8"))
    across = straddling(original)
    chars = set(rng.sample(sorted({c for c in original if "\u4e00" <= c <= "\u9fff"} - set(across)), 50))
    cleaned = clean(rewrite(original, chars | {c for c, leads in across.items() if leads == 1}))
    assert cleaned.repaired and not cleaned.unrepaired and cleaned.converted
    again = draft(cleaned.text, year=2023, areas=areas)
    assert [(t.area.key, t.title) for t in again.tasks] == [(t.area.key, t.title) for t in d.tasks]


def test_slogans_are_no_clauses():
    from taskctl.minutes.draft import find_clauses

    text = ("动员全市上下大抓项目、抓好项目。抓好项目建设尤为重要。各地要坚定信心。"
            "要聚焦扩大投资抓项目，强化要素保障，加快手续办理。")
    clauses = find_clauses(text)
    assert [c.phrase for c in clauses] == ["扩大投资"]
    assert clauses[0].measures == ["强化要素保障", "加快手续办理"]


# ---------------------------------------------------------------- the command, on both backends

def ok(*args: str):
    result = run(*args)
    assert result.exit_code == 0, f"{args}: {result.stdout}{result.stderr}"
    return result


def tasks_json(*filters: str) -> list[dict]:
    return json.loads(ok("task", "list", *filters, "--format", "json").stdout)


def leaders_json() -> list[dict]:
    return json.loads(ok("leader", "list", "--format", "json").stdout)


def test_dry_run_lists_the_draft_and_writes_nothing(ledger_env):
    before = dump_ledger(ledger_env)
    result = ok("import", "minutes", str(SEED), "--dry-run", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["report"] == "minutes" and doc["meeting"]["date"] == "2023-01-28"
    assert [a["key"] for a in doc["areas"]] == ["investment", "upward", "structure", "attraction", "platform",
                                               "environment"]
    assert doc["total"] == len(doc["rows"]) == sum(a["tasks"] for a in doc["areas"])
    assert all(r["start"] == "2023-01-28" and r["source"] == doc["meeting"]["source"] and r["id"] is None
               for r in doc["rows"])
    assert len(doc["leaders"]) == 10
    assert "repaired: line 4" in result.stderr
    table = ok("import", "minutes", str(SEED), "--dry-run")
    for row in doc["rows"]:
        assert row["title"] in table.stdout
    md = ok("import", "minutes", str(SEED), "--dry-run", "--format", "md").stdout
    assert md.count("\n| 扩大投资 |") == sum(1 for r in doc["rows"] if r["area"] == "investment")
    assert dump_ledger(ledger_env) == before


def test_recording_then_reimporting_adds_nothing(ledger_env):
    ok("leader", "add", "杜鑫", "--title", "常务副市长")  # already in the ledger: matched, kept as it is
    first = ok("import", "minutes", str(SEED))
    drafted = json.loads(ok("import", "minutes", str(SEED), "--dry-run", "--format", "json").stdout)
    unassigned = tasks_json("--unassigned")
    assert len(unassigned) == drafted["total"] and len(unassigned) >= 12
    assert all(t["lead_unit"] is None and t["start"] == "2023-01-28" for t in unassigned)
    assert {t["area"] for t in unassigned} == {"investment", "upward", "structure", "attraction", "platform",
                                              "environment"}
    assert "recorded" in first.stdout
    leaders = {row["name"]: row["title"] for row in leaders_json()}
    assert len(leaders) == 10 and leaders["杜鑫"] == "常务副市长" and leaders["邢鹏"] == "市委副书记、市长"
    shown = json.loads(ok("task", "show", str(unassigned[0]["id"]), "--format", "json").stdout)
    assert shown["source"] == drafted["meeting"]["source"] and shown["detail"].startswith("要聚焦扩大投资抓项目")
    before = dump_ledger(ledger_env)
    again = ok("import", "minutes", str(SEED))
    assert dump_ledger(ledger_env) == before  # no task, leader, area — nor a history entry
    assert f"{drafted['total']} already in the ledger" in again.stdout
    # the secretary assigns a unit to a draft: it leaves the unassigned list, and a re-import keeps it
    ok("unit", "add", "市发改委", "--kind", "部门")
    ok("task", "edit", str(unassigned[0]["id"]), "--lead", "市发改委", "--leader", "杜鑫", "--due", "3月底前")
    ok("import", "minutes", str(SEED))
    assert len(tasks_json("--unassigned")) == drafted["total"] - 1
    assert tasks_json("--unit", "市发改委")[0]["id"] == unassigned[0]["id"]
    log = json.loads(ok("log", "--format", "json").stdout)
    history = [h for h in log if h["action"] == "import.minutes"]
    assert len(history) == 1  # one entry for the whole import, none per task or leader
    assert not [h for h in log if h["action"] in ("task.add", "area.add")]
    assert [h["action"] for h in log].count("leader.add") == 1  # 杜鑫, added by hand above
    assert [h["action"] for h in log].count("task.edit") == 1


def test_the_draft_csv_imports_as_it_stands(ledger_env, tmp_path):
    draft_csv = tmp_path / "draft.csv"
    csv_out = ok("import", "minutes", str(SEED), "--dry-run", "--format", "csv").stdout
    draft_csv.write_text(csv_out, encoding="utf-8")
    header = csv_out.lstrip("\ufeff").splitlines()[0].split(",")
    assert header == ["area", "area_name", "title", "start", "source", "detail"] and "leader" not in header
    rows = len(csv_out.lstrip("\ufeff").splitlines()) - 1
    result = ok("import", "tasks", str(draft_csv))
    assert f"{rows} rows read, {rows} added" in result.stdout and "ignored" not in result.stderr
    imported = tasks_json("--unassigned")
    assert len(imported) == rows and all(t["start"] == "2023-01-28" for t in imported)
    # the same minutes afterwards: the tasks are matched on source + title, only the leaders are new
    again = ok("import", "minutes", str(SEED))
    assert len(tasks_json()) == rows
    assert f"{rows} already in the ledger" in again.stdout and len(leaders_json()) == 10


def test_new_areas_only_with_the_flag(ledger_env):
    drafted = json.loads(ok("import", "minutes", str(CHAOAN), "--dry-run", "--format", "json").stdout)
    new = [a for a in drafted["areas"] if a["new"]]
    assert [(a["key"], a["name"]) for a in new] == [("xiangcunzhenxing", "乡村振兴")]
    waiting = new[0]["tasks"]
    result = ok("import", "minutes", str(CHAOAN))
    assert "--new-areas" in result.stdout
    assert len(tasks_json()) == drafted["total"] - waiting
    areas = json.loads(ok("area", "list", "--format", "json").stdout)
    assert "乡村振兴" not in [a["name"] for a in areas]
    ok("import", "minutes", str(CHAOAN), "--new-areas")
    areas = json.loads(ok("area", "list", "--format", "json").stdout)
    added = [a for a in areas if a["name"] == "乡村振兴"]
    assert added and added[0]["key"] == "xiangcunzhenxing" and added[0]["tasks"] == waiting
    assert len(tasks_json()) == drafted["total"]
    assert all(t["start"] == "2023-02-15" for t in tasks_json())


def test_date_option_and_gbk_file_and_raw_rewriter_bytes(ledger_env, tmp_path):
    gbk = tmp_path / "纪要-gbk.txt"
    gbk.write_bytes(seed_text().encode("gbk"))
    from_gbk = json.loads(ok("import", "minutes", str(gbk), "--dry-run", "--format", "json").stdout)
    from_utf8 = json.loads(ok("import", "minutes", str(SEED), "--dry-run", "--format", "json").stdout)
    assert from_gbk["rows"] == from_utf8["rows"]
    # bytes straight from the rewriter, never decoded: 焦營 with (fàn) inside
    raw = tmp_path / "raw.txt"
    original = CHAOAN.read_text(encoding="utf-8").replace("七要聚焦优化营商环境", "七要聚焦營商環境")
    assert "焦營" in original
    data = bytearray()
    for piece in re.split("(焦營)", original):
        data += b"\xbd\xb9\xa0(f\xa8\xa4n)I" if piece == "焦營" else piece.encode("gbk")
    raw.write_bytes(bytes(data))
    result = ok("import", "minutes", str(raw), "--dry-run", "--format", "json")
    doc = json.loads(result.stdout)
    assert any(r["detail"].startswith("七要聚焦营商环境狠抓项目") and r["area"] == "environment" for r in doc["rows"])
    dated = json.loads(ok("import", "minutes", str(SEED), "--dry-run", "--date", "2023-02-01",
                          "--format", "json").stdout)
    assert {r["start"] for r in dated["rows"]} == {"2023-02-01"}


def test_show_clean_prints_the_text_and_records_nothing(ledger_env):
    before = dump_ledger(ledger_env)
    result = ok("import", "minutes", str(SEED), "--show-clean")
    assert result.stdout == SEED_SIMPLIFIED.read_text(encoding="utf-8")
    assert dump_ledger(ledger_env) == before


@pytest.mark.parametrize("case", ["empty", "binary", "undecodable", "no_clause", "no_date", "missing"])
def test_bad_files_are_one_line_and_change_nothing(ledger_env, tmp_path, case):
    path = tmp_path / f"{case}.txt"
    content = {
        "empty": b"  \n",
        "binary": bytes(range(256)) * 4,
        "undecodable": "会议".encode("gbk") + b"\xff\xfe\x80\x81" * 8,
        "no_clause": "全市会议召开\n1月5日，会议召开，动员全市上下大抓项目、抓好项目。".encode(),
        "no_date": "全市会议召开\n会议强调，要聚焦扩大投资抓项目，强化保障，加快进度。".encode(),
    }.get(case)
    if content is not None:
        path.write_bytes(content)
    before = dump_ledger(ledger_env)
    result = run("import", "minutes", str(path))
    assert result.exit_code == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert path.name in lines[0] or str(path) in lines[0]
    if case == "no_date":
        assert "--date" in lines[0]
    assert dump_ledger(ledger_env) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_draft_table_speaks_the_interface_language(sqlite_url, lang):
    from taskctl.i18n import catalogues

    words = catalogues()[lang]
    env = {"TASKCTL_DB": sqlite_url, "TASKCTL_TODAY": "2023-03-31", "COLUMNS": "80"}
    import os

    subprocess.run([sys.executable, "-m", "taskctl", "init", "--year", "2023"], env=dict(os.environ, **env),
                   check=True, capture_output=True)
    proc = subprocess.run([sys.executable, "-m", "taskctl", "--lang", lang, "import", "minutes", str(SEED),
                           "--dry-run"], env=dict(os.environ, **env), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert words["minutes.col_task"] in proc.stdout and words["col.area_name"] in proc.stdout
    assert words["minutes.title"].split("{")[0] in proc.stdout
    other = catalogues()["en" if lang == "zh" else "zh"]
    assert other["minutes.col_task"] not in proc.stdout


def test_a_bad_date_option_is_one_line(ledger_env):
    before = dump_ledger(ledger_env)
    result = run("import", "minutes", str(SEED), "--date", "someday")
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "someday" in result.stderr and "repaired" not in result.stderr
    assert dump_ledger(ledger_env) == before


def test_a_spot_the_repair_cannot_decide_is_reported_with_its_context(ledger_env, tmp_path):
    """推進: the bytes across 推 and 進 spell 七 (qī), and ten characters after 推's second byte read qī,
    several of them everyday ones (進, 贛 …): the command says so, shows where, and still drafts."""
    original = traditional(CHAOAN.read_text(encoding="utf-8"))
    assert "推進" in original and straddling(original)["七"] > 1
    path = tmp_path / "raw.txt"
    path.write_bytes(rewrite(original, {"七", "點", "項"}, "raw"))
    result = ok("import", "minutes", str(path), "--dry-run", "--format", "json")
    problems = [line for line in result.stderr.splitlines() if line.startswith("cannot repair")]
    assert problems and all("line " in p and "推" in p for p in problems)
    assert all("进" in p.split("may be any of")[1] for p in problems)  # the right one among the choices
    doc = json.loads(result.stdout)
    assert doc["total"] >= 10 and "重点" in doc["meeting"]["title"]


@pytest.mark.parametrize("text, title", [
    ("全市重点工作调度推进会议召开\n1月28日，……", "全市重点工作调度推进会议"),
    ("朝安市召开一季度重点项目建设攻坚推进会", "一季度重点项目建设攻坚推进会"),
    ("市政府召开常务会议", "市政府常务会议"),
    ("全市项目建设推进会在市委礼堂召开", "全市项目建设推进会"),
    ("1月28日，全市重点工作调度推进会议召开，听取相关工作汇报。", "全市重点工作调度推进会议"),
])
def test_meeting_title(text, title):
    from taskctl.minutes.draft import meeting_title

    assert meeting_title(text) == title


def test_meeting_date_in_the_ledger_year_unless_the_text_gives_one():
    from taskctl.minutes.draft import NoDate, meeting_date

    assert meeting_date("会议于1月28日召开", year=2024).isoformat() == "2024-01-28"
    assert meeting_date("2022年12月28日，会议召开；2月30日前完成", year=2023).isoformat() == "2022-12-28"
    assert meeting_date("2月30日前后，3月1日召开", year=2023).isoformat() == "2023-03-01"  # no 2月30日
    with pytest.raises(NoDate):
        meeting_date("会议近日召开", year=2023)


def test_docs_name_every_json_field(ledger_env):
    doc = json.loads(ok("import", "minutes", str(CHAOAN), "--dry-run", "--format", "json").stdout)
    page = (Path(__file__).parent.parent / "docs" / "minutes.md").read_text(encoding="utf-8")
    keys = set(doc) | set(doc["rows"][0]) | set(doc["meeting"]) | set(doc["areas"][0]) | set(doc["leaders"][0])
    assert doc["rows"] and not sorted(k for k in keys if f'"{k}"' not in page and f"`{k}`" not in page)
