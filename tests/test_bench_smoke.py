"""The benchmark (bench/) keeps working: a tiny run of the generator and the runner, SQLite only.

Not a timing test — the figures are not judged, only that they are there: every command of the run has
seconds, CPU seconds and a peak in each size's table, the budgets of the example ledger are judged in the
budget table, and a second run takes the generated ledger from the cache.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

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


def test_runner_writes_results_with_figures_and_reuses_its_cache(tmp_path):
    labels = ("--help", "overdue (table, 50 rows)", "overdue --format json (all rows)", "import tasks (20 rows)")
    proc, text = _run(tmp_path, "--sizes", "20", "--commands", "help,overdue,overdue-json,import")
    assert "nproc" in text and "Python 3." in text and "SQLite 3." in text and "git commit" in text
    section = _section(text, "## N = 20 ")
    for label in labels:
        row = next((line for line in section.splitlines() if line.startswith(f"| {label} |")), None)
        assert row is not None, f"no row for {label}:\n{text}"
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert re.fullmatch(NUMBER, cells[1]), row  # seconds
        assert re.fullmatch(NUMBER, cells[2]), row  # CPU seconds
        assert re.fullmatch(r"\d+", cells[3]), row  # peak MiB
    assert "`taskctl overdue` lists" in text
    assert "## N = 20 (20 tasks, " in text and "Ledgers: generated" in text
    assert re.search(r"## Budgets \(issue 10\): 0 held, 0 missed", text)  # none is set at N = 20
    # the cache holds a valid ledger at the schema head, and a second run takes it from there
    cached = sorted((tmp_path / "cache").glob("n20-m2-s2023-h*-g*.db"))
    assert [p.name.endswith("-empty.db") for p in cached] == [True, False], cached
    with sqlite3.connect(cached[1]) as conn:
        assert conn.execute("SELECT count(*) FROM task").fetchone()[0] == 20
        head = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert f"-h{head}-" in cached[1].name
    proc, text = _run(tmp_path, "--sizes", "20", "--commands", "help")
    assert "from the cache `n20-m2-s2023-h" in text and "Ledgers: generated" not in text
    assert re.search(r"^\| --help \| \d", text, re.M)


def _load_runner():
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_budget_table_judges_each_budget_with_its_ratio(tmp_path):
    """The budgets of issue 10, judged from figures (no process is run): held and missed, with the ratios."""
    R = _load_runner()

    def samples(figures: dict, backend: str = "SQLite") -> dict:
        return {((key, "task") if key.startswith("tw-") else (key, backend)):
                [R.Sample(seconds, int(mib * 1024), 0, "", seconds * 0.9)] * 3
                for key, (seconds, mib) in figures.items()}

    demo = R.Size(36, R.DEMO_AS_OF, "2023Q1", "2023-W13", tmp_path / "d.csv", None)
    big = R.Size(100_000, R.G.AS_OF, "2023Q2", "2023-W26", tmp_path / "b.csv", None)
    demo_figures = samples({"help": (0.10, 20), "overdue": (0.50, 60)})
    big_figures = samples({"overdue": (0.70, 120), "overdue-json": (1.00, 160), "quarter-unit": (2.00, 100),
                           "import": (4.00, 300), "tw-overdue": (4.00, 10), "tw-export-overdue": (3.00, 10),
                           "tw-summary": (2.00, 10), "tw-import": (6.00, 10)})
    args = SimpleNamespace(runs=3, seed=2023)
    bench = SimpleNamespace(args=args, commands=[c for c in R.COMMANDS if c.key in
                                                 ("help", "overdue", "overdue-json", "quarter-unit", "import")],
                            pg_admin=None, task="task", head="0005", gen_version="2", machine_notes=[])
    out = tmp_path / "RESULTS.md"
    held, missed, table = R.write_results(bench, [(demo, demo_figures), (big, big_figures)], out,
                                          R.dt.datetime.now(R.dt.timezone.utc), ("0 0 0", "0 0 0"))
    rows = {tuple(c.strip() for c in line.strip("|").split("|")[:3]): line for line in table if line.startswith("| ")}
    verdict = {k: v.rsplit("|", 2)[-2].strip() for k, v in rows.items()}
    assert verdict[("≤ 0.15 s", "36", "--help")] == "held"
    assert verdict[("≤ 0.3 s", "36", "overdue (table, 50 rows)")].startswith("**missed** (1.67×")
    assert verdict[("≤ 0.8 s", "100,000", "overdue (table, 50 rows)")] == "held"
    assert verdict[("≤ 0.25× `task overdue`", "100,000", "overdue (table, 50 rows)")] == "held"  # 0.7 ÷ 4.0
    assert "0.700 s ÷ 4.00 s = 0.17×" in rows[("≤ 0.25× `task overdue`", "100,000", "overdue (table, 50 rows)")]
    assert verdict[("≤ 0.25× `task +OVERDUE export`", "100,000", "overdue --format json (all rows)")].startswith(
        "**missed** (1.33×")  # 1.0 ÷ 3.0 = 0.33×, 1.33 times the budget
    assert verdict[("peak ≤ 150 MiB", "100,000", "overdue --format json (all rows)")].startswith("**missed**")
    assert verdict[("≤ 0.5× `task summary`", "100,000", "quarter Q --by unit")].startswith("**missed** (2.00×")
    assert verdict[("≤ 0.7× `task import (100,000 tasks)`", "100,000", "import tasks (100,000 rows)")] == "held"
    assert (held, missed) == (6, 4)
    assert table[0] == "## Budgets (issue 10): 6 held, 4 missed"
    text = out.read_text(encoding="utf-8")
    assert "| overdue (table, 50 rows) | 0.700 | 0.630 | 120 | `task overdue` | 4.00 | 0.17× |" in text
