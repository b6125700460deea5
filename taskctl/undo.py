"""Undo (撤销): every command's row changes are captured while it runs and kept with its history entry.

Whatever a command does — ORM changes, bulk ``insert``/``update``/``delete`` statements, the driver-level
bulk inserts of an import, rows the database removes by ``ON DELETE CASCADE`` — is recorded as the
before-image of each row it touched: ``["ins", table, pk]`` (the row did not exist), ``["upd", table,
row]`` and ``["del", table, row]`` (the whole row as it was).  At commit the list is stored in the
command's last history entry under ``__undo__`` (earlier entries of the same command point to it with
``__part_of__``), so one command is one change, and an import or the demo load is undone as a whole.

``undo`` makes every touched row what it was before that command, in one transaction, and records
itself (``__undoes__``).  It refuses (exit 4) when a later change by someone else touched one of those
rows, or added a row that hangs on a row it would remove.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Date, DateTime, and_, delete, event, func, insert, inspect, select, update
from sqlalchemy.orm import Session

UNDO_KEY, PART_KEY, UNDOES_KEY = "__undo__", "__part_of__", "__undoes__"
SKIP_TABLES = {"history", "alembic_version", "task_fact"}  # task_fact: kept by triggers
# high-water marks never go back: an undone task's id is not given again (its history keeps it)
NEVER_BACK = {("setting", "task_id_high")}


# ---------------------------------------------------------------- capture


def _metadata():
    from taskctl.models import Base

    return Base.metadata


def _int_pk_tables():
    out = []
    for table in _metadata().sorted_tables:
        pk = list(table.primary_key.columns)
        if table.name not in SKIP_TABLES and len(pk) == 1 and pk[0].name == "id":
            out.append(table)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _row_dict(table, row) -> dict[str, Any]:
    mapping = row._mapping if hasattr(row, "_mapping") else row
    return {c.name: _plain(mapping[c.name]) for c in table.columns}


def _pk_of(table, row: dict[str, Any]) -> dict[str, Any]:
    return {c.name: row[c.name] for c in table.primary_key.columns}


def install(session: Session) -> None:
    """Start capturing the row changes of the command this session runs."""
    session.info["undo"] = {"ops": [], "water": None, "off": False, "history": []}
    event.listen(session, "after_begin", _after_begin)
    event.listen(session, "before_flush", _before_flush)
    event.listen(session, "after_flush", _after_flush)
    event.listen(session, "do_orm_execute", _on_execute)


def _state(session):
    state = session.info.get("undo")
    return None if state is None or state["off"] else state


def _after_begin(session, _transaction, connection) -> None:
    state = _state(session)
    if state is None or state["water"] is not None:
        return
    try:
        state["water"] = {t.name: connection.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar()
                          for t in _int_pk_tables()}
    except Exception:  # noqa: BLE001 - not a ledger yet (init): nothing to capture
        state["off"] = True


def _cascade_rows(conn, table, rows: list[dict], ops: list) -> None:
    """Rows the database will delete with ``rows`` (ON DELETE CASCADE), recorded before they go."""
    for child in _metadata().sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is not table or (fk.ondelete or "").upper() != "CASCADE":
                continue
            keys = [r[fk.column.name] for r in rows if r.get(fk.column.name) is not None]
            if not keys:
                continue
            found = [_row_dict(child, r) for r in conn.execute(select(child).where(fk.parent.in_(keys)))]
            if found:
                _cascade_rows(conn, child, found, ops)
                ops.extend(["del", child.name, r] for r in found)


def _before_flush(session, _ctx, _instances) -> None:
    state = _state(session)
    if state is None:
        return
    conn = session.connection()
    for obj in list(session.deleted):
        table = getattr(obj, "__table__", None)
        if table is None or table.name in SKIP_TABLES:
            continue
        row = {c.name: _plain(_committed(obj, c.name)) for c in table.columns}
        _cascade_rows(conn, table, [row], state["ops"])
        state["ops"].append(["del", table.name, row])
    for obj in list(session.dirty):
        table = getattr(obj, "__table__", None)
        if table is None or table.name in SKIP_TABLES or not session.is_modified(obj, include_collections=False):
            continue
        row = {c.name: _plain(_committed(obj, c.name)) for c in table.columns}
        new_pk = {c.name: _plain(getattr(obj, c.name)) for c in table.primary_key.columns}
        if new_pk != _pk_of(table, row):
            state["ops"].append(["del", table.name, row])
            state["ops"].append(["ins", table.name, new_pk])
        else:
            state["ops"].append(["upd", table.name, row])


def _committed(obj, key: str):
    attr = inspect(obj).attrs[key]
    hist = attr.history
    if hist.deleted:
        return hist.deleted[0]
    if hist.unchanged:
        return hist.unchanged[0]
    return attr.value


def _after_flush(session, _ctx) -> None:
    state = _state(session)
    if state is None:
        return
    from taskctl.models import History

    for obj in list(session.new):
        if isinstance(obj, History):
            state["history"].append(obj)
            continue
        table = getattr(obj, "__table__", None)
        if table is None or table.name in SKIP_TABLES:
            continue
        state["ops"].append(["ins", table.name, {c.name: _plain(getattr(obj, c.name))
                                                  for c in table.primary_key.columns}])


def _on_execute(orm_state) -> None:
    session = orm_state.session
    state = _state(session)
    if state is None or not (orm_state.is_insert or orm_state.is_update or orm_state.is_delete):
        return
    stmt = orm_state.statement
    table = getattr(stmt, "table", None)
    if table is None or getattr(table, "name", None) in SKIP_TABLES:
        return
    table = _metadata().tables.get(table.name, table)
    conn = session.connection()
    if orm_state.is_insert:
        params = orm_state.parameters
        rows = params if isinstance(params, list) else [params] if params else []
        for row in rows:
            if all(c.name in row for c in table.primary_key.columns):
                state["ops"].append(["ins", table.name, {c.name: _plain(row[c.name])
                                                          for c in table.primary_key.columns}])
        return  # rows with database-made ids are found by the high-water mark at commit
    where = stmt.whereclause
    found = [_row_dict(table, r) for r in conn.execute(select(table).where(where) if where is not None
                                                        else select(table))]
    if orm_state.is_delete:
        _cascade_rows(conn, table, found, state["ops"])
        state["ops"].extend(["del", table.name, r] for r in found)
        return
    values = {}
    for key, value in (getattr(stmt, "_values", None) or {}).items():
        name = getattr(key, "name", key)
        values[name] = _plain(getattr(value, "value", value))
    pk_names = [c.name for c in table.primary_key.columns]
    for row in found:
        if any(n in values for n in pk_names):
            state["ops"].append(["del", table.name, row])
            state["ops"].append(["ins", table.name, {n: values.get(n, row[n]) for n in pk_names}])
        else:
            state["ops"].append(["upd", table.name, row])


def finish(session: Session) -> None:
    """Before commit: store the captured changes with the command's history entry."""
    state = _state(session)
    if state is None:
        return
    session.flush()
    state["off"] = True
    if not state["history"]:
        return
    ops = list(state["ops"])
    if state["water"]:
        conn = session.connection()
        for table in _int_pk_tables():
            mark = state["water"].get(table.name)
            if mark is None:
                continue
            for (pk,) in conn.execute(select(table.c.id).where(table.c.id > mark).order_by(table.c.id)):
                ops.append(["ins", table.name, {"id": pk}])
    last = state["history"][-1]
    for row in state["history"][:-1]:
        _amend(row, {PART_KEY: last.id})
    _amend(last, {UNDO_KEY: ops})
    session.flush()


