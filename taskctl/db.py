"""Opening the ledger: engine, one transaction per command, schema version.

Opening an up-to-date ledger reads the stored Alembic revision with a plain
query and compares it with ``SCHEMA_HEAD``; Alembic itself is imported only
to create or upgrade a ledger.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar
import weakref

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from taskctl.errors import LedgerMissing, LedgerUnusable

from taskctl.reader import SCHEMA_HEAD, is_sqlite, mask_secrets, sqlite_path  # noqa: F401 — kept here for callers
from taskctl.reader import sqlite_readonly as _sqlite_readonly
from taskctl.reader import sqlite_uri as _sqlite_uri

_engines: dict[str, Engine] = {}


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    # SQLAlchemy, not the sqlite3 module, begins transactions (see _begin_immediate): the module's own
    # handling starts none before a SELECT, so a report's queries could each see a different moment
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _on_readonly_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _begin_immediate(conn) -> None:
    """One command, one snapshot.  A command that writes takes the write lock up front (BEGIN
    IMMEDIATE): it cannot fail half-way with "database is locked" because another process wrote
    between its reads and its first write — it waits, up to busy_timeout, for its turn.  A command that
    only reads begins deferred, so readers never wait for each other or for a writer."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("taskctl_write") else "BEGIN")


def _pg_begin(conn) -> None:
    """PostgreSQL: a command that writes a current ledger takes the write lock (``facts.PG_WRITE_LOCK``) as
    its first statement — before its first query sets its snapshot — and so waits for another writer
    instead of failing against it, as BEGIN IMMEDIATE makes it wait on SQLite."""
    if conn.get_execution_options().get("taskctl_write") and _pg_current.get(conn.engine):
        from taskctl.facts import PG_WRITE_LOCK

        conn.exec_driver_sql(PG_WRITE_LOCK)


def _begin_deferred(conn) -> None:
    conn.exec_driver_sql("BEGIN")


def _sqlite_engine(path: str, *, readonly: bool = False) -> Engine:
    import sqlite3

    uri = _sqlite_uri(path, readonly=readonly)
    from sqlalchemy.pool import QueuePool

    # a file, not memory: a pool of separate connections (sqlite:// alone would mean one shared connection)
    engine = create_engine("sqlite://", poolclass=QueuePool,
                           creator=lambda: sqlite3.connect(uri, uri=True, timeout=10, check_same_thread=False))
    event.listen(engine, "connect", _on_readonly_connect if readonly else _on_sqlite_connect)
    event.listen(engine, "begin", _begin_deferred if readonly else _begin_immediate)
    return engine


def get_engine(url: str) -> Engine:
    engine = _engines.get(url)
    if engine is None:
        if is_sqlite(url):
            path = sqlite_path(url)
            if path is None:  # sqlite:// in memory (tests, scripts)
                engine = create_engine(url)
                event.listen(engine, "connect", _on_sqlite_connect)
                event.listen(engine, "begin", _begin_immediate)
            else:
                engine = _sqlite_engine(path, readonly=_sqlite_readonly(path))
        else:
            try:
                # one snapshot per command: a report never sees half of another terminal's command
                from sqlalchemy.engine import make_url

                from taskctl.reader import pg_options

                given = make_url(url).query.get("options")
                engine = create_engine(url, pool_pre_ping=False, isolation_level="REPEATABLE READ",
                                       connect_args={"options": pg_options(given if isinstance(given, str) else None)})
                event.listen(engine, "begin", _pg_begin)
            except Exception as exc:  # a bad port, an unknown driver: the URL cannot be used
                raise LedgerUnusable("db.bad_url", url=safe_url(url), reason=mask_secrets(_first_line(exc), url)) \
                    from None
        _engines[url] = engine
    return engine


_pg_current: "weakref.WeakKeyDictionary[Engine, bool]" = weakref.WeakKeyDictionary()  # open_ledger found it current


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


# ---------------------------------------------------------------- what a database holds

LEDGER, EMPTY, MISSING, FOREIGN = "ledger", "empty", "missing", "foreign"
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _classify(tables: set[str]) -> str:
    if not tables:
        return EMPTY
    if {"alembic_version", "task", "area"} <= tables:
        return LEDGER
    return FOREIGN


