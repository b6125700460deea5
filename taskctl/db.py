"""Opening the ledger: engine, one transaction per command, schema version.

Opening an up-to-date ledger reads the stored Alembic revision with a plain
query and compares it with ``SCHEMA_HEAD``; Alembic itself is imported only
to create or upgrade a ledger.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session

from taskctl.errors import LedgerMissing, TaskctlError

# The newest revision in taskctl/migrations/versions; a test keeps them in step.
SCHEMA_HEAD = "0005"

_engines: dict[str, Engine] = {}


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> str | None:
    if not is_sqlite(url):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    return path or None


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def get_engine(url: str) -> Engine:
    engine = _engines.get(url)
    if engine is None:
        if is_sqlite(url):
            engine = create_engine(url, connect_args={"timeout": 10})
            event.listen(engine, "connect", _on_sqlite_connect)
        else:
            engine = create_engine(url, pool_pre_ping=False)
        _engines[url] = engine
    return engine


def dispose(url: str) -> None:
    engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


def dispose_all() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def stored_revision(engine: Engine) -> str | None:
    """The Alembic revision recorded in the ledger, or None for an empty database."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except ProgrammingError:  # PostgreSQL: no such table
        return None
    except OperationalError as exc:  # SQLite reports a missing table this way; anything else is real
        if "no such table" in str(exc):
            return None
        raise


def ledger_exists(url: str) -> bool:
    path = sqlite_path(url)
    if path is not None and not os.path.exists(path):
        return False
    return stored_revision(get_engine(url)) is not None


def open_ledger(url: str) -> Engine:
    """An engine on an existing, up-to-date ledger (upgrading an older one in place)."""
    path = sqlite_path(url)
    if path is not None and not os.path.exists(path):
        raise LedgerMissing("error.no_ledger", db=path)
    engine = get_engine(url)
    try:
        revision = stored_revision(engine)
    except OperationalError as exc:
        raise TaskctlError("db.unreachable", url=_safe_url(url), reason=_first_line(exc)) from None
    if revision is None:
        raise LedgerMissing("error.no_ledger", db=path or _safe_url(url))
    if revision != SCHEMA_HEAD:
        upgrade(engine)
    return engine


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _alembic_config(connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to the head revision; returns (before, after)."""
    from alembic import command

    before = stored_revision(engine)
    known = known_revisions()
    if before is not None and before not in known:
        raise TaskctlError("db.newer_schema", revision=before)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    return before, SCHEMA_HEAD


def known_revisions() -> set[str]:
    versions = Path(__file__).parent / "migrations" / "versions"
    return {p.stem.split("_", 1)[0] for p in versions.glob("*.py") if not p.name.startswith("__")}


def create_ledger(url: str) -> Engine:
    """Create the schema in an empty database (an SQLite file is created 0600)."""
    path = sqlite_path(url)
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        if not os.path.exists(path):
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        os.chmod(path, 0o600)
    engine = get_engine(url)
    try:
        upgrade(engine)
    except OperationalError as exc:
        raise TaskctlError("db.unreachable", url=_safe_url(url), reason=_first_line(exc)) from None
    return engine


@contextlib.contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One command, one transaction: committed on success, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
