"""The benchmark (bench/) keeps working: a tiny run of the generator and the runner, SQLite only.

Not a timing test — the figures are not judged, only that they are there.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _generate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BENCH / "generate.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


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


def test_generator_writes_a_ledger_taskctl_reads(tmp_path):
    db = tmp_path / "g.db"
    proc = _generate(str(db), "--tasks", "20", "--updates", "3")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"\b20 task\b", proc.stdout) and "progress" in proc.stdout
    env = {"TASKCTL_TODAY": "2023-07-01", "TASKCTL_DB": str(db), "PATH": "/usr/bin:/bin"}
    listed = subprocess.run([sys.executable, "-m", "taskctl", "task", "list", "--format", "json"], capture_output=True,
                            text=True, env=env, cwd=ROOT, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 20


def test_runner_writes_results_with_figures(tmp_path):
    out = tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--sizes", "20", "--updates", "2", "--runs", "1", "--no-taskwarrior",
         "--commands", "help,overdue,overdue-json,import", "--work", str(tmp_path / "work"), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "## N = 20 " in text and "nproc" in text and "SQLite" in text
    for label in ("--help", "overdue (table, 50 rows)", "overdue --format json (all rows)", "import tasks (20 rows)"):
        row = next((line for line in text.splitlines() if line.startswith(f"| {label} |")), None)
        assert row is not None, f"no row for {label}:\n{text}"
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert re.fullmatch(r"\d+\.\d+", cells[1]), row  # seconds
        assert re.fullmatch(r"\d+", cells[2]), row  # peak MiB
    assert "`taskctl overdue` lists" in text
