"""Fixtures: every test gets its own ledger, on SQLite and (where marked) PostgreSQL.

PostgreSQL tests create a fresh database on 127.0.0.1:5432 (user postgres,
trust auth; override with TASKCTL_TEST_PG) and drop it afterwards.  When no
server answers they are skipped with a message — except under CI=true, where
an unreachable server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

os.environ.setdefault("TASKCTL_LANG", "en")
os.environ["TASKCTL_TODAY"] = "2023-03-31"
os.environ["TASKCTL_USER"] = "tester"
os.environ.pop("TASKCTL_DB", None)

PG_ADMIN = os.environ.get("TASKCTL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
_pg_state: dict[str, object] = {}


def pg_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    if "reason" not in _pg_state:
        try:
            import psycopg

            with psycopg.connect(PG_ADMIN, connect_timeout=3):
                pass
            _pg_state["reason"] = None
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
            _pg_state["reason"] = f"PostgreSQL not reachable at {PG_ADMIN}: {exc}".splitlines()[0]
    return _pg_state["reason"]  # type: ignore[return-value]


def require_pg() -> None:
    reason = pg_available()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)")
        pytest.skip(reason)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the test."""
    require_pg()
    import psycopg

    name = f"taskctl_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    try:
        yield url
    finally:
        from taskctl.db import dispose_all

        dispose_all()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> Iterator[str]:
    """The URL of an empty database on each backend (no ledger yet)."""
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.db")
        from taskctl.db import dispose_all

        dispose_all()
    else:
        yield request.getfixturevalue("pg_url")


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    yield str(tmp_path / "ledger.db")
    from taskctl.db import dispose_all

    dispose_all()


@pytest.fixture
def ledger_env(db_url, monkeypatch) -> str:
    """TASKCTL_DB pointing at a new ledger (year 2023) on each backend."""
    monkeypatch.setenv("TASKCTL_DB", db_url)
    result = run("init", "--year", "2023")
    assert result.exit_code == 0, result.output
    return db_url


@pytest.fixture
def demo_env(db_url, monkeypatch) -> str:
    """TASKCTL_DB pointing at the example ledger on each backend."""
    monkeypatch.setenv("TASKCTL_DB", db_url)
    result = run("init", "--demo")
    assert result.exit_code == 0, result.output
    return db_url


def run(*args: str, input: str | None = None):
    """Run the CLI in-process (English); the result has exit_code, stdout and stderr."""
    from typer.testing import CliRunner

    from taskctl.cli.app import app
    from taskctl.cli.common import STATE

    STATE["db"] = None
    return CliRunner().invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)


def dump_ledger(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, sorted — to show a failed command changed nothing."""
    from sqlalchemy import MetaData, select

    from taskctl.config import database_url
    from taskctl.db import get_engine

    engine = get_engine(database_url(url))
    meta = MetaData()
    meta.reflect(engine)
    out = {}
    with engine.connect() as conn:
        for name, table in sorted(meta.tables.items()):
            out[name] = sorted((tuple(str(v) for v in row) for row in conn.execute(select(table))))
    return out
