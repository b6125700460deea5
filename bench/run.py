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
    Command("task-list", "task list (table, 50 rows)", ["task", "list", "--limit", "50"], tty=True, report=True),
    Command("task-show", "task show ID", ["task", "show", "{task}"], tty=True),
    Command("overdue", "overdue (table, 50 rows)", ["overdue", "--limit", "50"], tty=True, taskwarrior="tw-overdue", ratio=0.25,
            seconds=0.8, report=True),
    Command("overdue-json", "overdue --format json (all rows)", ["overdue", "--format", "json"],
            taskwarrior="tw-export-overdue", ratio=0.25, report=True),
    Command("due-soon", "due-soon (table, 50 rows)", ["due-soon", "--limit", "50"], tty=True, taskwarrior="tw-overdue", ratio=0.25,
            seconds=0.8, report=True),
    Command("stale", "stale (table, 50 rows)", ["stale", "--limit", "50"], tty=True, taskwarrior="tw-overdue", ratio=0.25, seconds=0.8,
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
    cpu: float = 0.0  # user + system CPU seconds of the process (less sensitive to a shared machine)


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
    f.write(f"{took!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime!r}")
"""


def run_process(argv: list[str], env: dict, *, tty: bool, stdout: Path | None, cwd: Path) -> Sample:
    """Run one process to its end: its wall clock and its own peak memory (wait4, through the launcher)."""
    # named by this runner: a launcher left over from a stopped run cannot write into this run's figures
    stderr_path, result = cwd / f".stderr-{os.getpid()}", cwd / f".result-{os.getpid()}"
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
        took, peak, code, cpu = result.read_text().split()
    except (OSError, ValueError):
        return Sample(0.0, 0, 127, "the launcher failed: " + stderr_path.read_text(errors="replace")[-200:])
    error = ""
    if int(code):
        lines = stderr_path.read_text(errors="replace").strip().splitlines()
        error = (lines[-1] if lines else f"exit {code}")[:200]
    return Sample(float(took), int(peak), int(code), error, float(cpu))


# ---------------------------------------------------------------- the ledgers of one size

@dataclass
class Target:
    """One ledger (a backend) of one size."""

    backend: str  # SQLite | PostgreSQL
    db: str  # path or URL: this run's own copy (the commands may write to it: progress add)
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
    prepared: list[str] = field(default_factory=list)  # how the ledgers were made, and how long it took
    rounds: int = 0  # rounds measured so far


def schema_head() -> str:
    """The head revision of taskctl's migrations (part of the cache key: a new migration means new ledgers)."""
    try:
        from alembic.script import ScriptDirectory

        return ScriptDirectory(str(ROOT / "taskctl" / "migrations")).get_current_head() or "none"
    except Exception:  # no alembic layout: fall back on the newest migration file name
        names = sorted(p.name.split("_")[0] for p in (ROOT / "taskctl" / "migrations" / "versions").glob("*.py"))
        return names[-1] if names else "none"


def generator_version() -> str:
    """generate.GENERATOR_VERSION: a generator that makes other ledgers means new ledgers."""
    return str(G.GENERATOR_VERSION)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(args.work).resolve()
        self.work.mkdir(parents=True, exist_ok=True)
        self.cache = Path(args.cache).resolve() if args.cache else None
        if self.cache:
            self.cache.mkdir(parents=True, exist_ok=True)
        self.run_id = f"{os.getpid()}"
        self.head = schema_head()
        self.gen_version = generator_version()
        script = Path(sys.executable).parent / "taskctl"
        self.taskctl = [str(script)] if script.exists() else [sys.executable, "-m", "taskctl"]
        self.task = shutil.which("task") if args.taskwarrior else None
        self.tw_today = dt.datetime.now(dt.timezone.utc).date()
        self.pg_admin = self._pg_admin(args.pg) if args.pg else None
        self.pg_databases: list[str] = []  # this run's own databases, dropped at the end
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

    def pg_own(self, name: str) -> str:
        """A database of this run (uniquely named, dropped at the end)."""
        self.pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.pg_databases.append(name)
        return name

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
    def key(self, n: int) -> str:
        """The cache key of a generated ledger: N, M, seed, schema head and generator version."""
        return f"n{n}-m{self.args.updates}-s{self.args.seed}-h{self.head}-g{self.gen_version}"

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
        stem = "demo" if n == DEMO_N else f"n{n}"
        size.targets.append(Target("SQLite", str(self.work / f"{stem}.db"), str(self.work / f"{stem}-empty.db")))
        if self.pg_admin:
            name = f"taskctl_bench_{self.run_id}_{stem}"
            size.targets.append(Target("PostgreSQL", self.pg_url(name), name + "_empty"))
        began = time.perf_counter()
        if n == DEMO_N:
            self._prepare_demo(size)
        else:
            self._prepare_generated(size)
        size.task_id = self._active_task(size.targets[0].db)
        if self.task:
            t0 = time.perf_counter()
            self._prepare_taskwarrior(size)
            size.prepared.append(f"Taskwarrior `task import` for the read commands {time.perf_counter() - t0:.1f} s")
        took = time.perf_counter() - began
        size.prepared.append(f"all ledgers ready in {took:.1f} s")
        self.log(f"N={n}: ledgers ready in {took:.1f}s ({'; '.join(size.prepared[:-1])})")
        return size

    @staticmethod
    def _remove_sqlite(*paths: str | Path) -> None:
        for p in paths:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(p) + suffix).unlink(missing_ok=True)

    def _prepare_demo(self, size: Size) -> None:
        t0 = time.perf_counter()
        for target in size.targets:
            if target.backend == "PostgreSQL":
                for name in (self.pg_own(target.db.rsplit("/", 1)[1]), self.pg_own(target.skeleton)):
                    self.pg_execute(f'CREATE DATABASE "{name}"')
                skeleton = self.pg_url(target.skeleton)
            else:
                self._remove_sqlite(target.db, target.skeleton)
                skeleton = target.skeleton
            self.cli(target.db, "init", "--demo", as_of=size.as_of)
            self.cli(skeleton, "init", "--year", str(size.as_of.year), as_of=size.as_of)
        size.prepared.append(f"`init --demo` {time.perf_counter() - t0:.1f} s")
        # the same 36 tasks as an office ledger (the documented round trip) and for Taskwarrior
        self.cli(size.targets[0].db, "export", "ledger", "--format", "csv", "-o", str(size.csv), as_of=size.as_of)
        if size.tw_json:
            rows = json.loads(self.cli(size.targets[0].db, "task", "list", "--format", "json", "--all",
                                       as_of=size.as_of))
            sink = G.TaskwarriorSink(size.tw_json, shift=(self.tw_today - size.as_of).days, seed=0,
                                     annotations=False)
            for row in rows:
                sink.write(G.taskwarrior_record(_task_from_row(row, size.as_of), shift=sink.shift, seed=0))
            sink.close()

    def _prepare_generated(self, size: Size) -> None:
        """Generate (or take from the cache) the ledger of N tasks, its empty twin, the CSV and the JSON."""
        a = self.args
        key = self.key(size.n)
        tw_suffix = f"-tw{'-ann' if a.tw_annotations else ''}-{self.tw_today:%Y%m%d}.json"
        if self.cache:
            home = self.cache
            sq_full, sq_empty, csv_path = home / f"{key}.db", home / f"{key}-empty.db", home / f"{key}.csv"
            tw_path = home / f"{key}{tw_suffix}" if size.tw_json else None
            pg_full, pg_empty = f"taskctl_bench_c_{key.replace('-', '_')}", f"taskctl_bench_c_{key.replace('-', '_')}_0"
        else:
            sq_full, sq_empty, csv_path = Path(size.targets[0].db), Path(size.targets[0].skeleton), size.csv
            tw_path = size.tw_json
            pg_full = pg_empty = ""
        if a.regenerate or not self.cache:
            self._remove_sqlite(sq_full, sq_empty)
            csv_path.unlink(missing_ok=True)
        sqlite_hit = sq_full.exists() and sq_empty.exists() and csv_path.exists()
        pg_target = next((t for t in size.targets if t.backend == "PostgreSQL"), None)
        pg_hit = False
        if pg_target and self.cache:
            if a.regenerate:
                for name in (pg_full, pg_empty):
                    self.pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            pg_hit = self.pg_exists(pg_full) and self.pg_exists(pg_empty)
        # 1. generate what is missing, in one pass over the tasks (SQLite and PostgreSQL get the same tasks)
        todo: list[tuple[str, str, str]] = []  # (backend, full ledger, empty ledger) as generate.py takes them
        tmp = None
        if not sqlite_hit:
            tmp = (self.cache or self.work) / f".tmp-{self.run_id}-{key}"
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            todo.append(("SQLite", str(tmp / "full.db"), str(tmp / "empty.db")))
        if pg_target and not pg_hit:
            if self.cache:
                full, empty = pg_full, pg_empty
                for name in (full, empty):
                    self.pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            else:
                full, empty = self.pg_own(pg_target.db.rsplit("/", 1)[1]), self.pg_own(pg_target.skeleton)
            todo.append(("PostgreSQL", self.pg_url(full), self.pg_url(empty)))
        need_tw = tw_path is not None and (not tw_path.exists() or bool(todo))
        if todo or need_tw:
            what = ", ".join(b for b, _, _ in todo) + (" + " if todo and need_tw else "") + \
                ("Taskwarrior JSON" if need_tw else "")
            self.log(f"N={size.n}: generating {size.n:,} tasks × {a.updates} updates into {what}")
            t0 = time.perf_counter()
            for _, _, empty in todo:  # units and leaders only: what an import starts from
                G.generate([empty], n=0, updates=a.updates, seed=a.seed, as_of=size.as_of)
            counts = G.generate([full for _, full, _ in todo], n=size.n, updates=a.updates, seed=a.seed,
                                as_of=size.as_of, csv_path=(tmp / "tasks.csv") if tmp else None,
                                tw_path=tw_path if need_tw else None, tw_today=self.tw_today,
                                tw_annotations=a.tw_annotations)
            took = time.perf_counter() - t0
            size.prepared.append(f"generated ({', '.join(b for b, _, _ in todo) or 'files only'}"
                                 f"{', Taskwarrior JSON' if need_tw and todo else ''}) in {took:.1f} s")
            self.log(f"N={size.n}: generated in {took:.1f}s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
            if tmp:  # into place only when complete: an interrupted run leaves no half ledger in the cache
                os.replace(tmp / "full.db", sq_full)
                os.replace(tmp / "empty.db", sq_empty)
                os.replace(tmp / "tasks.csv", csv_path)
                shutil.rmtree(tmp, ignore_errors=True)
            if self.cache and tw_path:  # yesterday's Taskwarrior files are of no use (dates move with today)
                for old in self.cache.glob(f"{key}-tw*.json"):
                    if old != tw_path:
                        old.unlink()
        else:
            size.prepared.append(f"from the cache `{key}`")
        # 2. this run's own copies (commands such as progress add write to them; the cache stays as generated)
        t0 = time.perf_counter()
        sq_target = size.targets[0]
        if Path(sq_target.db) != sq_full:
            self._remove_sqlite(sq_target.db, sq_target.skeleton)
            shutil.copyfile(sq_full, sq_target.db)
            shutil.copyfile(sq_empty, sq_target.skeleton)
        if csv_path != size.csv:
            shutil.copyfile(csv_path, size.csv)
        if tw_path and tw_path != size.tw_json:
            shutil.copyfile(tw_path, size.tw_json)
        if pg_target and self.cache:
            own, own_empty = self.pg_own(pg_target.db.rsplit("/", 1)[1]), self.pg_own(pg_target.skeleton)
            self.pg_execute(f'CREATE DATABASE "{own}" TEMPLATE "{pg_full}"')
            self.pg_execute(f'CREATE DATABASE "{own_empty}" TEMPLATE "{pg_empty}"')
        if self.cache:
            size.prepared.append(f"copied for this run in {time.perf_counter() - t0:.1f} s")
        with sqlite3.connect(f"file:{sq_target.db}?mode=ro", uri=True) as conn:
            tasks_, updates_ = (conn.execute("SELECT count(*) FROM task").fetchone()[0],
                                conn.execute("SELECT count(*) FROM progress").fetchone()[0])
        size.counts = f"{tasks_:,} tasks, {updates_:,} updates"

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
            # a fair, non-interactive Taskwarrior: no garbage collection (a report does not rewrite its files;
            # taskctl's reports do not write either), no hooks, no recurrence, no questions, no chatter
            f"data.location={home / 'data'}\nconfirmation=off\nverbose=nothing\nhooks=off\ngc=off\n"
            "recurrence=off\nbulk=0\ndetection=off\nnews.version=2.6.2\n"
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
    def measure(self, size: Size, samples: dict | None = None, after_round=None) -> dict:
        """Every command, --runs rounds; returns {(command key, backend): [Sample]} (backend "task" for TW).

        ``samples`` is filled in place, and ``after_round()`` is called after each round (RESULTS.md is written
        then, so a long run that is stopped still leaves the rounds it finished)."""
        samples = {} if samples is None else samples
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
            size.rounds = round_ + 1
            if round_ == 0:
                self._check_same_tasks(size, outputs)
            if after_round:
                after_round()
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
        if name not in self.pg_databases:
            self.pg_databases.append(name)
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
        for name in (".result", ".stderr"):
            (self.work / f"{name}-{os.getpid()}").unlink(missing_ok=True)
        if self.pg_admin:
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
    what: str  # the budget, e.g. "≤ 0.25× task"
    ok: bool
    detail: str  # the figure against the budget
    backend: str = "SQLite"
    measured: str = ""
    limit: str = ""


@dataclass
class Figure:
    seconds: float | None
    peak: float | None  # MiB
    cpu: float | None
    error: str


def figure(samples: list[Sample] | None) -> Figure:
    if not samples:
        return Figure(None, None, None, "")
    failed = [s for s in samples if s.code]
    if failed:
        return Figure(None, None, None, f"exit {failed[0].code}: {failed[0].error}")
    return Figure(statistics.median(s.seconds for s in samples), max(s.peak_kib for s in samples) / MIB,
                  statistics.median(s.cpu for s in samples), "")


def fmt_s(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}" if value < 1 else f"{value:.2f}"


def checks_for(size: Size, c: Command, samples: dict) -> tuple[list[Check], dict]:
    sq = figure(samples.get((c.key, "SQLite")))
    pg = figure(samples.get((c.key, "PostgreSQL")))
    tw = figure(samples.get((c.taskwarrior, "task"))) if c.taskwarrior else Figure(None, None, None, "")
    tw_label = TASKWARRIOR[c.taskwarrior][0].replace("N tasks", f"{size.n:,} tasks") if c.taskwarrior else ""
    checks: list[Check] = []

    def add(what: str, actual: float, limit: float, unit: str, *, backend: str = "SQLite", measured: str = "",
            limit_text: str = "") -> None:
        checks.append(Check(what, actual <= limit, f"{actual:.3g}{unit}, {actual / limit:.2f}× the budget",
                            backend, measured or f"{fmt_s(actual) if unit == ' s' else f'{actual:.3g}'}{unit}",
                            limit_text or f"{limit:g}{unit}"))

    if sq.error:
        checks.append(Check("runs", False, sq.error, "SQLite", "error", "exit 0"))
    if size.n == DEMO_N and sq.seconds is not None:
        limit = DEMO_BUDGETS.get(c.key, DEMO_SECONDS)
        add(f"≤ {limit:g} s", sq.seconds, limit, " s")
    if size.n >= BIG_N and sq.seconds is not None:
        if c.seconds is not None:
            add(f"≤ {c.seconds:g} s", sq.seconds, c.seconds, " s")
        if c.ratio is not None and tw.seconds:
            add(f"≤ {c.ratio:g}× `{tw_label}`", sq.seconds / tw.seconds, c.ratio, "×",
                measured=f"{fmt_s(sq.seconds)} s ÷ {fmt_s(tw.seconds)} s = {sq.seconds / tw.seconds:.2f}×")
        if c.report:
            add(f"peak ≤ {PEAK_MIB} MiB", sq.peak, PEAK_MIB, " MiB", measured=f"{sq.peak:.0f} MiB")
    if pg.error:
        checks.append(Check("runs on PostgreSQL", False, pg.error, "PostgreSQL", "error", "exit 0"))
    if pg.seconds is not None and sq.seconds:
        add(f"PostgreSQL ≤ {PG_RATIO:g}× SQLite", pg.seconds / sq.seconds, PG_RATIO, "×", backend="PostgreSQL",
            measured=f"{fmt_s(pg.seconds)} s ÷ {fmt_s(sq.seconds)} s = {pg.seconds / sq.seconds:.2f}×")
    return checks, {"sq": sq, "pg": pg, "tw": tw, "tw_label": tw_label}


def machine(bench: "Bench") -> list[str]:
    def sh(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
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
    mem = "?"
    try:
        kib = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    pg = "not used in this run"
    if bench.pg_admin:
        import psycopg

        with psycopg.connect(bench.pg_admin) as conn:
            pg = conn.execute("SHOW server_version").fetchone()[0].split()[0] + " (server)"
    elif shutil.which("psql"):
        found = re.search(r"\d+(\.\d+)+", sh("psql", "--version"))
        pg = (found.group(0) if found else "?") + " (the psql client; the server was not used in this run)"
    tw = (sh(bench.task, "--version") + f" (`{bench.task}`)") if bench.task else "not used in this run"
    try:
        import sqlalchemy

        sa = sqlalchemy.__version__
    except ImportError:
        sa = "?"
    try:
        import psycopg

        pgdriver = psycopg.__version__
    except ImportError:
        pgdriver = "?"
    commit = sh("git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD") or "?"
    dirty = " (with uncommitted changes)" if sh("git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no",
                                                "--", ".", ":!bench/RESULTS*.md") else ""  # not the file being written
    branch = sh("git", "-C", str(ROOT), "rev-parse", "--abbrev-ref", "HEAD")
    code = sh("git", "-C", str(ROOT), "log", "-1", "--format=%h", "--", "taskctl") or "?"
    return [f"- CPU: {cpu}; cores (`nproc`): {sh('nproc')}; memory {mem}; Linux {platform.release()}",
            f"- Python {platform.python_version()}; SQLite {sqlite3.sqlite_version} (Python's sqlite3); "
            f"SQLAlchemy {sa}; psycopg {pgdriver}",
            f"- PostgreSQL {pg}",
            f"- Taskwarrior {tw}",
            f"- taskctl at git commit `{commit}`{dirty}, branch `{branch}` (`taskctl/` last changed in `{code}`); "
            f"schema head {bench.head}; "
            f"generator version {bench.gen_version}",
            f"- the runner's niceness {os.nice(0)} (the commands inherit it)"]


def write_results(bench: Bench, sizes: list[tuple[Size, dict]], path: Path, started: dt.datetime,
                  loads: tuple[str, str], pending: list[int] | None = None) -> tuple[int, int, list[str]]:
    a = bench.args
    ended = dt.datetime.now(dt.timezone.utc)
    lines = ["# taskctl benchmark results", ""]
    lines += [f"Run on {started:%Y-%m-%d} from {started:%H:%M} to {ended:%H:%M} UTC "
              f"({(ended - started).total_seconds() / 60:.1f} min) with "
              f"`{' '.join(['bench/run.py', *(sys.argv[1:] if Path(sys.argv[0]).name == 'run.py' else [])])}`.", "",
              "Machine:", "", *machine(bench),
              f"- load average (1, 5, 15 min) before: {loads[0]}; after: {loads[1]}", ""]
    lines += bench.machine_notes and [*("> " + n for n in bench.machine_notes), ""] or []
    unfinished = [f"N = {s.n:,}: {s.rounds} of {a.runs} rounds" for s, _ in sizes if s.rounds < a.runs]
    if unfinished or pending:
        lines += ["> **The run is not complete** (this file is written after every round): " +
                  "; ".join(unfinished + ([f"not started: N = {', '.join(f'{n:,}' for n in pending)}"]
                                          if pending else [])) + ".", ""]
    lines += [f"Each figure: the median wall clock of {a.runs} run(s) of a whole process (start-up included), "
              "seconds; CPU = the median user + system CPU seconds of the process (what a busy machine inflates "
              "least); peak = the largest resident set of those runs, MiB. Tables are drawn on a 200×50 "
              "pseudo-terminal (`--limit 50` where the issue says 50 rows); JSON, CSV, XLSX, TAB completion and "
              "imports write to a file. All commands, taskctl on SQLite and PostgreSQL and Taskwarrior, run "
              "round by round in one run, so the ratios are side by side. Budgets are issue 10's: every command "
              "on the example ledger ≤ 0.3 s (`--help` and TAB ≤ 0.15 s); at 100,000 tasks the seconds, "
              "Taskwarrior ratios and the 150 MiB peak of reports; PostgreSQL ≤ 1.5× SQLite at every size. "
              "Sizes with no budget in the issue (1,000, 10,000) show their figures only.", ""]
    passed = failed = 0
    budget_rows: list[str] = []
    body: list[str] = []
    for size, samples in sizes:
        title = ("the example ledger, `init --demo`" if size.n == DEMO_N else
                 f"{size.counts or f'{size.n:,} tasks'}, generated with seed {a.seed}")
        body += [f"## N = {size.n:,} ({title}; as of {size.as_of}, quarter {size.quarter}, week {size.week})", ""]
        if size.prepared:
            body += ["Ledgers: " + "; ".join(size.prepared) + ".", ""]
        if size.notes:
            body += ["Same tasks on both sides: " + "; ".join(size.notes) + ".", ""]
        head = ["command", "SQLite s", "CPU s", "peak MiB"]
        if bench.pg_admin:
            head += ["PostgreSQL s", "PG peak MiB", "PG ÷ SQLite"]
        if bench.task:
            head += ["Taskwarrior", "task s", "taskctl ÷ task"]
        head += ["budgets", "verdict"]
        body += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for c in bench.commands:
            checks, v = checks_for(size, c, samples)
            sq, pg, tw = v["sq"], v["pg"], v["tw"]
            label = c.label.replace("N rows", f"{size.n:,} rows")
            row = [label, fmt_s(sq.seconds) if sq.seconds is not None else "error",
                   fmt_s(sq.cpu), "—" if sq.peak is None else f"{sq.peak:.0f}"]
            if bench.pg_admin:
                ran = (c.key, "PostgreSQL") in samples
                row += [fmt_s(pg.seconds) if pg.seconds is not None else ("error" if ran else "—"),
                        "—" if pg.peak is None else f"{pg.peak:.0f}",
                        f"{pg.seconds / sq.seconds:.2f}×" if pg.seconds is not None and sq.seconds else "—"]
            if bench.task:
                if c.taskwarrior:
                    row += [f"`{v['tw_label']}`", fmt_s(tw.seconds) if tw.seconds is not None else (tw.error or "—"),
                            f"{sq.seconds / tw.seconds:.2f}×" if tw.seconds and sq.seconds is not None else "—"]
                else:
                    row += ["—", "—", "—"]
            marks = [f"{ch.what} {'✓' if ch.ok else '✗ (' + ch.detail + ')'}" for ch in checks]
            row += ["; ".join(marks) or "(none at this size)",
                    "" if not checks else "held" if all(ch.ok for ch in checks) else "**missed**"]
            body.append("| " + " | ".join(x.replace("|", "\\|") for x in row) + " |")
            for ch in checks:
                passed += ch.ok
                failed += not ch.ok
                cells = [ch.what, f"{size.n:,}", label, ch.backend, ch.measured, ch.limit,
                         "held" if ch.ok else f"**missed** ({ch.detail.split(', ')[-1]})"]
                budget_rows.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
        body.append("")
    table = [f"## Budgets (issue 10): {passed} held, {failed} missed", ""]
    if budget_rows:
        table += ["| budget | N | command | backend | measured | limit | verdict |", "|---|---|---|---|---|---|---|",
                  *budget_rows, ""]
    else:
        table += ["No budget applies to the sizes of this run (they are set at N = 36 and 100,000).", ""]
    missing = [n for n in (DEMO_N, BIG_N) if n not in {s.n for s, _ in sizes}]
    if missing:
        table += ["Not in this run, so not judged here: the budgets at N = " +
                  " and ".join(f"{n:,}" for n in missing) + ".", ""]
    lines += table + body
    lines += ["Regenerate with `make bench` (see bench/README.md). Figures depend on the machine and its load; "
              "the ratios, measured side by side, are what the budgets judge.", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return passed, failed, table


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
    parser.add_argument("--cache", default=str(ROOT / "out" / "bench" / "cache"),
                        help="generated ledgers kept for later runs, keyed by N, updates, seed, schema head and "
                             "generator version (default out/bench/cache; PostgreSQL keeps template databases "
                             "taskctl_bench_c_*)")
    parser.add_argument("--no-cache", dest="cache", action="store_const", const="",
                        help="generate every ledger afresh and keep none")
    parser.add_argument("--regenerate", action="store_true", help="generate again even when the cache has it")
    parser.add_argument("--prepare-only", action="store_true",
                        help="generate the ledgers (into the cache) and stop: nothing is timed, RESULTS.md untouched")
    parser.add_argument("--clear-cache", action="store_true",
                        help="delete the cache directory and the PostgreSQL cache databases (with --pg), then stop")
    args = parser.parse_args(argv)
    unknown = set(args.commands or ()) - {c.key for c in COMMANDS}
    if unknown:
        parser.error(f"unknown command key(s): {', '.join(sorted(unknown))}")
    sizes = parse_sizes(args.sizes)
    if args.clear_cache:
        clear_cache(args)
        return 0
    started = dt.datetime.now(dt.timezone.utc)
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    bench = Bench(args)
    for note in bench.machine_notes:
        bench.log(note)
    results: list[tuple[Size, dict]] = []
    out = Path(args.out)

    def write_so_far() -> None:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
        write_results(bench, results, out, started, (load_before, load), pending=sizes[len(results):])

    try:
        for n in sizes:
            size = bench.prepare(n)
            if not args.prepare_only:
                samples: dict = {}
                results.append((size, samples))
                bench.measure(size, samples, after_round=write_so_far)
    finally:
        bench.cleanup()
    if args.prepare_only:
        bench.log(f"ledgers ready in {(dt.datetime.now(dt.timezone.utc) - started).total_seconds():.0f}s; nothing timed")
        return 0
    load_after = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    passed, failed, table = write_results(bench, results, out, started, (load_before, load_after))
    print("\n".join(table), flush=True)
    bench.log(f"wrote {out}: budgets {passed} held, {failed} missed; the whole run took "
              f"{(dt.datetime.now(dt.timezone.utc) - started).total_seconds() / 60:.1f} min")
    return 0


def clear_cache(args: argparse.Namespace) -> None:
    if args.cache and Path(args.cache).exists():
        shutil.rmtree(args.cache)
        print(f"removed {args.cache}")
    if args.pg:
        import psycopg

        with psycopg.connect(args.pg, autocommit=True) as conn:
            names = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE "
                                                "'taskctl\\_bench\\_c\\_%'")]
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                print(f"dropped database {name}")


if __name__ == "__main__":
    sys.exit(main())
