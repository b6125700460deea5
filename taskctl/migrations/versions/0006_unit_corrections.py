"""unit corrections: a unit deletes its progress, answers its slips, undoes its own change; default privileges

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

PostgreSQL only (SQLite has one user: nothing to do).  0005 has shipped, so what it left
out is added here, by the owner, as every revision is (``db upgrade``).

What a unit role may now do, each on the tasks its unit *leads* (牵头) — not those it only
co-operates on (配合), which it reads:

* ``progress delete`` (DELETE on ``progress``, policy ``taskctl_unit_delete``).  0005 already lets
  it correct (UPDATE) the same rows.  Decision: every update on a task the unit leads is the
  unit's own report, whoever typed it (the office often enters what the unit phoned in), so the
  unit may correct or delete any of them; ``progress.recorded_by`` is the client's text and no
  ground for a policy, and the history (author = session_user) keeps who did what.
* ``notice answer`` (INSERT on ``notice_event``, only ``kind = 'answer'``, policy
  ``taskctl_unit_answer``): a slip is addressed to its task's lead unit.  Accepting or
  rejecting an answer stays with the office.
* ``undo`` of its own last change: the reverse of what it was allowed to do.  Besides the
  UPDATE/INSERT/DELETE on ``progress`` above, that needs
  - DELETE of its own answer (``taskctl_unit_unanswer``) while the answer is the slip's last
    event (the office has not accepted or rejected it since);
  - DELETE of its closing request (``taskctl_unit_withdraw``) while the request waits
    (not returned, the task still active: the office has not decided on it).
  The database refuses anything else (a change the unit could not have made is not one it can
  revert); taskctl.undo turns a row the policies hide into one line, and a later decision by
  the office into exit 4.

Default privileges (decision): tables and sequences that later revisions create, as the owner of
``task``, are granted to the *office* group at once (``ALTER DEFAULT PRIVILEGES FOR ROLE <owner>``:
SELECT, INSERT, UPDATE, DELETE; sequences USAGE, SELECT, UPDATE) — the office does everything, and a
new feature must not fail for it because a revision forgot a grant.  The *unit* and *leader* groups
get nothing by default: a new table is closed to them (a command that reads it is refused with one
line) until its revision grants it, together with the row-level security it needs
(``taskctl.roles.scope_to_tasks`` for a task-scoped table, or a plain SELECT grant for reference
data).  Open-by-default for them would leak other units' rows silently; closed fails loudly.
A revision that adds an append-only table (like ``history``) revokes the office's UPDATE/DELETE.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

POLICIES = (("progress", "taskctl_unit_delete"), ("notice_event", "taskctl_unit_answer"),
            ("notice_event", "taskctl_unit_unanswer"), ("close_request", "taskctl_unit_withdraw"))
FUNCTIONS = ("taskctl_leads_notice(integer)", "taskctl_last_event(integer)")


def _groups(bind) -> tuple[str, str, str, str]:
    from taskctl.roles import bind_groups

    return bind_groups(bind)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    office, unit, leader, owner = _groups(bind)
    ex = op.execute

    ex("""
CREATE OR REPLACE FUNCTION taskctl_leads_notice(n integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT EXISTS (SELECT 1 FROM notice WHERE id = n AND taskctl_leads(task_id))
$$""")
    ex("""
CREATE OR REPLACE FUNCTION taskctl_last_event(n integer) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT max(id) FROM notice_event WHERE notice_id = n
$$""")
    for fn in FUNCTIONS:
        ex(f'REVOKE ALL ON FUNCTION {fn} FROM PUBLIC')
        ex(f'GRANT EXECUTE ON FUNCTION {fn} TO "{office}", "{unit}", "{leader}"')

    # progress: 0005 gave INSERT and UPDATE on the tasks the unit leads; DELETE on the same rows
    ex(f'GRANT DELETE ON progress TO "{unit}"')
    ex(f"CREATE POLICY taskctl_unit_delete ON progress FOR DELETE TO \"{unit}\" USING (taskctl_leads(task_id))")
    # slips: the lead unit answers; it may take back (undo) its answer while nothing came after it
    ex(f'GRANT INSERT, DELETE ON notice_event TO "{unit}"')
    ex(f'GRANT USAGE ON SEQUENCE notice_event_id_seq TO "{unit}"')
    ex(f"CREATE POLICY taskctl_unit_answer ON notice_event FOR INSERT TO \"{unit}\" "
       f"WITH CHECK (kind = 'answer' AND taskctl_leads_notice(notice_id))")
    ex(f"CREATE POLICY taskctl_unit_unanswer ON notice_event FOR DELETE TO \"{unit}\" "
       f"USING (kind = 'answer' AND taskctl_leads_notice(notice_id) AND id = taskctl_last_event(notice_id))")
    # closing requests: withdrawn (undo) only while waiting for the office
    ex(f'GRANT DELETE ON close_request TO "{unit}"')
    ex(f"CREATE POLICY taskctl_unit_withdraw ON close_request FOR DELETE TO \"{unit}\" "
       f"USING (taskctl_leads(task_id) AND returned_on IS NULL "
       f"AND EXISTS (SELECT 1 FROM task WHERE task.id = close_request.task_id AND task.status = 'active'))")

    # tables and sequences of later revisions: open to the office, closed to units and leaders
    if owner:
        ex(f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA public '
           f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{office}"')
        ex(f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA public '
           f'GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "{office}"')


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    office, unit, leader, owner = _groups(bind)
    ex = op.execute
    if owner:
        ex(f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA public '
           f'REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM "{office}"')
        ex(f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA public '
           f'REVOKE USAGE, SELECT, UPDATE ON SEQUENCES FROM "{office}"')
    for table, policy in POLICIES:
        ex(f"DROP POLICY IF EXISTS {policy} ON {table}")
    ex(f'REVOKE DELETE ON progress FROM "{unit}"')
    ex(f'REVOKE INSERT, DELETE ON notice_event FROM "{unit}"')
    ex(f'REVOKE USAGE ON SEQUENCE notice_event_id_seq FROM "{unit}"')
    ex(f'REVOKE DELETE ON close_request FROM "{unit}"')
    for fn in FUNCTIONS:
        ex(f"DROP FUNCTION IF EXISTS {fn}")
