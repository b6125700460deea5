"""Shell completion: area keys, unit and leader names, task ids — answered fast.

A TAB must answer in well under half a second, so SQLite ledgers are read with
the standard library's sqlite3 and PostgreSQL ones with psycopg (no SQLAlchemy
import); any other URL goes through SQLAlchemy Core.  Any failure completes
nothing rather than printing an error.
"""

from __future__ import annotations

QUERIES = {
    "area": "SELECT key AS v FROM area UNION SELECT name_zh FROM area",
    "unit": "SELECT name AS v FROM unit UNION SELECT alias FROM unit_alias",
    "leader": "SELECT name AS v FROM leader UNION SELECT alias FROM leader_alias",
    "task": "SELECT CAST(id AS TEXT) AS v FROM task WHERE status <> 'cancelled'",
}
ORDER = {"task": "CAST(v AS INTEGER)"}
LIMIT = 200


def candidates(kind: str, incomplete: str, url: str) -> list[str]:
    try:
        return [v for v in _values(kind, incomplete or "", url) if v]
    except Exception:
        return []


def _values(kind: str, prefix: str, url: str) -> list[str]:
    """The first 200 values starting with ``prefix``, chosen by the database: at 100,000 tasks a TAB
    after `task show` must not carry every id into Python."""
    import os

    where = "WHERE substr(v, 1, {n}) = {p} " if prefix else ""
    sql = (f"SELECT v FROM ({QUERIES[kind]}) AS c {where}ORDER BY {ORDER.get(kind, 'v')} LIMIT {LIMIT}")
    if url.startswith("sqlite"):
        import sqlite3

        path = url.split(":///", 1)[1]
        if not os.path.exists(path):
            return []
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.3) as conn:
            return [str(r[0]) for r in conn.execute(sql.format(n="?", p="?"), (len(prefix), prefix) if prefix else ())]
    if url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        # psycopg itself, as SQLite uses sqlite3: importing SQLAlchemy cost a TAB 0.5 s more
        import psycopg

        from taskctl.reader import pg_conninfo

        with psycopg.connect(pg_conninfo(url), connect_timeout=2) as conn:
            return [str(r[0]) for r in conn.execute(sql.format(n="%s", p="%s"),
                                                    (len(prefix), prefix) if prefix else None)]
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [str(r[0]) for r in conn.execute(text(sql.format(n=":n", p=":p")),
                                                    {"n": len(prefix), "p": prefix} if prefix else {})]
    finally:
        engine.dispose()