def _amend(history, extra: dict) -> None:
    data = json.loads(history.changes or "{}")
    data.update(extra)
    history.changes = json.dumps(data, ensure_ascii=False, sort_keys=True)


# ---------------------------------------------------------------- undo


def _payload(history) -> dict:
    try:
        return json.loads(history.changes or "{}")
    except ValueError:
        return {}


def _key(table: str, pk: dict) -> tuple:
    return (table, tuple(sorted((k, str(v)) for k, v in pk.items())))


def _net(ops: list) -> dict[tuple, tuple[str, dict | None, bool, dict]]:
    """Per row (keyed by table and primary key as text): (table, the row before the command or None,
    whether it exists after, the primary key as stored)."""
    meta = _metadata()
    out: dict[tuple, tuple[str, dict | None, bool, dict]] = {}
    for kind, table_name, data in ops:
        table = meta.tables.get(table_name)
        if table is None:
            continue
        pk = _pk_of(table, data)
        if (table_name, str(next(iter(pk.values()), ""))) in NEVER_BACK:
            continue
        key = _key(table_name, pk)
        before = out[key][1] if key in out else (None if kind == "ins" else data)
        out[key] = (table_name, before, kind != "del", pk)
    return out


def undoable(session: Session, user: str, limit: int | None = None) -> list:
    """The user's changes that undo can revert, newest first."""
    from taskctl.models import History

    undone: set[int] = set()
    rows = []
    for h in session.execute(select(History).order_by(History.id.desc())).scalars():
        data = _payload(h)
        if UNDOES_KEY in data:
            undone.add(int(data[UNDOES_KEY]))
            continue
        if h.user == user and UNDO_KEY in data and h.id not in undone:
            rows.append(h)
            if limit and len(rows) >= limit:
                break
    return rows


