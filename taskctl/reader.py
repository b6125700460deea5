"""Reading the ledger with SQL text on the database driver itself: the read path without SQLAlchemy.

Every report reads through a ``Reader``: one statement of each query, written once as SQL text that
runs on SQLite and PostgreSQL alike.  A command that only reads opens one with ``open_reader`` on the
standard library's sqlite3 or on psycopg — importing SQLAlchemy and building the ORM cost a desk
command two thirds of its time — and code that holds an ORM session (the writers, the documents)
reads through ``reader_of(session)``, the same statements on the session's own connection and
transaction.

SQL is written with ``:name`` parameters; a list or tuple value expands to ``:name_0, :name_1, …`` (for
``IN (:ids)``).  SQLite keeps dates as ISO text: the columns a caller names in ``dates`` come back as
``datetime.date`` on both databases.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

# The newest revision in taskctl/migrations/versions; a test keeps them in step.
SCHEMA_HEAD = "0007"

_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> str | None:
    if not is_sqlite(url):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    return path or None


def sqlite_uri(path: str, *, readonly: bool) -> str:
    from urllib.parse import quote

    uri = "file:" + quote(os.path.abspath(path))
    if readonly:
        # no -wal beside the file: nobody is writing, and a read-only directory cannot hold a -shm
        uri += "?immutable=1" if not os.path.exists(path + "-wal") else "?mode=ro"
    return uri


def sqlite_readonly(path: str) -> bool:
    """A ledger we may read but not write: a read-only file or directory (reads must still work)."""
    return os.path.exists(path) and not (os.access(path, os.W_OK) and os.access(os.path.dirname(path) or ".", os.W_OK))


def pg_conninfo(url: str) -> str | None:
    """A libpq URI for a PostgreSQL URL taskctl uses (``postgresql+psycopg://…``); None for any other."""
    m = re.match(r"^postgres(?:ql)?(?:\+psycopg)?://", url)
    return "postgresql://" + url[m.end():] if m else None


# PostgreSQL's JIT compiles a query whose estimated cost is high — and the correlated subqueries of a
# snapshot make every report's estimate high.  It spent 0.5 s compiling a 0.6 s query at 100,000 tasks,
# and gains nothing on queries of this size: off for taskctl's connections (added to any options the
# URL gives).
PG_SESSION_OPTIONS = "-c jit=off"


def pg_options(given: str | None) -> str:
    """libpq ``options`` for taskctl's connections: the URL's own, then ``PG_SESSION_OPTIONS``."""
    return f"{given} {PG_SESSION_OPTIONS}" if given else PG_SESSION_OPTIONS


def mask_secrets(message: str, url: str | None = None) -> str:
    """Hide passwords in any URL form (user:pw@host, ?password=…, key=value DSNs) and the URL's own password."""
    message = re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", message)
    message = re.sub(r"(?i)(password\s*=\s*)('[^']*'|[^&\s;]*)", r"\1***", message)
    if url:
        from urllib.parse import unquote

        for secret in re.findall(r"://[^:/@\s]*:([^@\s]+)@", url) + re.findall(r"(?i)password=([^&\s]+)", url):
            for form in {secret, unquote(secret)}:
                if len(form) >= 3:
                    message = message.replace(form, "***")
    return message


class Reader:
    """SQL text on one DB-API connection (sqlite3 or psycopg), inside the caller's transaction."""

    def __init__(self, conn: Any, dialect: str, info: dict | None = None) -> None:
        self.conn = conn
        self.dialect = dialect  # "sqlite" | "postgresql"
        self.info: dict = {} if info is None else info  # caches kept for the transaction (calendar, caller)
        self._sql: dict[tuple[str, tuple], str] = {}
        self._named = 0  # server-side cursors opened (PostgreSQL), for their names

    @property
    def postgresql(self) -> bool:
        return self.dialect == "postgresql"

    def _prepare(self, sql: str, params: dict[str, Any] | None) -> tuple[str, dict[str, Any]]:
        params = dict(params or {})
        lists = tuple((k, len(v)) for k, v in params.items() if isinstance(v, (list, tuple, set, frozenset)))
        key = (sql, lists)
        text = self._sql.get(key)
        if text is None:
            text = sql
            for name, n in lists:
                spread = ", ".join(f":{name}_{i}" for i in range(n)) or "NULL"
                text = re.sub(rf"(?<![:\w]):{name}\b", spread, text)
            if self.postgresql:
                text = _PARAM.sub(r"%(\1)s", text.replace("%", "%%"))
            self._sql[key] = text
        for name, _n in lists:
            for i, value in enumerate(sorted(params.pop(name)) if isinstance(params[name], (set, frozenset))
                                      else params.pop(name)):
                params[f"{name}_{i}"] = value
        if not self.postgresql:
            params = {k: _sqlite_value(v) for k, v in params.items()}
        return text, params

    def _cursor(self, sql: str, params: dict[str, Any] | None):
        text, values = self._prepare(sql, params)
        cur = self.conn.cursor()
        cur.execute(text, values)
        return cur

    def _converter(self, dates: Sequence[int], stamps: Sequence[int] = ()):
        """Dates (and ``stamps``: UTC timestamps) as Python values: SQLite keeps them as ISO text — a
        timestamp naive, in UTC, as SQLAlchemy wrote it; PostgreSQL's come typed (``timestamptz`` aware)."""
        if self.postgresql or not (dates or stamps):
            return None
        day = dt.date.fromisoformat
        moment = dt.datetime.fromisoformat
        utc = dt.timezone.utc
        idx = tuple(dates)
        sidx = tuple(stamps)

        def convert(row: tuple) -> tuple:
            row = list(row)
            for i in idx:
                v = row[i]
                if v is not None:
                    row[i] = day(v[:10])
            for i in sidx:
                v = row[i]
                if v is not None:
                    row[i] = moment(v).replace(tzinfo=utc)
            return tuple(row)

        return convert

    def batches(self, sql: str, params: dict[str, Any] | None = None, *, dates: Sequence[int] = (),
                size: int = 5000) -> Iterator[list[tuple]]:
        """The rows ``size`` at a time (a big report never holds a second copy of every raw row): on
        PostgreSQL through a server-side cursor, which psycopg's ordinary cursor is not — it would carry
        the whole result to the client first."""
        if self.postgresql:
            text, values = self._prepare(sql, params)
            self._named += 1
            cur = self.conn.cursor(name=f"taskctl_batches_{self._named}")
            cur.execute(text, values)
        else:
            cur = self._cursor(sql, params)
        convert = self._converter(dates)
        try:
            while True:
                part = cur.fetchmany(size)
                if not part:
                    return
                yield [convert(r) for r in part] if convert else part
        finally:
            cur.close()

    def rows(self, sql: str, params: dict[str, Any] | None = None, *, dates: Sequence[int] = (),
             stamps: Sequence[int] = ()) -> list[tuple]:
        cur = self._cursor(sql, params)
        try:
            found = cur.fetchall()
        finally:
            cur.close()
        convert = self._converter(dates, stamps)
        return [convert(r) for r in found] if convert else [tuple(r) for r in found]

    def one(self, sql: str, params: dict[str, Any] | None = None, *, dates: Sequence[int] = ()) -> tuple | None:
        found = self.rows(sql, params, dates=dates)
        return found[0] if found else None

    def scalar(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        found = self.one(sql, params)
        return found[0] if found else None

    def column(self, sql: str, params: dict[str, Any] | None = None) -> list:
        return [r[0] for r in self.rows(sql, params)]

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> int:
        """Run a statement that returns no rows; the number of rows it changed."""
        cur = self._cursor(sql, params)
        try:
            return cur.rowcount
        finally:
            cur.close()

    def insert(self, table: str, values: dict[str, Any]) -> int:
        """Add one row to ``table``; its new id."""
        names = list(values)
        columns = ", ".join('"' + n + '"' for n in names)  # quoted: history has a column named "user"
        cur = self._cursor(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + n for n in names)}) "
                           "RETURNING id", values)
        try:
            return cur.fetchone()[0]
        finally:
            cur.close()


