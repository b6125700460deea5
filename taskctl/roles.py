"""PostgreSQL users and roles: who may do what is enforced by the database itself.

Each person logs in with a role of their own, a member of one of three group roles
named after the database (``taskctl_<db>_office|unit|leader``: roles are cluster-wide,
so two ledgers on one server never share them).  The row-level security policies,
grants and SECURITY DEFINER helpers that give the groups their rights are created
by revisions 0005 and 0006 (taskctl/migrations/versions/); this module adds and
removes the people, tells a command who is calling, and turns the database's refusal
(SQLSTATE 42501) into one line that names no other unit's task.
"""

from __future__ import annotations

import contextvars
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from taskctl.errors import Conflict, InvalidValue, NotFound, TaskctlError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

KINDS = ("office", "unit", "leader")
_ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class Refused(TaskctlError):
    """The database refused the caller's role (row-level security or a missing grant)."""

    key = "roles.refused"


def group_names(db: str) -> dict[str, str]:
    """The three group roles of the database ``db``, each within PostgreSQL's 63 bytes."""
    names = {}
    for kind in KINDS:
        name = f"taskctl_{db}_{kind}"
        if len(name.encode()) > 63 or not _ROLE_NAME.match(name):
            digest = hashlib.sha1(db.encode()).hexdigest()[:16]
            name = f"taskctl_{digest}_{kind}"
        names[kind] = name
    return names


def bind_groups(bind: Any) -> tuple[str, str, str, str | None]:
    """(office, unit, leader, owner) for a revision: the groups 0005 recorded in ``setting`` (a ledger
    copied with CREATE DATABASE … TEMPLATE keeps its original's), and the owner of the tables."""
    from sqlalchemy import text

    db = bind.execute(text("SELECT current_database()")).scalar()
    names = group_names(db)
    for kind in ("office", "unit", "leader"):
        stored = bind.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": f"role.{kind}"}).scalar()
        names[kind] = stored or names[kind]
    owner = bind.execute(text("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' "
                              "AND tablename = 'task'")).scalar()
    return names["office"], names["unit"], names["leader"], owner


@dataclass(frozen=True)
class Caller:
    """Who the session's database role is: ``kind`` office (also the owner) / unit / leader."""

    role: str
    kind: str = "office"
    unit: str | None = None
    leader: str | None = None

    @property
    def restricted(self) -> bool:
        return self.kind in ("unit", "leader")


_OWNER = Caller(role="")
_last_task: contextvars.ContextVar[int | None] = contextvars.ContextVar("taskctl_last_task", default=None)


def is_postgresql(source: Any) -> bool:
    """Whether ``source`` (a session or a ``Reader``) reads a PostgreSQL ledger."""
    from taskctl.reader import Reader

    if isinstance(source, Reader):
        return source.postgresql
    return source.get_bind().dialect.name == "postgresql"


def caller(source: Any) -> Caller:
    """The caller of this session or reader (cached for its transaction): on SQLite always the owner."""
    found = source.info.get("taskctl_caller")
    if found is None:
        found = _OWNER
        if is_postgresql(source):
            from taskctl.reader import reader_of

            row = reader_of(source).one(
                "SELECT session_user, u.kind, un.name, l.name FROM (SELECT 1) one "
                "LEFT JOIN ledger_user u ON u.name = session_user "
                "LEFT JOIN unit un ON un.id = u.unit_id LEFT JOIN leader l ON l.id = u.leader_id")
            found = Caller(role=row[0], kind=row[1] or "office", unit=row[2], leader=row[3])
        source.info["taskctl_caller"] = found
    return found


def note_task(task_id: int | None) -> None:
    """Remember the task a command is about, for the refusal message."""
    _last_task.set(task_id)


def refusal(who: Caller, task_id: int | None = None) -> Refused:
    """The one line for a refused write: names the caller's unit, never another unit's task."""
    task_id = task_id if task_id is not None else _last_task.get()
    if who.kind == "unit" and task_id is not None:
        return Refused("roles.not_your_task", id=task_id, unit=who.unit or who.role)
    if who.kind == "leader" and task_id is not None:
        return Refused("roles.not_your_leader_task", id=task_id, leader=who.leader or who.role)
    return Refused("roles.refused", role=who.role, kind=t_kind(who.kind))


def t_kind(kind: str) -> str:
    from taskctl.i18n import t

    return t(f"roles.kind.{kind}")


def is_refusal(exc: BaseException) -> bool:
    """SQLSTATE 42501 from the database: on SQLAlchemy's error or on psycopg's own (the read path)."""
    orig = getattr(exc, "orig", None) or exc
    return getattr(orig, "sqlstate", None) == "42501"


def require_leads(session: "Session", task_id: int) -> None:
    """A unit role may correct progress and answer slips only on the tasks its unit leads: asked of the
    database (``taskctl_leads``, the function its policies use), so the refusal is one line before the
    policy silently matches no row.  Other roles: the database decides (the office may, a leader may not)."""
    who = caller(session)
    if who.kind != "unit":
        return
    from sqlalchemy import text

    note_task(task_id)
    if not session.execute(text("SELECT taskctl_leads(:t)"), {"t": task_id}).scalar():
        raise refusal(who, task_id)


