"""Upgrades lose nothing: a ledger built at the first revision, with data in every table, brought to the
head (whatever the head is by then); PostgreSQL ledgers are upgraded only by `taskctl db upgrade`."""

from __future__ import annotations

import datetime as dt

from conftest import run

FIRST = "0001"


def _value(column, i: int):
    """A value of the column's type for row i (distinct per row so unique columns hold)."""
    from sqlalchemy import types

    kind = column.type
    if isinstance(kind, types.Boolean):
        return bool(i % 2)
    if isinstance(kind, types.Integer):
        return i
    if isinstance(kind, (types.Float, types.Numeric)):
        return 12.5 * i
    if isinstance(kind, types.DateTime):
        return dt.datetime(2023, 3, i, 9, 30, tzinfo=dt.timezone.utc)
    if isinstance(kind, types.Date):
        return dt.date(2023, 3, i)
    if column.name in ("status",):
        return "active"
    text = f"{column.table.name}·{column.name}·第{i}行"
    if column.name in ("changes",):
        return "{}"
    if column.name == "kind":
        return "department"
    length = getattr(kind, "length", None)
    return text[-length:] if length else text


def build_first_revision_ledger(url: str) -> dict[str, list[dict]]:
    """Schema at revision 0001 and two rows in every table; returns what was written."""
    from alembic import command
    from sqlalchemy import MetaData, insert

    from taskctl.db import _alembic_config, get_engine

    engine = get_engine(url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), FIRST)
    meta = MetaData()
    meta.reflect(engine)
    written: dict[str, list[dict]] = {}
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = []
            for i in (1, 2):
                row = {}
                for column in table.columns:
                    fks = list(column.foreign_keys)
                    row[column.name] = i if fks else _value(column, i)
                if table.name == "setting":
                    row["key"], row["value"] = ("year", "2023") if i == 1 else ("note", "升级前")
                rows.append(row)
            conn.execute(insert(table), rows)
            written[table.name] = rows
    assert len(written) >= 12  # every table of the first schema holds rows
    return written


def _same(a, b) -> bool:
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return a.replace(tzinfo=None) == b.replace(tzinfo=None)
    return a == b or str(a) == str(b)


def test_upgrade_from_the_first_revision_loses_nothing(fresh_db, backend):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import MetaData, select

    from taskctl.config import database_url
    from taskctl.db import SCHEMA_HEAD, dispose_all, get_engine, stored_revision
    from taskctl.models import Base

    db = fresh_db()
    url = database_url(db)
    written = build_first_revision_ledger(url)
    dispose_all()
    engine = get_engine(url)
    assert stored_revision(engine) == FIRST

    if backend == "postgresql" and SCHEMA_HEAD != FIRST:
        # every command but `db upgrade` refuses an outdated PostgreSQL ledger, changing nothing
        refused = run("--db", db, "task", "list")
        assert refused.exit_code == 3 and "taskctl db upgrade" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
        assert stored_revision(engine) == FIRST
        upgraded = run("--db", db, "db", "upgrade")
        assert upgraded.exit_code == 0 and SCHEMA_HEAD in upgraded.stdout
    else:
        # SQLite ledgers are upgraded when opened
        assert run("--db", db, "task", "list", "--format", "json").exit_code == 0
    assert stored_revision(engine) == SCHEMA_HEAD

    meta = MetaData()
    meta.reflect(engine)
    checked = 0
    with engine.connect() as conn:
        for name, rows in written.items():
            table = meta.tables[name]
            stored = [dict(r._mapping) for r in conn.execute(select(table))]
            for row in rows:
                match = [s for s in stored if all(_same(s[k], v) for k, v in row.items() if k in s)]
                assert match, (name, row, stored)
                checked += 1
        assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata) == []
    assert checked == 2 * len(written)
    # the upgraded ledger works: its tasks are listed and it passes the check
    assert run("--db", db, "db", "check").exit_code == 0
    assert run("--db", db, "task", "show", "1").exit_code == 0


def test_a_newer_ledger_is_refused_on_both_backends(fresh_db, backend):
    from sqlalchemy import text

    from taskctl.config import database_url
    from taskctl.db import get_engine

    db = fresh_db()
    assert run("--db", db, "init", "--year", "2023").exit_code == 0
    with get_engine(database_url(db)).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    for args in (("task", "list"), ("db", "upgrade")):
        result = run("--db", db, *args)
        assert result.exit_code == 3 and "newer than this taskctl" in result.stderr
    with get_engine(database_url(db)).connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