def plan(session: Session, user: str):
    """The change to revert and its rows, or a refusal naming who changed what since."""
    from taskctl.errors import ChangedByOthers, NotFound
    from taskctl.models import History

    found = undoable(session, user, limit=1)
    if not found:
        raise NotFound("undo.nothing", user=user)
    target = found[0]
    net = _net(_payload(target)[UNDO_KEY])
    keys = set(net)
    later = session.execute(select(History).where(History.id > target.id).order_by(History.id)).scalars().all()
    touched: dict[tuple, Any] = {}
    for h in later:
        for op in _payload(h).get(UNDO_KEY) or []:
            table = _metadata().tables.get(op[1])
            if table is not None:
                touched.setdefault(_key(op[1], _pk_of(table, op[2])), h)
    for key in keys:
        h = touched.get(key)
        if h is not None and h.user != user:
            raise ChangedByOthers("undo.conflict", id=target.id, action=target.action, user=h.user,
                                  other=h.action, other_id=h.id, summary=h.summary or "", at=_when(h))
    # a request someone else has since decided on (the office's verdict on an answer, its 审结 of a closing
    # request by `task done`) adds rows of its own rather than touching the request's: still a later change
    for h in later:
        if h.user != user and _decides(target, h):
            raise ChangedByOthers("undo.conflict", id=target.id, action=target.action, user=h.user,
                                  other=h.action, other_id=h.id, summary=h.summary or "", at=_when(h))
    # rows added since (by anyone) that hang on a row the undo would remove
    conn = session.connection()
    meta = _metadata()
    for key, (table_name, before, exists, pk_stored) in net.items():
        if before is not None or not exists:
            continue
        table = meta.tables[table_name]
        pk = pk_stored
        for child in meta.sorted_tables:
            for fk in child.foreign_keys:
                if fk.column.table is not table:
                    continue
                for r in conn.execute(select(child).where(fk.parent == _typed(table.c[fk.column.name], pk.get(fk.column.name)))):
                    ckey = _key(child.name, _pk_of(child, _row_dict(child, r)))
                    if ckey in keys:
                        continue
                    h = touched.get(ckey)
                    if h is not None:
                        raise ChangedByOthers("undo.conflict", id=target.id, action=target.action, user=h.user,
                                              other=h.action, other_id=h.id, summary=h.summary or "", at=_when(h))
    return target, net


# what decides on a request: (the request's action, the deciding actions, matched on the same entity or task)
DECIDED_BY = {"notice.answer": (("notice.accept", "notice.reject"), "entity"),
              "task.request_close": (("task.done", "task.return", "task.cancel", "task.pause"), "task")}