def acting_user(session: "Session") -> str:
    """Whose changes ``undo`` reverts: for unit and leader roles the database's session_user (the author
    their history rows carry, whatever TASKCTL_USER says); for the office and the owner TASKCTL_USER."""
    who = caller(session)
    if who.restricted:
        return who.role
    from taskctl.config import current_user

    return current_user()


def require_office(session: "Session", command: str) -> None:
    """Office commands (rank, bulletin, the weekly export) refuse unit and leader roles."""
    who = caller(session)
    if who.restricted:
        raise Refused("roles.office_only", command=command, role=who.role)


def scope_to_tasks(bind: Any, table: str, groups: dict[str, str], task_column: str = "task_id") -> None:
    """For a revision that adds a task-scoped table: row-level security as on 0005's tables — the office
    does everything, unit and leader roles read the rows of the tasks they may see (and write nothing
    until the revision adds a policy for it).  Since 0006 the office is granted new tables by default
    privileges; unit and leader roles get nothing unless a revision says so (this helper, or a grant)."""
    from sqlalchemy import text

    office, unit, leader = groups["office"], groups["unit"], groups["leader"]
    for sql in (f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
                f'CREATE POLICY taskctl_office ON "{table}" TO "{office}" USING (true) WITH CHECK (true)',
                f'CREATE POLICY taskctl_read ON "{table}" FOR SELECT TO "{unit}", "{leader}" '
                f'USING (taskctl_can_see({task_column}))',
                f'GRANT SELECT ON "{table}" TO "{unit}", "{leader}"'):
        bind.execute(text(sql))


# ---------------------------------------------------------------- the people

def ledger_groups(session: "Session") -> dict[str, str]:
    """The group roles revision 0005 created for this ledger (kept in ``setting``)."""
    from taskctl.ledger import get_setting

    return {kind: get_setting(session, f"role.{kind}") or "" for kind in KINDS}


def _require_pg(session: "Session") -> None:
    if not is_postgresql(session):
        raise InvalidValue("roles.sqlite")


def _quote(session: "Session", name: str) -> str:
    if not _ROLE_NAME.match(name):
        raise InvalidValue("roles.bad_name", name=name)
    return '"' + name + '"'


def add_user(session: "Session", name: str, *, kind: str, unit: Any = None, leader: Any = None,
             password: str | None = None) -> None:
    """A login role for one person, a member of the ledger's group role of ``kind``."""
    from sqlalchemy import select, text

    from taskctl.config import current_user
    from taskctl.ledger import record
    from taskctl.models import LedgerUser

    _require_pg(session)
    role = _quote(session, name)
    if session.execute(select(LedgerUser).where(LedgerUser.name == name)).scalar_one_or_none() is not None:
        raise Conflict("roles.user_exists", name=name)
    exists = session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar()
    if exists:
        raise Conflict("roles.role_exists", name=name)
    group = ledger_groups(session)[kind]
    session.execute(text(f"CREATE ROLE {role} LOGIN"))
    if password:
        quoted = session.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar()
        session.execute(text(f"ALTER ROLE {role} PASSWORD {quoted}"))
    session.execute(text(f'GRANT "{group}" TO {role}'))
    user = LedgerUser(name=name, kind=kind, unit_id=unit.id if unit is not None else None,
                      leader_id=leader.id if leader is not None else None, recorded_by=current_user())
    session.add(user)
    session.flush()
    record(session, "user.add", "user", entity_id=user.id, summary=name,
           changes={"kind": (None, kind), "unit": (None, unit.name if unit is not None else None),
                    "leader": (None, leader.name if leader is not None else None)})


def _get_user(session: "Session", name: str):
    from sqlalchemy import select

    from taskctl.models import LedgerUser

    _require_pg(session)
    user = session.execute(select(LedgerUser).where(LedgerUser.name == name)).scalar_one_or_none()
    if user is None:
        raise NotFound("roles.unknown_user", name=name)
    return user


def disable_user(session: "Session", name: str) -> None:
    """The person can no longer log in; the role and the history that names it stay."""
    from sqlalchemy import text

    from taskctl.ledger import record

    user = _get_user(session, name)
    session.execute(text(f"ALTER ROLE {_quote(session, name)} NOLOGIN"))
    user.disabled = True
    record(session, "user.disable", "user", entity_id=user.id, summary=name, changes={"disabled": (False, True)})


def remove_user(session: "Session", name: str) -> None:
    """Drop the login role and forget the person (the history keeps the name)."""
    from sqlalchemy import text

    from taskctl.ledger import record

    user = _get_user(session, name)
    role = _quote(session, name)
    exists = session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar()
    if exists:
        session.execute(text(f"DROP ROLE {role}"))
    record(session, "user.remove", "user", entity_id=user.id, summary=name, changes={"kind": (user.kind, None)})
    session.delete(user)


def list_users(session: "Session") -> list[dict[str, Any]]:
    from sqlalchemy import select

    from taskctl.models import Leader, LedgerUser, Unit

    _require_pg(session)
    rows = session.execute(select(LedgerUser, Unit.name, Leader.name)
                           .join(Unit, Unit.id == LedgerUser.unit_id, isouter=True)
                           .join(Leader, Leader.id == LedgerUser.leader_id, isouter=True)
                           .order_by(LedgerUser.name)).all()
    return [{"name": u.name, "kind": u.kind, "unit": un, "leader": ln, "disabled": u.disabled}
            for u, un, ln in rows]