def _sqlite_value(value: Any) -> Any:
    """A parameter as SQLite keeps it — the form SQLAlchemy's Date and DateTime store: dates as ISO text,
    timestamps as naive UTC ``YYYY-MM-DD HH:MM:SS.ffffff``."""
    if isinstance(value, dt.datetime):
        if value.utcoffset() is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def reader_of(source: Any) -> Reader:
    """The reader of ``source``: a Reader itself, or an ORM session's own connection — flushed first, so
    that the command's own changes are read, as ``session.execute`` would."""
    if isinstance(source, Reader):
        return source
    source.flush()
    conn = source.connection().connection.dbapi_connection
    found = source.info.get("taskctl_reader")
    if found is None or found.conn is not conn:
        found = Reader(conn, source.get_bind().dialect.name, info=source.info)
        source.info["taskctl_reader"] = found
    return found


def in_chunks(ids: Sequence[int], size: int = 5000) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


# ---------------------------------------------------------------- opening a ledger to read

def open_reader(url: str, *, write: bool = False) -> Reader | None:
    """A reader on an existing ledger whose schema is current, in one transaction (one snapshot of the
    ledger for the whole command); None whenever anything is not plain — a missing or foreign file, an
    older schema, a read-only file to write, a server that does not answer — so that the full path
    (``taskctl.db``) upgrades the ledger or says, in one line, what is wrong.  ``write``: the transaction
    will change the ledger (on SQLite it takes the write lock as it begins, as the full path does)."""
    path = sqlite_path(url)
    if path is not None:
        return _open_sqlite(path, write)
    conninfo = pg_conninfo(url)
    if conninfo is not None:
        return _open_pg(conninfo, write)
    return None


