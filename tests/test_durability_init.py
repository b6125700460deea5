"""`init` never destroys: foreign databases are refused untouched; interrupted or concurrent inits
leave a whole ledger or nothing (SQLite and PostgreSQL, real processes, real signals)."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import PG_ADMIN

PY = sys.executable


def taskctl(*args: str, db: str, wait: bool = True, **kw):
    env = dict(os.environ, TASKCTL_DB=db, TASKCTL_LANG="en")
    cmd = [PY, "-m", "taskctl", *args]
    if not wait:
        return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, **kw)


def _pg(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def tables(backend: str, db: str) -> set[str]:
    if backend == "sqlite":
        if not os.path.exists(db):
            return set()
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    with _pg(db) as conn:
        return {r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = 'public'")}


def count(backend: str, db: str, table: str) -> int:
    if backend == "sqlite":
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    with _pg(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def make_foreign(backend: str, db: str) -> None:
    """A database of someone else's: a payroll table with 100 rows."""
    if backend == "sqlite":
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE payroll (id INTEGER PRIMARY KEY, name TEXT, amount REAL)")
            conn.executemany("INSERT INTO payroll (name, amount) VALUES (?, ?)", [(f"p{i}", i * 10.0) for i in range(100)])
        conn.close()
    else:
        with _pg(db) as conn:
            conn.execute("CREATE TABLE payroll (id serial PRIMARY KEY, name text, amount numeric)")
            for i in range(100):
                conn.execute("INSERT INTO payroll (name, amount) VALUES (%s, %s)", (f"p{i}", i * 10))


def digest(path: str) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


DEMO_TASKS, DEMO_UPDATES = 36, 162  # examples/README.md: the example ledger


def assert_whole_or_nothing(backend: str, db: str) -> bool:
    """Either no ledger at all or the whole example ledger; returns whether it is there."""
    found = tables(backend, db)
    if not found:
        return False
    assert {"alembic_version", "task", "progress", "history"} <= found, found
    assert count(backend, db, "task") == DEMO_TASKS
    assert count(backend, db, "progress") == DEMO_UPDATES
    assert taskctl("db", "check", db=db).returncode == 0
    return True


def test_init_refuses_a_foreign_database_and_changes_nothing(fresh_db, backend):
    db = fresh_db()
    make_foreign(backend, db)
    before = digest(db) if backend == "sqlite" else None
    for args in (("init",), ("init", "--demo"), ("overdue",), ("task", "list")):
        proc = taskctl(*args, db=db)
        assert proc.returncode == 3, (args, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
        assert "taskctl" in proc.stderr and "nothing changed" in proc.stderr
    assert tables(backend, db) == {"payroll"} and count(backend, db, "payroll") == 100
    if backend == "sqlite":
        assert digest(db) == before  # not one byte changed (no switch to WAL)
        assert sorted(os.listdir(os.path.dirname(db))) == [os.path.basename(db)]


def test_init_refuses_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("年度工作要点\n")
    proc = taskctl("init", "--demo", db=str(path))
    assert proc.returncode == 3 and path.read_text() == "年度工作要点\n"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_an_interrupted_init_leaves_a_whole_ledger_or_nothing(fresh_db, backend, sig):
    outcomes = []
    for delay in (0.25, 0.6, 0.95, 1.3):
        db = fresh_db()
        proc = taskctl("init", "--demo", db=db, wait=False)
        time.sleep(delay)
        proc.send_signal(sig)
        proc.communicate(timeout=30)
        outcomes.append(assert_whole_or_nothing(backend, db))
        if backend == "sqlite":
            # nothing half-made under the ledger's name; a killed run's private temporary file may stay …
            leftovers = [n for n in os.listdir(os.path.dirname(db)) if n.startswith("." + os.path.basename(db))]
            assert sig == signal.SIGKILL or not leftovers, leftovers
        again = taskctl("init", "--demo", db=db)
        assert again.returncode == 0, again.stderr
        assert assert_whole_or_nothing(backend, db)
        if backend == "sqlite":  # … and the next init cleans it up
            assert not [n for n in os.listdir(os.path.dirname(db)) if ".init-" in n]
    assert outcomes  # four runs checked


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_an_interrupted_init_on_a_foreign_database_drops_nothing(fresh_db, backend, sig):
    db = fresh_db()
    make_foreign(backend, db)
    for delay in (0.1, 0.4, 0.8):
        proc = taskctl("init", "--demo", db=db, wait=False)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(sig)
        proc.communicate(timeout=30)
        assert tables(backend, db) == {"payroll"} and count(backend, db, "payroll") == 100


def test_two_inits_at_once_leave_one_whole_ledger(fresh_db, backend):
    for _ in range(3):
        db = fresh_db()
        procs = [taskctl("init", "--demo", db=db, wait=False) for _ in range(2)]
        results = [(p.wait(timeout=60), p.communicate()) for p in procs]
        assert [code for code, _ in results] == [0, 0], results
        outs = [out for _, (out, _err) in results]
        assert sum("created the ledger" in o for o in outs) == 1, outs
        assert sum("already exists" in o for o in outs) == 1, outs
        assert assert_whole_or_nothing(backend, db)
        assert taskctl("overdue", db=db).returncode == 0


def test_an_empty_file_becomes_a_private_ledger(tmp_path):
    path = tmp_path / "new.db"
    path.touch(mode=0o644)
    assert taskctl("init", "--demo", db=str(path)).returncode == 0
    assert assert_whole_or_nothing("sqlite", str(path))
    assert os.stat(path).st_mode & 0o777 == 0o600