def probe_sqlite(path: str) -> str:
    """What the file holds — without changing a byte of it (read-only, immutable when no one writes)."""
    import sqlite3

    if not os.path.lexists(path):
        return MISSING
    if not os.path.isfile(path):
        return FOREIGN
    try:
        if os.path.getsize(path) == 0:
            return EMPTY
        with open(path, "rb") as fh:
            if fh.read(16) != _SQLITE_MAGIC:
                return FOREIGN
        conn = sqlite3.connect(_sqlite_uri(path, readonly=True), uri=True, timeout=10)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return FOREIGN
    return _classify(tables)


def _pg_tables(conn) -> set[str]:
    rows = conn.execute(text(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_%'"))
    return {r[0] for r in rows}


def probe(url: str) -> str:
    """LEDGER, EMPTY, MISSING (an SQLite file not there) or FOREIGN (anything that is not taskctl's)."""
    path = sqlite_path(url)
    if path is not None:
        return probe_sqlite(path)
    if is_sqlite(url):
        return EMPTY
    try:
        with get_engine(url).connect() as conn:
            return _classify(_pg_tables(conn))
    except OperationalError as exc:
        raise unreachable(url, exc) from None


def ledger_exists(url: str) -> bool:
    return probe(url) == LEDGER


def unreachable(url: str, exc: Exception) -> LedgerUnusable:
    return LedgerUnusable("db.unreachable", url=safe_url(url), reason=mask_secrets(_first_line(exc), url))


def open_ledger(url: str) -> Engine:
    """An engine on an existing, up-to-date ledger.

    An older SQLite ledger is upgraded in place; an older PostgreSQL ledger is refused until someone runs
    ``taskctl db upgrade`` (one terminal with a newer taskctl must not change the schema under the others).
    A file that is not a taskctl ledger is refused without being opened for writing.
    """
    path = sqlite_path(url)
    if path is not None:
        state = probe_sqlite(path)
        if state in (MISSING, EMPTY):
            raise LedgerMissing("error.no_ledger", db=path)
        if state == FOREIGN:
            raise LedgerUnusable("db.foreign", db=path)
    engine = get_engine(url)
    try:
        revision = stored_revision(engine)
        if revision is None and path is None and _classify_url(engine) == FOREIGN:
            raise LedgerUnusable("db.foreign", db=safe_url(url))
    except (OperationalError, ProgrammingError) as exc:
        raise unreachable(url, exc) from None
    if revision is None:
        raise LedgerMissing("error.no_ledger", db=path or safe_url(url))
    if path is None:  # the write lock exists in a current schema only (facts.PG_WRITE_LOCK)
        _pg_current[engine] = revision == SCHEMA_HEAD
    if revision != SCHEMA_HEAD:
        if revision not in known_revisions():
            raise LedgerUnusable("db.newer_schema", revision=revision)
        if path is None:
            raise LedgerUnusable("db.outdated", revision=revision, head=SCHEMA_HEAD)
        try:
            upgrade(engine)
        except OperationalError as exc:
            raise unreachable(url, exc) from None
    return engine


def _classify_url(engine: Engine) -> str:
    with engine.connect() as conn:
        return _classify(_pg_tables(conn))


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def safe_url(url: str) -> str:
    return mask_secrets(url, url)


_safe_url = safe_url  # the old name, kept for callers


def _alembic_config(connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to the head revision in one transaction; returns (before, after)."""
    from alembic import command

    before = stored_revision(engine)
    known = known_revisions()
    if before is not None and before not in known:
        raise LedgerUnusable("db.newer_schema", revision=before)
    with engine.connect().execution_options(taskctl_write=True) as conn, conn.begin():
        command.upgrade(_alembic_config(conn), "head")
    return before, SCHEMA_HEAD


def known_revisions() -> set[str]:
    versions = Path(__file__).parent / "migrations" / "versions"
    return {p.stem.split("_", 1)[0] for p in versions.glob("*.py") if not p.name.startswith("__")}


# ---------------------------------------------------------------- creating a ledger

T = TypeVar("T")
_PG_INIT_LOCK = 0x7461736B  # "task": concurrent inits on one PostgreSQL database take turns


def init_ledger(url: str, build: Callable[[Session], T] | None = None) -> tuple[bool, T | None]:
    """Create the schema and run ``build`` (seed, demo) as one whole: (created, build's result).

    Never touches what is not ours: a database holding anything but a taskctl ledger is refused
    (``LedgerUnusable``), an existing ledger is left alone ((False, None)).  On SQLite the ledger is built
    in a private temporary file that is linked into place only when complete; on PostgreSQL schema and
    data are one transaction.  An interrupted or concurrent init leaves a whole ledger or nothing.
    """
    path = sqlite_path(url)
    if path is not None:
        return _init_sqlite(path, build)
    if is_sqlite(url):
        raise LedgerUnusable("db.bad_url", url=url, reason="in-memory")
    engine = get_engine(url)
    from alembic import command

    try:
        # READ COMMITTED: after waiting for the lock, see what a concurrent init committed meanwhile
        with engine.connect().execution_options(isolation_level="READ COMMITTED") as conn:
            with conn.begin():
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_INIT_LOCK})
                state = _classify(_pg_tables(conn))
                if state == LEDGER:
                    return False, None
                if state == FOREIGN:
                    raise LedgerUnusable("init.foreign", db=safe_url(url))
                command.upgrade(_alembic_config(conn), "head")
                result = None
                if build is not None:
                    from taskctl import undo

                    session = Session(bind=conn, expire_on_commit=False)
                    undo.install(session)
                    result = build(session)
                    undo.finish(session)
                    session.flush()
                    session.close()
    except OperationalError as exc:
        raise unreachable(url, exc) from None
    return True, result


def _stale_init_files(path: str) -> list[str]:
    """Temporary files of inits that were killed (their process is gone)."""
    import glob

    folder, name = os.path.split(path)
    stale = []
    for tmp in glob.glob(os.path.join(glob.escape(folder), "." + glob.escape(name) + ".init-*.tmp")):
        try:
            pid = int(tmp.rsplit(".init-", 1)[1].split(".", 1)[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            stale.append(tmp)
        except (ValueError, PermissionError, OSError):
            continue
    return stale


def _remove_quietly(*paths: str) -> None:
    for p in paths:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(p + suffix)


def _init_sqlite(path: str, build):
    from alembic import command

    state = probe_sqlite(path)
    if state == LEDGER:
        return False, None
    if state == FOREIGN:
        raise LedgerUnusable("init.foreign", db=path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise LedgerUnusable("db.cannot_create", db=path, reason=exc.strerror or str(exc)) from None
    _remove_quietly(*_stale_init_files(path))
    tmp = os.path.join(folder, f".{os.path.basename(path)}.init-{os.getpid()}.tmp")
    engine = None
    try:
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except OSError as exc:
            raise LedgerUnusable("db.cannot_create", db=path, reason=exc.strerror or str(exc)) from None
        engine = _sqlite_engine(tmp)
        with engine.connect().execution_options(taskctl_write=True) as conn, conn.begin():
            command.upgrade(_alembic_config(conn), "head")
        result = None
        if build is not None:
            with transaction(engine, write=True) as session:
                result = build(session)
        engine.dispose()
        engine = None
        if state == EMPTY and os.path.lexists(path) and probe_sqlite(path) == EMPTY:
            os.replace(tmp, path)  # an empty file (or database with nothing in it) holds nothing to lose
        else:
            try:
                os.link(tmp, path)  # never replaces: a concurrent init that finished first wins
            except FileExistsError:
                return False, None
        return True, result
    finally:
        if engine is not None:
            engine.dispose()
        _remove_quietly(tmp)


def create_ledger(url: str) -> Engine:
    """Create the schema in an empty database (an SQLite file is created 0600); an engine on it."""
    init_ledger(url)
    return get_engine(url)


@contextlib.contextmanager
def transaction(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """One command, one transaction: committed on success, rolled back on any error.  ``write``: the
    command will change the ledger (on SQLite it then takes the write lock as it begins)."""
    from taskctl import undo

    with Session(engine, expire_on_commit=False) as session:
        undo.install(session)  # what the command changes is kept with its history entry, for `taskctl undo`
        if write:
            session.connection(execution_options={"taskctl_write": True})
        try:
            yield session
            undo.finish(session)
            session.commit()
        except BaseException:
            session.rollback()
            raise


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
