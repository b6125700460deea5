"""task facts: per task, the facts in force after its last dated change, kept by triggers

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26

``task_fact`` holds, for every task, the status, due date, latest update and counts in force after
its last dated change, and the date of that change (``changed_on``).  A report as of D reads them
for every task not changed after D and replays the rest (``taskctl.facts``, ``taskctl.snapshot``).

Nothing in taskctl writes the table: triggers on ``progress``, ``status_change``, ``extension``,
``close_request`` (after each insert, update, delete) and ``task`` (insert, delete) recompute the
task's row, whoever writes — the ORM, the direct path, undo, an import, psql by hand.  PostgreSQL:
the trigger functions are SECURITY DEFINER (the owner's), so a unit role that adds progress
refreshes a row it may not write; unit and leader roles read the rows of the tasks they may see
(``taskctl.roles.scope_to_tasks``), the office by 0006's default privileges.  Every writing command
takes ``facts.PG_WRITE_LOCK`` first (so writers wait for each other instead of failing); unit and leader
roles are granted UPDATE for that lock only — no policy lets them change a row.

The upgrade fills the table from the ledger's rows; the downgrade drops it with its triggers.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from taskctl import facts

    bind = op.get_bind()
    op.create_table('task_fact',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('status_on', sa.Date(), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('due_text', sa.String(length=100), nullable=True),
    sa.Column('extensions', sa.Integer(), nullable=False),
    sa.Column('close_requests', sa.Integer(), nullable=False),
    sa.Column('progress_id', sa.Integer(), nullable=True),
    sa.Column('last_update', sa.Date(), nullable=True),
    sa.Column('percent', sa.Float(), nullable=True),
    sa.Column('invest_done', sa.Float(), nullable=True),
    sa.Column('stage', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('task_id')
    )
    dialect = bind.dialect.name
    facts.create_triggers(lambda sql: bind.exec_driver_sql(sql), dialect)
    facts.rebuild(lambda sql: bind.exec_driver_sql(sql))
    if dialect == "postgresql":
        from taskctl.roles import bind_groups, scope_to_tasks

        office, unit, leader, _owner = bind_groups(bind)
        for fn in facts.PG_FUNCTIONS:
            bind.exec_driver_sql(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        scope_to_tasks(bind, "task_fact", {"office": office, "unit": unit, "leader": leader})
        # for facts.PG_WRITE_LOCK, which every writing command takes first; no policy lets them change a row
        bind.exec_driver_sql(f'GRANT UPDATE ON task_fact TO "{unit}", "{leader}"')
        bind.exec_driver_sql("ANALYZE task_fact")


def downgrade() -> None:
    from taskctl import facts

    bind = op.get_bind()
    facts.drop_triggers(lambda sql: bind.exec_driver_sql(sql), bind.dialect.name, functions=True)
    if bind.dialect.name == "postgresql":
        for policy in ("taskctl_office", "taskctl_read"):
            bind.exec_driver_sql(f"DROP POLICY IF EXISTS {policy} ON task_fact")
    op.drop_table('task_fact')
