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


def drop_group_roles(conn, db: str) -> None:
    """Roles are cluster-wide: a dropped test database's group roles (revision 0005) go with it, and so do
    the login roles `user add` made members of them (they hold no privileges of their own)."""
    from taskctl.roles import group_names

    groups = list(group_names(db).values())
    members = conn.execute("SELECT DISTINCT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member "
                           "JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname = ANY(%s)", (groups,)).fetchall()
    for (member,) in members:
        conn.execute(f'DROP ROLE IF EXISTS "{member}"')
    for role in groups:
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    if request.param == "postgresql":
        require_pg()
    return request.param


@pytest.fixture
def fresh_db(backend, tmp_path):
    """A factory of new databases on the test's backend, optionally copied from a template."""
    created: list[str] = []

    def make(templates: dict[str, str] | None = None) -> str:
        if backend == "sqlite":
            path = tmp_path / f"ledger{len(created) or ''}.db"
            created.append(str(path))
            if templates:
                import shutil

                shutil.copy2(templates["sqlite"], path)
            return str(path)
        import psycopg

        name = f"taskctl_test_{uuid.uuid4().hex[:12]}"
        template = f' TEMPLATE "{templates["postgresql"]}"' if templates else ""
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{template}')
        created.append(name)
        return f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"

    yield make
    from taskctl.db import dispose_all

    dispose_all()
    if backend == "postgresql" and created:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for name in created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                drop_group_roles(conn, name)


@pytest.fixture
def db_url(fresh_db) -> str:
    """The URL of an empty database on each backend (no ledger yet)."""
    return fresh_db()


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    yield str(tmp_path / "ledger.db")
    from taskctl.db import dispose_all

    dispose_all()


def _build_template(tmp_path_factory, kind: str, args: tuple[str, ...]) -> dict[str, str]:
    """A ledger made once per session through the CLI; tests get copies of it.

    Creating a ledger runs the Alembic revisions; copying a finished one
    (a file copy for SQLite, CREATE DATABASE … TEMPLATE for PostgreSQL) keeps
    the suite fast while every test still gets its own database.
    """
    import psycopg  # noqa: F401  (fail early and clearly if missing)

    from taskctl.db import dispose_all

    templates: dict[str, str] = {}
    path = tmp_path_factory.mktemp(f"template-{kind}") / "ledger.db"
    os.environ["TASKCTL_DB"] = str(path)
    try:
        result = run("init", *args)
        assert result.exit_code == 0, result.output
        templates["sqlite"] = str(path)
        if pg_available() is None:
            import psycopg

            name = f"taskctl_tmpl_{kind}_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            url = f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
            os.environ["TASKCTL_DB"] = url
            result = run("init", *args)
            assert result.exit_code == 0, result.output
            templates["postgresql"] = name
    finally:
        os.environ.pop("TASKCTL_DB", None)
        dispose_all()
    return templates


def _drop_templates(templates: dict[str, str]) -> None:
    if "postgresql" in templates:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{templates["postgresql"]}" WITH (FORCE)')
            drop_group_roles(conn, templates["postgresql"])


@pytest.fixture(scope="session")
def _plain_template(tmp_path_factory):
    templates = _build_template(tmp_path_factory, "plain", ("--year", "2023"))
    yield templates
    _drop_templates(templates)


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory):
    templates = _build_template(tmp_path_factory, "demo", ("--demo",))
    yield templates
    _drop_templates(templates)


@pytest.fixture
def ledger_env(fresh_db, monkeypatch, _plain_template) -> str:
    """TASKCTL_DB pointing at a new ledger (year 2023) on each backend."""
    db_url = fresh_db(_plain_template)
    monkeypatch.setenv("TASKCTL_DB", db_url)
    return db_url


@pytest.fixture
def demo_env(fresh_db, monkeypatch, _demo_template) -> str:
    """TASKCTL_DB pointing at the example ledger on each backend."""
    db_url = fresh_db(_demo_template)
    monkeypatch.setenv("TASKCTL_DB", db_url)
    return db_url


def run(*args: str, input: str | None = None):
    """Run the CLI in-process (English); the result has exit_code, stdout and stderr."""
    from typer.testing import CliRunner

    from taskctl.cli.app import app

    return CliRunner().invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)


def ok(*args: str) -> str:
    """Run the CLI and insist it succeeds; its stdout."""
    result = run(*args)
    assert result.exit_code == 0, f"{args}: {result.stdout}{result.stderr}"
    return result.stdout


def as_json(*args: str):
    """Run the CLI with --format json and parse what it prints."""
    import json

    return json.loads(ok(*args, "--format", "json"))


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
