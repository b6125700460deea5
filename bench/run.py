"""Time whole taskctl commands as a user runs them, beside Taskwarrior and PostgreSQL; write bench/RESULTS.md.

    .venv/bin/python bench/run.py                                   # N = 36 (the example), 1,000, 10,000, 100,000
    .venv/bin/python bench/run.py --sizes 36,1000 --runs 3
    .venv/bin/python bench/run.py --pg postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/run.py --sizes 1000 --commands overdue,overdue-json --out /tmp/R.md

Every figure is one whole process started the way a user starts it (the venv's
`taskctl` script), the median wall clock of --runs runs, and the peak resident
memory (ru_maxrss from wait4, through a small launcher) over those runs.  Tables are drawn on a
pseudo-terminal of 200×50 (so Rich draws them and cuts them at 50 rows, as on a
desk); JSON, CSV, XLSX, imports and TAB completion write to a file, as a script
or the shell would.  The runs go round by round — each round runs every command
once, taskctl on SQLite, on PostgreSQL and Taskwarrior one after the other — so
the machine's load falls on all of them alike.

N = 36 is the example ledger (`taskctl init --demo`, as of 2023-03-31); any other
N is made by bench/generate.py with --updates per task (as of 2023-07-01).
Taskwarrior (`task`, when installed) gets the same tasks from a JSON file in a
throwaway TASKDATA/TASKRC, its dates moved so that its real "now" falls on the
ledger's as-of date.  See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import pty
import re
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate as G  # noqa: E402  (bench/generate.py)

DEMO_N = 36
DEMO_AS_OF = dt.date(2023, 3, 31)
MIB = 1024  # ru_maxrss is in KiB on Linux


# ---------------------------------------------------------------- what is run

@dataclass
class Command:
    key: str
    label: str
    argv: list[str]  # taskctl arguments; {task} {quarter} {week} {as_of} {csv} {out} are filled in
    tty: bool = False
    complete: tuple[str, int] | None = None  # TAB completion: (COMP_WORDS, COMP_CWORD)
    taskwarrior: str | None = None  # the Taskwarrior command it is compared with
    ratio: float | None = None  # budget: at most this × Taskwarrior's time, at 100,000 tasks
    seconds: float | None = None  # budget: at most this many seconds, at 100,000 tasks
    report: bool = False  # a report: peak memory ≤ 150 MiB at 100,000 tasks
    fresh_ledger: bool = False  # needs an empty ledger each run (import)


COMMANDS = [
    Command("help", "--help", ["--help"], tty=True),
    Command("tab-unit", "TAB: overdue --unit 市⇥", [], complete=("taskctl overdue --unit 市", 3)),
    Command("tab-task", "TAB: task show ⇥", [], complete=("taskctl task show ", 3)),
    Command("task-list", "task list", ["task", "list"], tty=True, report=True),
    Command("task-show", "task show ID", ["task", "show", "{task}"], tty=True),
    Command("overdue", "overdue (table, 50 rows)", ["overdue"], tty=True, taskwarrior="tw-overdue", ratio=0.25,
            seconds=0.8, report=True),
    Command("overdue-json", "overdue --format json (all rows)", ["overdue", "--format", "json"],
            taskwarrior="tw-export-overdue", ratio=0.25, report=True),
    Command("due-soon", "due-soon (table)", ["due-soon"], tty=True, taskwarrior="tw-overdue", ratio=0.25,
            seconds=0.8, report=True),
    Command("stale", "stale (table)", ["stale"], tty=True, taskwarrior="tw-overdue", ratio=0.25, seconds=0.8,
            report=True),
    Command("quarter-unit", "quarter Q --by unit", ["quarter", "{quarter}", "--by", "unit"], tty=True,
            taskwarrior="tw-summary", ratio=0.5, report=True),
    Command("rank", "rank --quarter Q", ["rank", "--quarter", "{quarter}"], tty=True, taskwarrior="tw-summary",
            ratio=0.5, report=True),
    Command("progress-add", "progress add ID", ["progress", "add", "{task}", "--percent", "60", "--on", "{as_of}",
                                                "--note", "基准测试：本周完成设备安装。"]),
    Command("export-csv", "export weekly --format csv", ["export", "weekly", "--week", "{week}", "--format", "csv",
                                                         "-o", "{out}.csv"], seconds=3.0, report=True),
    Command("export-xlsx", "export weekly --format xlsx", ["export", "weekly", "--week", "{week}", "--format", "xlsx",
                                                           "-o", "{out}.xlsx"], seconds=10.0, report=True),
    Command("import", "import tasks (N rows)", ["import", "tasks", "{csv}", "--create-units"],
            taskwarrior="tw-import", ratio=0.7, fresh_ledger=True),
]
TASKWARRIOR = {  # key: (label, arguments, on a terminal)
    "tw-overdue": ("task overdue", ["overdue"], True),
    "tw-export-overdue": ("task +OVERDUE export", ["+OVERDUE", "export"], False),
    "tw-summary": ("task summary", ["summary"], True),
    "tw-import": ("task import (N tasks)", ["import", "{json}"], False),
}
DEMO_BUDGETS = {"help": 0.15, "tab-unit": 0.15, "tab-task": 0.15}  # every other command: 0.3 s
DEMO_SECONDS = 0.3
BIG_N = 100_000
PEAK_MIB = 150
PG_RATIO = 1.5


# ---------------------------------------------------------------- one process

@dataclass
class Sample:
    seconds: float
    peak_kib: int
    code: int
    error: str = ""


# A child's ru_maxrss starts at its parent's peak (Linux records the old memory's high-water mark at exec),
# so a process started straight from this runner — which has generated ledgers and loaded SQLAlchemy — would
# be reported at least as big as the runner.  A small launcher starts it instead, and times it too.
LAUNCHER = """
import os, sys, time
result, argv = sys.argv[1], sys.argv[2:]
began = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    except OSError as exc:
        print(f"cannot run {argv[0]}: {exc}", file=sys.stderr)
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
took = time.perf_counter() - began
with open(result, "w") as f:
    f.write(f"{took!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_process(argv: list[str], env: dict, *, tty: bool, stdout: Path | None, cwd: Path) -> Sample:
    """Run one process to its end: its wall clock and its own peak memory (wait4, through the launcher)."""
    stderr_path, result = cwd / ".stderr", cwd / ".result"
    result.unlink(missing_ok=True)
    launch = [sys.executable, "-S", "-c", LAUNCHER, str(result), *argv]
    with open(stderr_path, "wb") as err:
        if tty:
            import fcntl
            import termios

            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
            sink = open(stdout, "wb") if stdout else None

            def drain() -> None:
                while True:
                    try:
                        chunk = os.read(master, 65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    if sink:
                        sink.write(chunk)

            reader = threading.Thread(target=drain, daemon=True)
            reader.start()
            proc = subprocess.Popen(launch, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=slave, stderr=err,
                                    start_new_session=True)
            os.close(slave)
            proc.wait()
            reader.join(timeout=10)
            os.close(master)
            if sink:
                sink.close()
        else:
            with open(stdout or os.devnull, "wb") as out:
                subprocess.run(launch, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    try:
        took, peak, code = result.read_text().split()
    except (OSError, ValueError):
        return Sample(0.0, 0, 127, "the launcher failed: " + stderr_path.read_text(errors="replace")[-200:])
    error = ""
    if int(code):
        lines = stderr_path.read_text(errors="replace").strip().splitlines()
        error = (lines[-1] if lines else f"exit {code}")[:200]
    return Sample(float(took), int(peak), int(code), error)


# ---------------------------------------------------------------- the ledgers of one size

@dataclass
class Target:
    """One ledger (a backend) of one size."""

    backend: str  # SQLite | PostgreSQL
    db: str  # path or URL
    skeleton: str  # the empty ledger an import starts from (file, or template database)


@dataclass
class Size:
    n: int
    as_of: dt.date
    quarter: str
    week: str
    csv: Path
    tw_json: Path | None
    targets: list[Target] = field(default_factory=list)
    task_id: int = 1
    tw_dir: Path | None = None
    notes: list[str] = field(default_factory=list)
    counts: str = ""


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(args.work).resolve()
        self.work.mkdir(parents=True, exist_ok=True)
        script = Path(sys.executable).parent / "taskctl"
        self.taskctl = [str(script)] if script.exists() else [sys.executable, "-m", "taskctl"]
        self.task = shutil.which("task") if args.taskwarrior else None
        self.tw_today = dt.datetime.now(dt.timezone.utc).date()
        self.pg_admin = self._pg_admin(args.pg) if args.pg else None
        self.pg_databases: list[str] = []
        self.commands = [c for c in COMMANDS if not args.commands or c.key in args.commands]
        self.machine_notes: list[str] = []
        if args.pg and not self.pg_admin:
            self.machine_notes.append(f"PostgreSQL at {args.pg} could not be reached: its columns are empty.")
        if args.taskwarrior and not self.task:
            self.machine_notes.append("Taskwarrior (`task`) is not installed: no comparison "
                                      "(`apt-get install taskwarrior`).")

    # -- helpers
    def log(self, message: str) -> None:
        print(message, flush=True)

    @staticmethod
    def _pg_admin(url: str) -> str | None:
        try:
            import psycopg

            with psycopg.connect(url, autocommit=True, connect_timeout=3):
                return url
        except Exception:
            return None

    def pg_url(self, name: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.pg_admin).set(database=name).render_as_string(hide_password=False)

    def pg_execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.pg_admin, autocommit=True) as conn:
            conn.execute(sql)

    def pg_exists(self, name: str) -> bool:
        import psycopg

        with psycopg.connect(self.pg_admin, autocommit=True) as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None

    def env(self, size: Size, *, tty: bool) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TASKCTL_", "_TASKCTL", "COMP_"))}
        env.update(TASKCTL_TODAY=size.as_of.isoformat(), TASKCTL_LANG="zh", TASKCTL_USER="bench", TZ="UTC",
                   LANG="C.UTF-8", TERM="xterm-256color")
        if tty:
            env.pop("NO_COLOR", None)
        return env

    def cli(self, db: str, *args: str, as_of: dt.date) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TASKCTL_")}
        env.update(TASKCTL_TODAY=as_of.isoformat(), TASKCTL_USER="bench", TASKCTL_LANG="en", NO_COLOR="1")
        proc = subprocess.run([*self.taskctl, "--db", db, *args], env=env, capture_output=True, text=True,
                              cwd=self.work)
        if proc.returncode:
            raise SystemExit(f"taskctl --db {db} {' '.join(args)} failed:\n{proc.stderr}")
        return proc.stdout

    # -- building the ledgers
    def prepare(self, n: int) -> Size:
        if n == DEMO_N:
            size = Size(n, DEMO_AS_OF, "2023Q1", "2023-W13", self.work / "demo.csv",
                        self.work / "demo-tw.json" if self.task else None)
        else:
            as_of = G.AS_OF
            quarter = f"{as_of.year}Q{(as_of.month - 1) // 3 + 1}"
            if as_of.month in (1, 4, 7, 10) and as_of.day < 15:  # the quarter just ended is the one reported
                last = as_of - dt.timedelta(days=as_of.day)
                quarter = f"{last.year}Q{(last.month - 1) // 3 + 1}"
            iso = as_of.isocalendar()
            size = Size(n, as_of, quarter, f"{iso.year}-W{iso.week:02d}", self.work / f"n{n}.csv",
                        self.work / f"n{n}-tw.json" if self.task else None)
        stem = "demo" if n == DEMO_N else f"n{n}-m{self.args.updates}-s{self.args.seed}"
        sqlite_db = self.work / f"{stem}.db"
        skeleton = self.work / f"{stem}-empty.db"
        size.targets.append(Target("SQLite", str(sqlite_db), str(skeleton)))
        if self.pg_admin:
            name = f"taskctl_bench_{stem.replace('-', '_')}"
            size.targets.append(Target("PostgreSQL", self.pg_url(name), name + "_empty"))
        began = time.perf_counter()
        if n == DEMO_N:
            self._prepare_demo(size)
        else:
            self._prepare_generated(size)
        size.task_id = self._active_task(size.targets[0].db)
        if self.task:
            self._prepare_taskwarrior(size)
        self.log(f"N={n}: ledgers ready in {time.perf_counter() - began:.1f}s")
        return size

    def _fresh(self, target: Target) -> bool:
        """Whether the ledger must be (re)built; clears an old one unless --reuse."""
        if target.backend == "SQLite":
            path = Path(target.db)
            if self.args.reuse and path.exists() and Path(target.skeleton).exists():
                return False
            for p in (path, Path(target.skeleton)):
                for suffix in ("", "-wal", "-shm"):
                    Path(str(p) + suffix).unlink(missing_ok=True)
            return True
        name = target.db.rsplit("/", 1)[1]
        self.pg_databases += [name, target.skeleton]
        if self.args.reuse and self.pg_exists(name) and self.pg_exists(target.skeleton):
            return False
        for db in (name, target.skeleton):
            self.pg_execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        return True

    def _prepare_demo(self, size: Size) -> None:
        for target in size.targets:
            if not self._fresh(target):
                continue
            if target.backend == "PostgreSQL":
                for name in (target.db.rsplit("/", 1)[1], target.skeleton):
                    self.pg_execute(f'CREATE DATABASE "{name}"')
                skeleton = self.pg_url(target.skeleton)
            else:
                skeleton = target.skeleton
            self.cli(target.db, "init", "--demo", as_of=size.as_of)
            self.cli(skeleton, "init", "--year", str(size.as_of.year), as_of=size.as_of)
        # the same 36 tasks as an office ledger (the documented round trip) and for Taskwarrior
        self.cli(size.targets[0].db, "export", "ledger", "--format", "csv", "-o", str(size.csv), as_of=size.as_of)
        if size.tw_json:
            rows = json.loads(self.cli(size.targets[0].db, "task", "list", "--format", "json", as_of=size.as_of))
            sink = G.TaskwarriorSink(size.tw_json, shift=(self.tw_today - size.as_of).days, seed=0,
                                     annotations=False)
            for row in rows:
                sink.write(G.taskwarrior_record(_task_from_row(row, size.as_of), shift=sink.shift, seed=0))
            sink.close()

    def _prepare_generated(self, size: Size) -> None:
        dbs = []
        for target in size.targets:
            if self._fresh(target):
                dbs.append(target)
        if dbs:
            self.log(f"N={size.n}: generating {size.n:,} tasks × {self.args.updates} updates into "
                     + ", ".join(t.backend for t in dbs))
        for target in dbs:  # units and leaders only: what an import starts from
            skeleton = self.pg_url(target.skeleton) if target.backend == "PostgreSQL" else target.skeleton
            G.generate([skeleton], n=0, updates=self.args.updates, seed=self.args.seed, as_of=size.as_of)
        counts = G.generate([t.db for t in dbs], n=size.n, updates=self.args.updates, seed=self.args.seed,
                            as_of=size.as_of, csv_path=size.csv, tw_path=size.tw_json, tw_today=self.tw_today,
                            tw_annotations=self.args.tw_annotations)
        size.counts = f"{counts.get('task', 0):,} tasks, {counts.get('progress', 0):,} updates"

    def _active_task(self, db: str) -> int:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            found = conn.execute("SELECT min(id) FROM task WHERE status = 'active'").fetchone()[0]
        return found or 1

    # -- Taskwarrior
    def tw_env(self, data: Path) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TASK", "_TASKCTL", "COMP_"))}
        env.update(TASKRC=str(data.parent / "taskrc"), TASKDATA=str(data), TZ="UTC", TERM="xterm-256color",
                   LANG="C.UTF-8")
        env.pop("NO_COLOR", None)
        return env

    def tw_data(self, name: str) -> Path:
        home = self.work / "taskwarrior" / name
        shutil.rmtree(home, ignore_errors=True)
        (home / "data").mkdir(parents=True)
        (home / "taskrc").write_text(
            f"data.location={home / 'data'}\nconfirmation=off\nverbose=nothing\nhooks=off\nnews.version=2.6.2\n"
            "uda.unit.type=string\nuda.unit.label=Unit\nuda.leader.type=string\nuda.leader.label=Leader\n"
            "uda.percent.type=numeric\nuda.percent.label=%\n", encoding="utf-8")
        return home / "data"

    def _prepare_taskwarrior(self, size: Size) -> None:
        size.tw_dir = self.tw_data(f"n{size.n}")
        run = run_process([self.task, "import", str(size.tw_json)], self.tw_env(size.tw_dir), tty=False,
                          stdout=None, cwd=self.work)
        if run.code:
            raise SystemExit(f"task import {size.tw_json} failed: {run.error}")

    # -- measuring
    def measure(self, size: Size) -> dict:
        """Every command, --runs rounds; returns {(command key, backend): [Sample]} (backend "task" for TW)."""
        samples: dict[tuple[str, str], list[Sample]] = {}
        outputs: dict[tuple[str, str], Path] = {}
        tw_keys = []
        for c in self.commands:
            if self.task and c.taskwarrior and c.taskwarrior not in tw_keys:
                tw_keys.append(c.taskwarrior)
        # settle first: schema check, OS cache, Taskwarrior's first garbage collection (not timed)
        for target in size.targets:
            self.cli(target.db, "db", "info", as_of=size.as_of)
        if size.tw_dir:
            run_process([self.task, "count"], self.tw_env(size.tw_dir), tty=False, stdout=None, cwd=self.work)
        for round_ in range(self.args.runs):
            for c in self.commands:
                for target in size.targets:
                    key = (c.key, target.backend)
                    keep = self.work / f"out-n{size.n}-{c.key}-{target.backend}.txt" if round_ == 0 else None
                    sample = self.run_taskctl(size, target, c, round_, keep)
                    samples.setdefault(key, []).append(sample)
                    if keep:
                        outputs[key] = keep
                    if sample.code:
                        self.log(f"  N={size.n} {target.backend} {c.label}: exit {sample.code}: {sample.error}")
            for tw in tw_keys:
                label, args, tty = TASKWARRIOR[tw]
                keep = self.work / f"out-n{size.n}-{tw}.txt" if round_ == 0 else None
                data = size.tw_dir
                if tw == "tw-import":
                    data = self.tw_data(f"import-n{size.n}")
                argv = [self.task, *[a.format(json=size.tw_json) for a in args]]
                sample = run_process(argv, self.tw_env(data), tty=tty, stdout=keep, cwd=self.work)
                samples.setdefault((tw, "task"), []).append(sample)
                if keep:
                    outputs[(tw, "task")] = keep
            self.log(f"N={size.n}: round {round_ + 1}/{self.args.runs} done")
        self._check_same_tasks(size, outputs)
        return samples

    def run_taskctl(self, size: Size, target: Target, c: Command, round_: int, keep: Path | None) -> Sample:
        out = self.work / f"export-n{size.n}-{target.backend}-{round_}"
        fill = {"task": str(size.task_id), "quarter": size.quarter, "week": size.week, "as_of": size.as_of.isoformat(),
                "csv": str(size.csv), "out": str(out)}
        argv = [*self.taskctl, *[a.format(**fill) for a in c.argv]]
        env = self.env(size, tty=c.tty)
        db = target.db
        if c.fresh_ledger:
            db = self._fresh_copy(target, size.n)
        env["TASKCTL_DB"] = db
        if c.complete:
            words, cword = c.complete
            env.update(_TASKCTL_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(cword))
            argv = list(self.taskctl)
        try:
            return run_process(argv, env, tty=c.tty, stdout=keep, cwd=self.work)
        finally:
            for suffix in (".csv", ".xlsx"):
                Path(str(out) + suffix).unlink(missing_ok=True)
            if c.fresh_ledger:
                self._drop_copy(target, db)

    def _fresh_copy(self, target: Target, n: int) -> str:
        if target.backend == "SQLite":
            copy = self.work / f"import-n{n}.db"
            for suffix in ("-wal", "-shm"):
                Path(str(copy) + suffix).unlink(missing_ok=True)
            shutil.copyfile(target.skeleton, copy)
            return str(copy)
        name = f"{target.skeleton}_run"
        self.pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.pg_execute(f'CREATE DATABASE "{name}" TEMPLATE "{target.skeleton}"')
        return self.pg_url(name)

    def _drop_copy(self, target: Target, db: str) -> None:
        if target.backend == "SQLite":
            for suffix in ("", "-wal", "-shm"):
                Path(db + suffix).unlink(missing_ok=True)
        else:
            self.pg_execute(f'DROP DATABASE IF EXISTS "{db.rsplit("/", 1)[1]}" WITH (FORCE)')

    def _check_same_tasks(self, size: Size, outputs: dict) -> None:
        """Taskwarrior and taskctl agree on which tasks are overdue (the comparison is like for like)."""
        ours = outputs.get(("overdue-json", "SQLite"))
        theirs = outputs.get(("tw-export-overdue", "task"))
        if ours and ours.exists():
            try:
                size.notes.append(f"`taskctl overdue` lists {json.loads(ours.read_text())['total']:,} tasks")
            except (ValueError, KeyError):
                pass
        if theirs and theirs.exists():
            try:
                size.notes.append(f"`task +OVERDUE export` {len(json.loads(theirs.read_text())):,}")
            except ValueError:
                pass

    def cleanup(self) -> None:
        if self.pg_admin and not self.args.keep:
            for name in dict.fromkeys(self.pg_databases):
                self.pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _task_from_row(row: dict, as_of: dt.date) -> G.GenTask:
    """A `task list --format json` row as the generator's task (for the example ledger's Taskwarrior file)."""
    keys = [k for k, _ in G.AREAS]
    day = dt.date.fromisoformat
    last = day(row["last_update"]) if row.get("last_update") else None
    updates = [G.Update(last, row["percent"] or 0, None, None, None, None, None)] if last else []
    status_on = (last or as_of) if row["status"] != "active" else None
    return G.GenTask(id=row["id"], area=keys.index(row["area"]) if row["area"] in keys else 0, ref=row.get("ref") or "",
                     title=row["title"], detail=None, lead=row.get("lead_unit") or "", co=row.get("co_units") or [],
                     leader=row.get("leader"), start=day(row["start"]), due=day(row["due"]) if row.get("due") else None,
                     due_text=row.get("due_text") or "", status=row["status"], status_on=status_on, invest=None,
                     targets=None, tags=row.get("tags") or [], updates=updates)


# ---------------------------------------------------------------- the report

@dataclass
class Check:
    what: str
    ok: bool
    detail: str


def figure(samples: list[Sample] | None) -> tuple[float | None, float | None, str]:
    if not samples:
        return None, None, ""
    failed = [s for s in samples if s.code]
    if failed:
        return None, None, f"exit {failed[0].code}: {failed[0].error}"
    return statistics.median(s.seconds for s in samples), max(s.peak_kib for s in samples) / MIB, ""


def fmt_s(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}" if value < 1 else f"{value:.2f}"


def checks_for(size: Size, c: Command, samples: dict) -> tuple[list[Check], dict]:
    sq, sq_mem, sq_err = figure(samples.get((c.key, "SQLite")))
    pg, pg_mem, pg_err = figure(samples.get((c.key, "PostgreSQL")))
    tw, tw_mem, tw_err = figure(samples.get((c.taskwarrior, "task"))) if c.taskwarrior else (None, None, "")
    checks: list[Check] = []
    if sq_err:
        checks.append(Check("runs", False, sq_err))
    def over(actual: float, limit: float, unit: str) -> str:
        return f"{actual:.3g}{unit}, {actual / limit:.1f}× the budget"

    if size.n == DEMO_N and sq is not None:
        limit = DEMO_BUDGETS.get(c.key, DEMO_SECONDS)
        checks.append(Check(f"≤ {limit:g} s", sq <= limit, over(sq, limit, " s")))
    if size.n >= BIG_N and sq is not None:
        if c.seconds is not None:
            checks.append(Check(f"≤ {c.seconds:g} s", sq <= c.seconds, over(sq, c.seconds, " s")))
        if c.ratio is not None and tw is not None:
            checks.append(Check(f"≤ {c.ratio:g}× task", sq / tw <= c.ratio, over(sq / tw, c.ratio, "×")))
        if c.report:
            checks.append(Check(f"≤ {PEAK_MIB} MiB", sq_mem <= PEAK_MIB, over(sq_mem, PEAK_MIB, " MiB")))
    if pg_err:
        checks.append(Check("runs on PostgreSQL", False, pg_err))
    if pg is not None and sq:
        checks.append(Check(f"PG ≤ {PG_RATIO:g}× SQLite", pg / sq <= PG_RATIO, over(pg / sq, PG_RATIO, "×")))
    values = {"sq": sq, "sq_mem": sq_mem, "pg": pg, "pg_mem": pg_mem, "tw": tw, "tw_mem": tw_mem, "tw_err": tw_err}
    return checks, values


def machine() -> list[str]:
    def sh(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.rstrip()
        except (OSError, subprocess.SubprocessError):
            return "?"

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return [f"- CPU: {cpu}; `nproc`: {sh('nproc')}; kernel {platform.release()}",
            f"- Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}",
            "- `free -h`:", "", "  ```", *("  " + line for line in sh("free", "-h").splitlines()), "  ```", ""]


def write_results(bench: Bench, sizes: list[tuple[Size, dict]], path: Path, started: dt.datetime,
                  loads: tuple[str, str]) -> tuple[int, int]:
    a = bench.args
    lines = ["# taskctl benchmark results", ""]
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True,
                            text=True).stdout.strip() or "?"
    versions = [f"taskctl {commit}"]
    if bench.task:
        versions.append("Taskwarrior " + subprocess.run([bench.task, "--version"], capture_output=True,
                                                        text=True).stdout.strip())
    if bench.pg_admin:
        import psycopg

        with psycopg.connect(bench.pg_admin) as conn:
            versions.append("PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0].split()[0])
    lines += [f"Run {started:%Y-%m-%d %H:%M} UTC, {(dt.datetime.now(dt.timezone.utc) - started).seconds // 60} min, "
              f"with `{' '.join(['bench/run.py', *sys.argv[1:]])}`: " + ", ".join(versions) + ".", "",
              "Machine:", "", *machine(),
              f"- load average (1, 5, 15 min) before: {loads[0]}; after: {loads[1]}", ""]
    lines += bench.machine_notes and [*("> " + n for n in bench.machine_notes), ""] or []
    lines += [f"Each figure: the median wall clock of {a.runs} run(s) of a whole process (start-up included), "
              "seconds; peak = the largest resident set of those runs, MiB. Tables are drawn on a 200×50 "
              "pseudo-terminal (50 rows, as at a desk); JSON, CSV, XLSX, TAB completion and imports write to a "
              "file. All commands, taskctl on SQLite and PostgreSQL and Taskwarrior, run round by round in one "
              "run. Budgets are issue 10's: every command on the example ledger ≤ 0.3 s (`--help` and TAB "
              "≤ 0.15 s); at 100,000 tasks the seconds, Taskwarrior ratios and the 150 MiB peak of reports; "
              "PostgreSQL ≤ 1.5× SQLite at every size. Sizes with no budget in the issue show their figures only.",
              ""]
    passed = failed = 0
    failures: list[str] = []
    body: list[str] = []
    for size, samples in sizes:
        title = ("the example ledger, `init --demo`" if size.n == DEMO_N else
                 f"{size.counts or f'{size.n:,} tasks'}, generated with seed {a.seed}")
        body += [f"## N = {size.n:,} ({title}; as of {size.as_of}, quarter {size.quarter}, week {size.week})", ""]
        if size.notes:
            body += ["Same tasks on both sides: " + "; ".join(size.notes) + ".", ""]
        head = ["command", "SQLite s", "peak MiB"]
        if bench.pg_admin:
            head += ["PostgreSQL s", "PG ÷ SQLite"]
        if bench.task:
            head += ["Taskwarrior", "task s", "taskctl ÷ task"]
        head += ["budgets", "verdict"]
        body += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for c in bench.commands:
            checks, v = checks_for(size, c, samples)
            label = c.label.replace("N rows", f"{size.n:,} rows")
            row = [label, fmt_s(v["sq"]) if v["sq"] is not None else "error",
                   "—" if v["sq_mem"] is None else f"{v['sq_mem']:.0f}"]
            if bench.pg_admin:
                row += [fmt_s(v["pg"]) if (c.key, "PostgreSQL") in samples and v["pg"] is not None else
                        ("error" if (c.key, "PostgreSQL") in samples else "—"),
                        f"{v['pg'] / v['sq']:.2f}×" if v["pg"] is not None and v["sq"] else "—"]
            if bench.task:
                if c.taskwarrior:
                    tw_label = TASKWARRIOR[c.taskwarrior][0].replace("N tasks", f"{size.n:,} tasks")
                    row += [f"`{tw_label}`", fmt_s(v["tw"]) if v["tw"] is not None else (v["tw_err"] or "—"),
                            f"{v['sq'] / v['tw']:.2f}×" if v["tw"] and v["sq"] is not None else "—"]
                else:
                    row += ["—", "—", "—"]
            marks = [f"{ch.what} {'✓' if ch.ok else '✗ (' + ch.detail + ')'}" for ch in checks]
            row += ["; ".join(marks) or "(none at this size)",
                    "" if not checks else "PASS" if all(ch.ok for ch in checks) else "**FAIL**"]
            body.append("| " + " | ".join(x.replace("|", "\\|") for x in row) + " |")
            for ch in checks:
                if ch.ok:
                    passed += 1
                else:
                    failed += 1
                    failures.append(f"- N = {size.n:,}, {label}: {ch.what} — {ch.detail}")
        body.append("")
    lines += [f"**Budgets: {passed} PASS, {failed} FAIL.**", ""]
    if failures:
        lines += ["Failing:", "", *failures, ""]
    lines += body
    lines += ["Regenerate with `make bench` (see bench/README.md). Figures depend on the machine and its load; "
              "the ratios, measured side by side, are what the budgets judge.", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return passed, failed


# ---------------------------------------------------------------- command line

def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip().replace("_", "").lower()
        if part:
            sizes.append(DEMO_N if part == "demo" else int(float(part[:-1]) * 1000) if part.endswith("k")
                         else int(part))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog="See bench/README.md.")
    parser.add_argument("--sizes", default="36,1000,10000,100000",
                        help="task counts; 36 (or demo) is the example ledger (default: 36,1000,10000,100000)")
    parser.add_argument("--updates", type=int, default=10, help="progress updates per task (default 10)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each command; the median counts (default 5)")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--pg", metavar="URL", help="also on PostgreSQL: a URL to the server (its databases "
                                                    "taskctl_bench_* are created and dropped)")
    parser.add_argument("--no-taskwarrior", dest="taskwarrior", action="store_false",
                        help="no Taskwarrior comparison even when `task` is installed")
    parser.add_argument("--tw-annotations", action="store_true",
                        help="give Taskwarrior every update as an annotation (default: tasks only)")
    parser.add_argument("--commands", type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
                        help="only these (keys: " + ", ".join(c.key for c in COMMANDS) + ")")
    parser.add_argument("--work", default=str(ROOT / "out" / "bench"), help="ledgers and files (out/bench)")
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"), help="the results (bench/RESULTS.md)")
    parser.add_argument("--reuse", action="store_true", help="reuse ledgers left by an earlier run with the same "
                                                             "N, updates and seed")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    args = parser.parse_args(argv)
    unknown = set(args.commands or ()) - {c.key for c in COMMANDS}
    if unknown:
        parser.error(f"unknown command key(s): {', '.join(sorted(unknown))}")
    sizes = parse_sizes(args.sizes)
    started = dt.datetime.now(dt.timezone.utc)
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    bench = Bench(args)
    for note in bench.machine_notes:
        bench.log(note)
    results = []
    try:
        for n in sizes:
            size = bench.prepare(n)
            results.append((size, bench.measure(size)))
    finally:
        bench.cleanup()
    load_after = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    out = Path(args.out)
    passed, failed = write_results(bench, results, out, started, (load_before, load_after))
    bench.log(f"wrote {out}: budgets {passed} PASS, {failed} FAIL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
