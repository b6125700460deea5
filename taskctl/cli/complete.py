"""Shell completion: area keys, unit and leader names, task ids — answered fast.

A TAB must answer in well under half a second, so SQLite ledgers are read with
the standard library's sqlite3 (no ORM import); other databases go through
SQLAlchemy Core.  Any failure completes nothing rather than printing an error.
"""

from __future__ import annotations

QUERIES = {
    "area": "SELECT key FROM area UNION SELECT name_zh FROM area",
    "unit": "SELECT name FROM unit UNION SELECT alias FROM unit_alias",
    "leader": "SELECT name FROM leader UNION SELECT alias FROM leader_alias",
    "task": "SELECT CAST(id AS TEXT) FROM task WHERE status <> 'cancelled' ORDER BY id",
}


def candidates(kind: str, incomplete: str, url: str) -> list[str]:
    try:
        values = _values(kind, url)
    except Exception:
        return []
    return [v for v in values if v and v.startswith(incomplete or "")][:200]


def _values(kind: str, url: str) -> list[str]:
    import os

    sql = QUERIES[kind]
    if url.startswith("sqlite"):
        import sqlite3

        path = url.split(":///", 1)[1]
        if not os.path.exists(path):
            return []
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.3) as conn:
            return [str(r[0]) for r in conn.execute(sql)]
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [str(r[0]) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()
