"""Exports that survive any text and any destination; backups private from their first byte and
consistent while others write; read-only ledgers readable; passwords never printed."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from conftest import dump_ledger, run

PY = sys.executable
C0 = [chr(c) for c in range(32) if chr(c) not in "\t\n\r"]  # the 29 control characters XML cannot hold
ALL_C0 = "".join(C0)


def ok(*args: str):
    result = run(*args)
    assert result.exit_code == 0, f"{args}: {result.stdout}{result.stderr}"
    return result


def _execute(url: str, sql: str, **params) -> None:
    from sqlalchemy import text

    from taskctl.config import database_url
    from taskctl.db import get_engine

    with get_engine(database_url(url)).begin() as conn:
        conn.execute(text(sql), params)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("char", C0, ids=[f"U+{ord(c):04X}" for c in C0])
def test_control_characters_are_refused_at_input_with_one_line(demo_env, char):
    before = dump_ledger(demo_env)
    for args in (("task", "add", f"控制{char}字符", "--area", "1"), ("unit", "add", f"单位{char}", "--kind", "部门"),
                 ("progress", "add", "1", "--percent", "30", "--note", f"备注{char}")):
        result = run(*args)
        assert result.exit_code == 1, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and f"U+{ord(char):04X}" in result.stderr
    assert dump_ledger(demo_env) == before


def test_tab_and_newline_are_ordinary_text(demo_env):
    ok("progress", "add", "1", "--percent", "30", "--note", "第一行\n第二行\t附注")
    rows = json.loads(ok("progress", "list", "1", "--format", "json").stdout)
    assert any(r["note"] == "第一行\n第二行\t附注" for r in rows)


def test_every_export_format_survives_every_control_character_already_stored(demo_env, tmp_path, backend):
    """Text stored before input was checked (or written straight into the database) holds every C0
    character: each export still works; XLSX drops what XML cannot hold, CSV and JSON keep the text."""
    from openpyxl import load_workbook

    chars = ALL_C0 if backend == "sqlite" else ALL_C0.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    title = f"控制{chars}字符"
    _execute(demo_env, "UPDATE task SET title = :t WHERE id = 1", t=title)
    _execute(demo_env, "UPDATE unit SET name = :n WHERE name = '市发改委'", n=f"市发改委{chars}")
    _execute(demo_env, "UPDATE progress SET note = :n, problems = :n WHERE task_id = 1", n=f"进展{chars}")
    _execute(demo_env, "UPDATE instruction SET text = :n", n=f"批示{chars}")
    cleaned = "控制字符"
    written = 0
    for kind, fmt in (("weekly", "xlsx"), ("weekly", "csv"), ("weekly", "json"), ("weekly", "md"),
                      ("ledger", "xlsx"), ("ledger", "csv")):
        out = tmp_path / f"{kind}.{fmt}"
        week = ("--week", "2023-W13") if kind == "weekly" else ()
        result = run("export", kind, *week, "--format", fmt, "-o", str(out))
        assert result.exit_code == 0, (kind, fmt, result.stderr)
        if fmt == "xlsx":
            cells = [c for ws in load_workbook(out, read_only=True).worksheets for row in ws.iter_rows(values_only=True)
                     for c in row if isinstance(c, str)]
            assert cleaned in cells and not any(ch in c for c in cells for ch in C0)
            assert "市发改委" in cells  # the unit's name, cleaned the same way
        elif fmt == "json":
            assert title in _strings(json.loads(out.read_text(encoding="utf-8")))  # exact, escaped by JSON
        elif fmt == "csv":
            text = out.read_text(encoding="utf-8-sig")
            assert any(title in cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row)
        else:
            assert "控制" in out.read_text(encoding="utf-8")
        written += 1
    for fmt in ("json", "csv", "md", "table"):  # the reports too
        assert run("task", "list", "--format", fmt).exit_code == 0
    assert written == 6


def test_output_onto_a_symlink_replaces_its_target_and_keeps_the_link(demo_env, tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    ok("export", "weekly", "--week", "2023-W13", "--format", "md", "-o", str(link))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "2023-W13" in real.read_text(encoding="utf-8")


def test_output_onto_a_fifo_or_device_writes_through(demo_env, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    ok("export", "weekly", "--week", "2023-W13", "--format", "json", "-o", str(fifo))
    reader.join(timeout=30)
    assert json.loads(got[0].decode())["week"] == "2023-W13"
    assert os.path.exists(fifo) and not os.path.isfile(fifo)  # still a FIFO, not a regular file
    ok("export", "ledger", "--format", "xlsx", "-o", "/dev/null")
    assert not os.path.isfile("/dev/null")


def test_a_killed_exports_temporary_file_is_cleaned_up_next_run(demo_env, tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    target = tmp_path / "周报.md"
    stale = tmp_path / f".周报.md.{dead.pid}.abc123.tmp"
    live = tmp_path / f".周报.md.{os.getpid()}.def456.tmp"  # a writer still running: left alone
    stale.write_bytes(b"half")
    live.write_bytes(b"busy")
    ok("export", "weekly", "--week", "2023-W13", "--format", "md", "-o", str(target))
    assert target.exists() and not stale.exists() and live.exists()


def test_a_killed_xlsx_export_leaves_no_half_file(demo_env, tmp_path):
    env = dict(os.environ, TASKCTL_DB=demo_env)
    target = tmp_path / "x.xlsx"
    outcomes = set()
    for delay in (0.3, 0.6, 0.9, 1.2):
        proc = subprocess.Popen([PY, "-m", "taskctl", "export", "weekly", "--week", "2023-W13", "-o", str(target)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if target.exists():  # a whole workbook or nothing under that name
            from openpyxl import load_workbook

            assert len(load_workbook(target).worksheets) >= 5
            outcomes.add("whole")
            target.unlink()
        else:
            outcomes.add("none")
    assert outcomes
    ok("export", "weekly", "--week", "2023-W13", "-o", str(target))
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]  # the next run cleaned up


# ---------------------------------------------------------------- backups


def test_backup_is_private_from_its_first_byte(tmp_path, monkeypatch):
    db = tmp_path / "ledger.db"
    ok("--db", str(db), "init", "--demo")
    target = tmp_path / "backup.db"
    real_connect = sqlite3.connect
    modes = []

    def spy(path, *args, **kw):
        if str(path) == str(target) + ".part":
            modes.append(os.stat(path).st_mode & 0o777)  # before SQLite writes a byte into it
        return real_connect(path, *args, **kw)

    monkeypatch.setattr(sqlite3, "connect", spy)
    old = os.umask(0o022)
    try:
        ok("--db", str(db), "db", "backup", str(target))
    finally:
        os.umask(old)
    assert modes == [0o600]
    assert os.stat(target).st_mode & 0o777 == 0o600
    with real_connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM task").fetchone()[0] == 36
    assert not os.path.exists(str(target) + ".part")


def test_backup_bad_paths_are_one_line(tmp_path):
    db = tmp_path / "ledger.db"
    ok("--db", str(db), "init")
    for bad in ("/nonexistent/dir/b.db", str(tmp_path)):
        result = run("--db", str(db), "db", "backup", bad)
        assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1


WRITER = """
import sys
from taskctl.config import database_url
from taskctl.db import open_ledger, transaction
from taskctl import ledger as L
import datetime as dt
engine = open_ledger(database_url(sys.argv[1]))
print("ready", flush=True)
for i in range(int(sys.argv[2])):
    with transaction(engine, write=True) as s:
        L.add_progress(s, L.get_task(s, 1 + i % 30), on=dt.date(2023, 3, 31), percent=50, note=f"写入{i}")