def _decides(target, h) -> bool:
    actions, on = DECIDED_BY.get(target.action, ((), ""))
    if h.action not in actions:
        return False
    if on == "entity":
        return (h.entity, h.entity_id) == (target.entity, target.entity_id)
    return h.task_id is not None and h.task_id == target.task_id


def _when(h) -> str:
    return h.at.astimezone().strftime("%Y-%m-%d %H:%M") if h.at else ""


def _typed(column, value):
    if value is None:
        return None
    kind = getattr(column.type, "impl", column.type)  # TypeDecorators (UTCDateTime) by what they store
    if isinstance(value, str):
        if isinstance(kind, DateTime):
            return dt.datetime.fromisoformat(value)
        if isinstance(kind, Date):
            return dt.date.fromisoformat(value)
    return value


def _typed_row(table, row: dict) -> dict:
    return {c.name: _typed(c, row.get(c.name)) for c in table.columns if c.name in row}


def _where_pk(table, pk: dict):
    return and_(*[table.c[k] == _typed(table.c[k], v) for k, v in pk.items()])


def revert(session: Session, target, net) -> int:
    """Make every row the change touched what it was before; returns the number of rows.

    Under a unit or leader role (PostgreSQL) every row must be written as planned: row-level security
    makes a statement on a row the role may not change match nothing instead of failing, so a row
    count short of one, or the database's refusal, is one line (exit 1) and nothing is written."""
    from taskctl import roles

    try:
        return _revert(session, target, net, strict=roles.caller(session).restricted)
    except Exception as exc:
        if roles.is_refusal(exc):
            raise _not_yours(session, target) from None
        raise


def _not_yours(session: Session, target):
    from taskctl import roles

    who = roles.caller(session)
    return roles.Refused("roles.undo_refused", id=target.id, action=target.action, role=who.role,
                         kind=roles.t_kind(who.kind))


def _revert(session: Session, target, net, *, strict: bool) -> int:
    meta = _metadata()

    def run(stmt) -> None:
        result = session.execute(stmt)
        if strict and result.rowcount != 1:
            raise _not_yours(session, target)

    order = {t.name: i for i, t in enumerate(meta.sorted_tables)}  # parents before children
    items = sorted(net.items(), key=lambda kv: order.get(kv[1][0], 0))
    n = 0
    for key, (table_name, before, exists, pk) in items:  # rows the change removed: back, parents first
        if before is not None and not exists:
            table = meta.tables[table_name]
            session.execute(insert(table).values(**_typed_row(table, before)))
            state = _state(session)
            if state is not None:  # the undo's own change, for whoever looks after it
                state["ops"].append(["ins", table_name, _pk_of(table, before)])
            n += 1
    for key, (table_name, before, exists, pk) in items:  # rows it changed: their old values
        if before is not None and exists:
            table = meta.tables[table_name]
            run(update(table).where(_where_pk(table, {k: before[k] for k in pk})).values(**_typed_row(table, before)))
            n += 1
    for key, (table_name, before, exists, pk) in reversed(items):  # rows it added: gone, children first
        if before is None and exists:
            table = meta.tables[table_name]
            run(delete(table).where(_where_pk(table, pk)))
            n += 1
    return n


def undo_last(session: Session, user: str):
    """Revert the user's last change and record the undo; returns (the change reverted, rows)."""
    from taskctl import ledger as L

    target, net = plan(session, user)
    n = revert(session, target, net)
    h = L.record(session, "undo", target.entity, entity_id=target.entity_id, task_id=target.task_id,
                 summary=f"#{target.id} {target.action} {target.summary}".strip(),
                 changes={"undone": (None, target.id)})
    session.flush()
    if h is not None:
        _amend(h, {UNDOES_KEY: target.id})
    return target, n


def checkpoint(session: Session) -> None:
    """What was captured so far is not part of the change (init's seed: a ledger is not undone away)."""
    state = _state(session)
    if state is None:
        return
    session.flush()
    state["ops"].clear()
    state["history"].clear()
    conn = session.connection()
    state["water"] = {t.name: conn.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar()
                      for t in _int_pk_tables()}
