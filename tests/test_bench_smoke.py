"""The benchmark (bench/) keeps working: a tiny run of the generator and the runner, SQLite only.

Not a timing test — the figures are not judged, only that they are there: every command of the run has
seconds, CPU seconds and a peak in each size's table, the budgets of the example ledger are judged in the
budget table, and a second run takes the generated ledger from the cache.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
NUMBER = r"\d+(\.\d+)?"


def _generate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BENCH / "generate.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def _run(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, str]:
    out = tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--updates", "2", "--runs", "1", "--no-taskwarrior",
         "--work", str(tmp_path / "work"), "--cache", str(tmp_path / "cache"), "--out", str(out), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc, out.read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def test_generator_files_are_deterministic_and_agree(tmp_path):
    for name in ("a", "b"):
        proc = _generate("--tasks", "20", "--updates", "3", "--seed", "7", "--csv", str(tmp_path / f"{name}.csv"),
                         "--taskwarrior", str(tmp_path / f"{name}.json"), "--tw-today", "2026-01-05")
        assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    rows = list(csv.reader((tmp_path / "a.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][:3] == ["序号", "聚焦领域", "工作任务"] and len(rows) == 22
    records = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert len(records) == 20
    assert [r["description"] for r in records] == [row[2] for row in rows[2:]]
    assert {r["status"] for r in records} <= {"pending", "completed", "deleted"}


def test_runner_writes_results_with_figures_and_budgets_and_reuses_its_cache(tmp_path):
    labels = ("--help", "overdue (table, 50 rows)", "overdue --format json (all rows)")
    proc, text = _run(tmp_path, "--sizes", "36,20", "--commands", "help,overdue,overdue-json,import")
    assert "nproc" in text and "Python 3." in text and "SQLite 3." in text and "git commit" in text
    for n, rows in (("36", "36 rows"), ("20", "20 rows")):
        section = _section(text, f"## N = {n} ")
        for label in (*labels, f"import tasks ({rows})"):
            row = next((line for line in section.splitlines() if line.startswith(f"| {label} |")), None)
            assert row is not None, f"no row for {label} at N = {n}:\n{text}"
            cells = [c.strip() for c in row.strip("|").split("|")]
            assert re.fullmatch(NUMBER, cells[1]), row  # seconds
            assert re.fullmatch(NUMBER, cells[2]), row  # CPU seconds
            assert re.fullmatch(r"\d+", cells[3]), row  # peak MiB
    assert "`taskctl overdue` lists" in text
    assert "## N = 20 (20 tasks, " in text and "Ledgers: generated" in text
    # the example ledger's budgets, judged in the budget table with the figure and the limit
    budgets = _section(text, "## Budgets (issue 10)")
    judged = [line for line in budgets.splitlines() if line.startswith("| ≤ ")]
    assert {line.split(" | ")[2] for line in judged} >= {*labels, "import tasks (36 rows)"}, budgets
    for line in judged:
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[1] == "36" and re.fullmatch(NUMBER + " s", cells[4]) and cells[5] in ("0.15 s", "0.3 s")
        assert cells[6].startswith(("held", "**missed**")), line
    assert re.search(r"## Budgets \(issue 10\): \d+ held, \d+ missed", text)
    # the cache holds a valid ledger at the schema head, and a second run takes it from there
    cached = sorted((tmp_path / "cache").glob("n20-m2-s2023-h*-g*.db"))
    assert [p.name.endswith("-empty.db") for p in cached] == [True, False], cached
    with sqlite3.connect(cached[1]) as conn:
        assert conn.execute("SELECT count(*) FROM task").fetchone()[0] == 20
        head = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert f"-h{head}-" in cached[1].name
    proc, text = _run(tmp_path, "--sizes", "20", "--commands", "help")
    assert "from the cache `n20-m2-s2023-h" in text and "Ledgers: generated" not in text
    assert "| --help | " in text
