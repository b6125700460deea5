"""Bad input of every class the fuzzing campaign found: one line on stderr, the right exit code, nothing
written — never a traceback, never accepted."""

from __future__ import annotations

import io
import zipfile

import pytest

from conftest import dump_ledger, run


def refused(url: str, *args: str, code: int = 1, says: str | None = None):
    before = dump_ledger(url)
    result = run(*args)
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    if says:
        assert says in result.stderr, result.stderr
    assert dump_ledger(url) == before
    return result


def test_numbers_and_dates_at_the_ends_of_their_range(demo_env):
    refused(demo_env, "task", "show", "18446744073709551616")
    refused(demo_env, "progress", "add", str(10 ** 30), "--percent", "5")
    refused(demo_env, "progress", "edit", "9223372036854775808", "--percent", "5")
    for args in (("overdue", "--as-of", "0001-01-01"), ("overdue", "--as-of", "9999-12-31"),
                 ("due-soon", "--days", "99999999"), ("stale", "--days", "999999999999")):
        result = run(*args)
        assert result.exit_code in (0, 1) and "Traceback" not in result.stderr, (args, result.stderr)
        if result.exit_code:
            assert len(result.stderr.strip().splitlines()) == 1


def test_values_that_were_wrongly_accepted(demo_env):
    refused(demo_env, "task", "add", "任务", "--area", "1", "--target", "Q1=10,Q1=20")
    for invisible in ("\u200b", "\ufeff", "\u200b\u200d\ufeff", " \u2060 "):
        refused(demo_env, "task", "add", invisible, "--area", "1")
        refused(demo_env, "unit", "add", invisible, "--kind", "部门")
        refused(demo_env, "leader", "add", invisible)
    # task 1 starts 2023-01-01 in the example ledger and has updates from January on
    refused(demo_env, "task", "extend", "1", "--to", "2024-06-30", "--reason", "理由", "--on", "2022-12-01")
    refused(demo_env, "task", "edit", "1", "--start", "2023-03-30")


def test_unknown_names_are_quoted_on_one_line(demo_env):
    result = refused(demo_env, "task", "list", "--unit", "双塔\n区")
    assert "双塔\\n区" in result.stderr


def test_surrogates_and_controls_in_arguments(demo_env):
    refused(demo_env, "task", "add", "a\udce4b", "--area", "1", says="UTF-8")
    refused(demo_env, "unit", "add", "单位\x0b", "--kind", "部门", says="U+000B")
    refused(demo_env, "progress", "add", "1", "--percent", "5", "--note", "\x07")


def _xlsx(parts: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def _good_xlsx(tmp_path) -> dict[str, bytes]:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["工作任务", "聚焦领域", "牵头单位"])
    ws.append(["任务甲", 1, "市发改委"])
    path = tmp_path / "good.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_damaged_files_are_one_line(demo_env, tmp_path):
    good = _good_xlsx(tmp_path)
    sheet = "xl/worksheets/sheet1.xml"
    damaged = {
        "truncated-sheet": {**good, sheet: good[sheet][: len(good[sheet]) // 2]},
        "broken-workbook": {**good, "xl/workbook.xml": b"<workbook><sheets><sheet"},
        "no-sheets": {**good, "xl/workbook.xml": good["xl/workbook.xml"].replace(
            good["xl/workbook.xml"][good["xl/workbook.xml"].find(b"<sheets>"):
                                    good["xl/workbook.xml"].find(b"</sheets>") + 9], b"<sheets/>")},
        "bad-ref": {**good, sheet: good[sheet].replace(b'r="A2"', b'r="!!"')},
        "bad-merge": {**good, sheet: good[sheet].replace(b"</sheetData>",
                                                         b'</sheetData><mergeCells><mergeCell ref="A0:B0"/></mergeCells>')},
        "char-ref": {**good, sheet: good[sheet].replace("任务甲".encode(), b"&#1;")},
    }
    files = []
    for name, parts in damaged.items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(_xlsx(parts))
        files.append(path)
    (tmp_path / "huge.csv").write_text("工作任务,聚焦领域\n" + "长" * 140_000 + ",1\n", encoding="utf-8")
    (tmp_path / "ids.csv").write_text("编号,完成进度\n²,50\n", encoding="utf-8")
    (tmp_path / "adir.csv").mkdir()
    (tmp_path / "plain.csv").write_text("工作任务,聚焦领域\n任务乙,1\n", encoding="utf-8")
    checked = 0
    for path in files:
        result = run("import", "tasks", str(path))
        assert result.exit_code in (0, 1) and "Traceback" not in result.stderr + result.stdout, (path, result.stderr)
        assert "openpyxl" not in result.stderr and "warn" not in result.stderr.lower()
        checked += 1
    for args in (("import", "tasks", str(tmp_path / "adir.csv")),
                 ("import", "progress", str(tmp_path / "ids.csv")),
                 ("import", "tasks", str(tmp_path / "plain.csv"), "--encoding", "base64"),
                 ("import", "tasks", str(tmp_path / "plain.csv"), "--encoding", "rot13"),
                 ("import", "tasks", str(tmp_path / "plain.csv"), "--encoding", "zlib"),
                 ("db", "backup", "/nonexistent/dir/b.db")):
        result = run(*args)
        assert result.exit_code == 1 and "Traceback" not in result.stderr, (args, result.stderr)
        assert result.stderr.strip().splitlines()[-1].startswith("error: ")
        checked += 1
    # a byte-order mark with broken text after it: the catalogue's line, naming the encoding and the byte,
    # never the codec's own English ("'utf-16-le' codec can't decode…")
    for name, data, encoding, offset in (("utf16.csv", "工作任务\n".encode("utf-16") + b"\x00\xd8", "UTF-16", 12),
                                         ("bom.csv", "\ufeff工作任务\n".encode() + b"\xff\xfe", "UTF-8", 16)):
        (tmp_path / name).write_bytes(data)
        result = run("import", "tasks", str(tmp_path / name), "--dry-run")
        assert result.exit_code == 1 and "codec" not in result.stderr, result.stderr
        assert result.stderr.strip() == f"error: {name} is not valid {encoding} (byte {offset}); try another --encoding"
        checked += 1
    huge = run("import", "tasks", str(tmp_path / "huge.csv"), "--dry-run")
    assert huge.exit_code in (0, 1) and "Traceback" not in huge.stderr and "_csv" not in huge.stderr
    assert checked == 14


def test_control_characters_in_an_imported_file_are_dropped(demo_env, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes("工作任务,聚焦领域,牵头单位\n空\x00字\x07任务,1,市发改委\n".encode())
    result = run("import", "tasks", str(path))
    assert result.exit_code == 0, result.stderr
    import json

    titles = [r["title"] for r in json.loads(run("task", "list", "--format", "json").stdout)]
    assert "空字任务" in titles
    assert run("export", "ledger", "--format", "xlsx", "-o", str(tmp_path / "l.xlsx")).exit_code == 0


def test_a_reader_that_goes_away_stops_the_command_quietly(demo_env):
    """`taskctl task list | head -1`: when the reader closes the pipe, taskctl stops without an error line
    (exit 141, 128 + SIGPIPE, as cat and grep), not "cannot read or write : Broken pipe"."""
    import os
    import subprocess
    import sys

    taskctl = os.path.join(os.path.dirname(sys.executable), "taskctl")
    proc = subprocess.Popen([taskctl, "--db", demo_env, "task", "list"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # gone before taskctl writes a byte
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait() == 141 and err == b""
