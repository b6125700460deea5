"""roles: ledger users, closing requests, and (PostgreSQL) group roles with row-level security

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

Both backends:

* ``ledger_user``: the people who log in (one PostgreSQL login role each): their
  kind (office, unit, leader), their unit or leader, and whether they are disabled.
* ``close_request``: a unit's request to close a task (申请销号), dated, and what
  the office made of it (accepted when the task is marked done, or returned with
  a reason), so that the two steps replay as of any date.

PostgreSQL only: three group roles named after the database
(``taskctl_<db>_office|unit|leader``, hashed when too long), grants, row-level
security policies on every task-scoped table, SECURITY DEFINER helper functions
(the caller's unit, leader and tasks), and a trigger that sets the history's
author to ``session_user`` for unit and leader roles.  Run by the owner.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# Task-scoped tables: rows a unit or leader may see are those of its tasks.
TASK_SCOPED = ("task_unit", "task_tag", "progress", "status_change", "extension", "instruction", "notice",
               "close_request")
# Reference data every role reads and only the office writes.
SHARED = ("alembic_version", "setting", "area", "unit", "unit_alias", "leader", "leader_alias", "bulletin",
          "ladder_level", "holiday_override", "ledger_user")


def upgrade() -> None:
    op.create_table('ledger_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=63), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['leader_id'], ['leader.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('close_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('close_request', schema=None) as batch_op:
        batch_op.create_index('ix_close_request_task_on', ['task_id', 'on_date'], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _postgresql(bind)


def _postgresql(bind) -> None:
    from taskctl.roles import group_names

    db = bind.execute(sa.text("SELECT current_database()")).scalar()
    office, unit, leader = (group_names(db)[k] for k in ("office", "unit", "leader"))
    ex = op.execute
    # the group roles are kept in the ledger: a copy (CREATE DATABASE … TEMPLATE) keeps its original's
    for kind, role in (("office", office), ("unit", unit), ("leader", leader)):
        bind.execute(sa.text("INSERT INTO setting (key, value) VALUES (:k, :v) "
                             "ON CONFLICT (key) DO UPDATE SET value = :v"), {"k": f"role.{kind}", "v": role})
    for role in (office, unit, leader):
        ex(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
           f"THEN CREATE ROLE \"{role}\" NOLOGIN; END IF; END $$")
    ex(f'GRANT CONNECT ON DATABASE "{db}" TO "{office}", "{unit}", "{leader}"')
    ex(f'GRANT USAGE ON SCHEMA public TO "{office}", "{unit}", "{leader}"')
    ex(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{office}"')
    ex(f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{office}"')
    ex(f'REVOKE INSERT, UPDATE, DELETE ON history FROM "{office}"')
    ex(f'GRANT INSERT ON history TO "{office}"')
    # undo stores a command's before-images in its own history row just before commit: the `changes` of a
    # row inserted by the same transaction may be written, nothing else (policy taskctl_same_xact)
    ex(f'GRANT UPDATE (changes) ON history TO "{office}", "{unit}", "{leader}"')
    for table in SHARED + ("task", "history") + TASK_SCOPED:
        if table in ("notice_event",):
            continue
        ex(f'GRANT SELECT ON "{table}" TO "{unit}", "{leader}"')
    ex(f'GRANT SELECT ON notice_event TO "{unit}", "{leader}"')
    # what a unit may write: progress on the tasks it leads, closing requests on them, history rows
    ex(f'GRANT INSERT, UPDATE ON progress TO "{unit}"')
    ex(f'GRANT INSERT ON close_request TO "{unit}"')
    ex(f'GRANT INSERT ON history TO "{unit}", "{leader}"')
    ex(f'GRANT INSERT ON instruction TO "{leader}"')
    for seq in ("progress_id_seq", "history_id_seq", "close_request_id_seq"):
        ex(f'GRANT USAGE ON SEQUENCE {seq} TO "{unit}"')
    ex(f'GRANT USAGE ON SEQUENCE history_id_seq TO "{leader}"')
    ex(f'GRANT USAGE ON SEQUENCE instruction_id_seq TO "{leader}"')

    # Who the caller is, read past row-level security (SECURITY DEFINER runs as the owner).
    ex(f"""