def _open_sqlite(path: str, write: bool) -> Reader | None:
    import sqlite3

    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        return None
    readonly = sqlite_readonly(path)
    if readonly and write:
        return None
    try:
        conn = sqlite3.connect(sqlite_uri(path, readonly=readonly), uri=True, timeout=10,
                               isolation_level=None, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA busy_timeout=30000")
        if write:  # as taskctl.db's connections: checked foreign keys, WAL's usual durability
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
        # deferred for a reader (it never waits for a writer, and sees one moment); a writer takes the lock
        # up front, so it cannot fail half-way because another process wrote between its reads and writes
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        if conn.execute("SELECT version_num FROM alembic_version").fetchone() != (SCHEMA_HEAD,):
            raise sqlite3.DatabaseError("not current")
    except sqlite3.Error:
        conn.close()
        return None
    return Reader(conn, "sqlite")


def _open_pg(conninfo: str, write: bool) -> Reader | None:
    try:
        import psycopg
    except ImportError:
        return None
    try:
        from psycopg.conninfo import conninfo_to_dict

        options = pg_options(conninfo_to_dict(conninfo).get("options"))
        conn = psycopg.connect(conninfo, connect_timeout=10, options=options)
    except psycopg.Error:
        return None
    try:
        if write:  # the version in a transaction of its own: the write lock must come before any query
            conn.autocommit = True
            current = conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
            conn.autocommit = False
        # one snapshot per command, as the engine's REPEATABLE READ gives the full path
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = not write
        if write:
            if not current:
                raise psycopg.DatabaseError("not current")
            from taskctl.facts import PG_WRITE_LOCK

            conn.execute(PG_WRITE_LOCK)  # as taskctl.db._pg_begin: writers wait for each other, never fail
        elif conn.execute("SELECT version_num FROM alembic_version").fetchone() != (SCHEMA_HEAD,):
            raise psycopg.DatabaseError("not current")
    except psycopg.Error:
        conn.close()
        return None
    return Reader(conn, "postgresql")


def close_reader(reader: Reader, *, commit: bool = False) -> None:
    """End the transaction of a reader ``open_reader`` opened — committed when ``commit``, else rolled
    back — and close its connection.  A failed commit raises (nothing was written)."""
    try:
        if commit:
            if reader.postgresql:
                reader.conn.commit()
            else:
                reader.conn.execute("COMMIT")
            return
        try:
            if reader.postgresql:
                reader.conn.rollback()
            else:
                reader.conn.execute("ROLLBACK")
        except Exception:  # noqa: BLE001 — closing is all that is left to do
            pass
    finally:
        reader.conn.close()