print("done")
"""


def test_backup_is_consistent_while_another_process_writes(tmp_path):
    db = tmp_path / "ledger.db"
    ok("--db", str(db), "init", "--demo")
    base = 162
    writer = subprocess.Popen([PY, "-c", WRITER, str(db), "1500"], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "ready"
    seen = []
    try:
        for i in range(6):
            target = tmp_path / f"b{i}.db"
            ok("--db", str(db), "db", "backup", str(target))
            with sqlite3.connect(target) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                progress = conn.execute("SELECT count(*) FROM progress").fetchone()[0]
                logged = conn.execute("SELECT count(*) FROM history WHERE action = 'progress.add'").fetchone()[0]
            assert progress - base == logged  # each update with its history row: never one without the other
            seen.append(logged)
    finally:
        assert writer.communicate(timeout=120)[0].strip() == "done"
    assert run("--db", str(db), "db", "check").exit_code == 0
    assert seen == sorted(seen) and len(set(seen)) > 1, seen  # the backups caught the writer mid-way


def test_backup_of_a_postgresql_ledger_explains_pg_dump(fresh_db, backend, monkeypatch):
    if backend == "sqlite":
        pytest.skip("PostgreSQL only")
    db = fresh_db()
    ok("--db", db, "init")
    result = run("--db", db, "db", "backup", "x.dump")
    assert result.exit_code == 1 and "pg_dump" in result.stderr and "pg_restore" in result.stderr


# ---------------------------------------------------------------- where the ledger lives


def test_passwords_are_masked_in_every_url_form():
    for url in ("postgresql://u:hunter22@127.0.0.1:1/x", "postgresql://u@127.0.0.1:1/x?password=hunter22",
                "postgresql://u:hunter22@127.0.0.1:notaport/x", "postgresql://u@127.0.0.1:1/x?sslmode=x&password=hunter22"):
        for args in (("overdue",), ("init",), ("db", "info")):
            result = run("--db", url, *args)
            assert result.exit_code == 3, (url, result.stderr)
            assert "hunter22" not in result.stderr + result.stdout and "***" in result.stderr
            assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(not hasattr(os, "setuid"), reason="POSIX users")
def test_a_ledger_in_a_read_only_directory_can_be_read_not_written(tmp_path_factory):
    import tempfile

    folder = tempfile.mkdtemp(prefix="taskctl-ro-")
    try:
        db = os.path.join(folder, "ledger.db")
        ok("--db", db, "init", "--demo")
        os.chmod(db, 0o444)
        os.chmod(folder, 0o555)
        preexec = None
        if os.geteuid() == 0:  # root may write anywhere: run as nobody, for whom the directory is read-only
            preexec = lambda: (os.setgid(65534), os.setuid(65534))  # noqa: E731
        env = dict(os.environ, TASKCTL_DB=db, HOME=folder)

        def as_reader(*args):
            return subprocess.run([PY, "-m", "taskctl", *args], env=env, capture_output=True, text=True,
                                  preexec_fn=preexec, timeout=60, cwd=folder)

        try:
            probe = as_reader("--version")
        except PermissionError as exc:
            pytest.skip(f"cannot run taskctl as another user here: {exc}")
        if probe.returncode != 0:
            pytest.skip(f"cannot run taskctl as another user here: {probe.stderr.strip()[:200]}")
        result = as_reader("overdue", "--format", "json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["total"] == 4
        write = as_reader("unit", "add", "新单位", "--kind", "部门")
        assert write.returncode in (1, 3) and len(write.stderr.strip().splitlines()) == 1
        assert "Traceback" not in write.stderr and "read" in write.stderr
        assert sorted(os.listdir(folder)) == ["ledger.db"]
    finally:
        os.chmod(folder, 0o755)


def test_a_ledger_the_user_cannot_write_is_opened_read_only(tmp_path, monkeypatch):
    """The same path as the test above, where it cannot switch users (root in a container): the
    directory and file report as not writable; SQLite itself is then told to open the file read-only."""
    db = tmp_path / "ro" / "ledger.db"
    ok("--db", str(db), "init", "--demo")
    from taskctl.db import dispose_all

    dispose_all()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if (mode & os.W_OK and str(p).startswith(
        str(db.parent))) else real_access(p, mode, **kw))
    before = db.read_bytes()
    result = run("--db", str(db), "overdue", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["total"] == 4
    write = run("--db", str(db), "unit", "add", "新单位", "--kind", "部门")
    assert write.exit_code == 1 and "read-only" in write.stderr and len(write.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before and sorted(os.listdir(db.parent)) == ["ledger.db"]
    dispose_all()


def test_history_names_units_leaders_and_areas(demo_env):
    ok("task", "edit", "1", "--lead", "双塔区", "--leader", "贾洪琳", "--area", "2")
    text = json.loads(ok("log", "--format", "json").stdout)[0]["changes_text"]
    assert "国家电投朝阳公司 → 双塔区" in text and "杜鑫 → 贾洪琳" in text
    assert "扩大投资 → 向上争取" in text and "lead_unit_id" not in text
    table = ok("log", "--limit", "1").stdout  # the table too
    assert "国家电投朝阳公司 → 双塔区" in table.replace("\n", "") or "双塔区" in table