CREATE OR REPLACE FUNCTION taskctl_is_office() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  -- a superuser "is a member" of every role: it counts as the owner, not as a unit
  SELECT COALESCE((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
      OR NOT (pg_has_role(session_user, '{unit}', 'MEMBER') OR pg_has_role(session_user, '{leader}', 'MEMBER'))
$$""")
    ex("""
CREATE OR REPLACE FUNCTION taskctl_my_unit() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT unit_id FROM ledger_user WHERE name = session_user AND kind = 'unit' AND NOT disabled
$$""")
    ex("""
CREATE OR REPLACE FUNCTION taskctl_my_leader() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT leader_id FROM ledger_user WHERE name = session_user AND kind = 'leader' AND NOT disabled
$$""")
    ex("""
CREATE OR REPLACE FUNCTION taskctl_can_see(t integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT taskctl_is_office()
      OR EXISTS (SELECT 1 FROM task WHERE id = t AND (lead_unit_id = taskctl_my_unit()
                                                      OR leader_id = taskctl_my_leader()))
      OR EXISTS (SELECT 1 FROM task_unit WHERE task_id = t AND unit_id = taskctl_my_unit())
$$""")
    ex("""
CREATE OR REPLACE FUNCTION taskctl_leads(t integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT EXISTS (SELECT 1 FROM task WHERE id = t AND lead_unit_id = taskctl_my_unit())
$$""")
    ex("""
CREATE OR REPLACE FUNCTION taskctl_leader_of(t integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT EXISTS (SELECT 1 FROM task WHERE id = t AND leader_id = taskctl_my_leader())
$$""")
    # 留痕: for unit and leader roles the author is the database's session_user, whatever the client says
    ex("""
CREATE OR REPLACE FUNCTION taskctl_history_author() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  IF NOT taskctl_is_office() THEN
    NEW."user" := session_user;
  END IF;
  RETURN NEW;
END $$""")
    ex("CREATE TRIGGER taskctl_history_author BEFORE INSERT OR UPDATE ON history "
       "FOR EACH ROW EXECUTE FUNCTION taskctl_history_author()")
    for fn in ("taskctl_is_office()", "taskctl_my_unit()", "taskctl_my_leader()", "taskctl_can_see(integer)",
               "taskctl_leads(integer)", "taskctl_leader_of(integer)"):
        ex(f'REVOKE ALL ON FUNCTION {fn} FROM PUBLIC')
        ex(f'GRANT EXECUTE ON FUNCTION {fn} TO "{office}", "{unit}", "{leader}"')

    groups = f'"{office}", "{unit}", "{leader}"'
    ex("ALTER TABLE task ENABLE ROW LEVEL SECURITY")
    ex(f"CREATE POLICY taskctl_office ON task TO \"{office}\" USING (true) WITH CHECK (true)")
    ex(f"CREATE POLICY taskctl_read ON task FOR SELECT TO \"{unit}\", \"{leader}\" USING (taskctl_can_see(id))")
    for table in TASK_SCOPED:
        ex(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        ex(f"CREATE POLICY taskctl_office ON {table} TO \"{office}\" USING (true) WITH CHECK (true)")
        ex(f"CREATE POLICY taskctl_read ON {table} FOR SELECT TO \"{unit}\", \"{leader}\" "
           f"USING (taskctl_can_see(task_id))")
    ex(f"CREATE POLICY taskctl_unit_add ON progress FOR INSERT TO \"{unit}\" WITH CHECK (taskctl_leads(task_id))")
    ex(f"CREATE POLICY taskctl_unit_correct ON progress FOR UPDATE TO \"{unit}\" "
       f"USING (taskctl_leads(task_id)) WITH CHECK (taskctl_leads(task_id))")
    ex(f"CREATE POLICY taskctl_unit_request ON close_request FOR INSERT TO \"{unit}\" "
       f"WITH CHECK (taskctl_leads(task_id))")
    ex(f"CREATE POLICY taskctl_leader_instruct ON instruction FOR INSERT TO \"{leader}\" "
       f"WITH CHECK (taskctl_leader_of(task_id) AND leader_id = taskctl_my_leader())")
    ex("ALTER TABLE notice_event ENABLE ROW LEVEL SECURITY")
    ex(f"CREATE POLICY taskctl_office ON notice_event TO \"{office}\" USING (true) WITH CHECK (true)")
    ex(f"CREATE POLICY taskctl_read ON notice_event FOR SELECT TO \"{unit}\", \"{leader}\" "
       f"USING (EXISTS (SELECT 1 FROM notice n WHERE n.id = notice_id))")
    ex("ALTER TABLE history ENABLE ROW LEVEL SECURITY")
    ex(f"CREATE POLICY taskctl_office ON history FOR SELECT TO \"{office}\" USING (true)")
    ex(f"CREATE POLICY taskctl_office_add ON history FOR INSERT TO \"{office}\" WITH CHECK (true)")
    ex(f"CREATE POLICY taskctl_read ON history FOR SELECT TO \"{unit}\", \"{leader}\" "
       f"USING (CASE WHEN task_id IS NULL THEN \"user\" = session_user ELSE taskctl_can_see(task_id) END)")
    ex(f"CREATE POLICY taskctl_same_xact ON history FOR UPDATE TO {groups} "
       f"USING (xmin::text::bigint = txid_current() % 4294967296) "
       f"WITH CHECK (true)")  # the new version's xmin is not set yet when checked; USING decides
    ex(f"CREATE POLICY taskctl_add ON history FOR INSERT TO \"{unit}\", \"{leader}\" "
       f"WITH CHECK (task_id IS NULL OR taskctl_can_see(task_id))")
    del groups


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from taskctl.roles import group_names

        db = bind.execute(sa.text("SELECT current_database()")).scalar()
        op.execute("DELETE FROM setting WHERE key LIKE 'role.%'")
        op.execute("DROP TRIGGER IF EXISTS taskctl_history_author ON history")
        for table in ("task", "history", "notice_event") + TASK_SCOPED:
            for policy in ("taskctl_office", "taskctl_read", "taskctl_office_add", "taskctl_add", "taskctl_same_xact",
                           "taskctl_unit_add", "taskctl_unit_correct", "taskctl_unit_request",
                           "taskctl_leader_instruct"):
                op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
            if table != "close_request":
                op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for fn in ("taskctl_history_author()", "taskctl_can_see(integer)", "taskctl_leads(integer)",
                   "taskctl_leader_of(integer)", "taskctl_my_unit()", "taskctl_my_leader()", "taskctl_is_office()"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
        for role in group_names(db).values():
            op.execute(f'DROP OWNED BY "{role}"') if False else None
            op.execute(f"""DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
                REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{role}";
                REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM "{role}";
                REVOKE ALL ON DATABASE "{db}" FROM "{role}"; REVOKE ALL ON SCHEMA public FROM "{role}";
                END IF; END $$""")
    op.drop_table('close_request')
    op.drop_table('ledger_user')
