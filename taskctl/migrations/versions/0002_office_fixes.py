"""office fixes: withdrawable extensions, leader aliases, a task-id high-water mark

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

* ``extension.withdrawn_on`` / ``withdrawn_reason``: an extension can be
  withdrawn; as of a date before ``withdrawn_on`` it was still in force, so
  reports already sent do not change.
* ``leader_alias``: a merged leader's name stays findable, as units keep theirs.
* ``setting['task_id_high']``: the highest task id ever given, so that a
  deleted task's id is never given again (SQLite reuses max(rowid)+1).  Seeded
  from the tasks and from the history, which remembers deleted tasks.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('extension') as batch:
        batch.add_column(sa.Column('withdrawn_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=True))
    op.create_table('leader_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['leader_id'], ['leader.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('alias')
    )
    op.create_index(op.f('ix_leader_alias_leader_id'), 'leader_alias', ['leader_id'], unique=False)
    conn = op.get_bind()
    high = conn.execute(sa.text(
        "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM task UNION ALL "
        "SELECT MAX(task_id) AS m FROM history) AS ids")).scalar()
    conn.execute(sa.text("DELETE FROM setting WHERE key = 'task_id_high'"))
    conn.execute(sa.text("INSERT INTO setting (key, value) VALUES ('task_id_high', :v)"),
                 {"v": str(int(high or 0))})


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM setting WHERE key = 'task_id_high'"))
    op.drop_index(op.f('ix_leader_alias_leader_id'), table_name='leader_alias')
    op.drop_table('leader_alias')
    with op.batch_alter_table('extension') as batch:
        batch.drop_column('withdrawn_reason')
        batch.drop_column('withdrawn_on')
