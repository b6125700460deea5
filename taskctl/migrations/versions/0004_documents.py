"""documents: bulletins (督查通报), the escalation ladder and its slips (督办单/催办单)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

* ``bulletin``: every 督查通报 issued — number per calendar year (unique), issue
  date, the date its figures are as of, the ranking's quarter.
* ``ladder_level``: the escalation ladder as data (levels, colours, triggers,
  days, the text a slip requires).  No rows means the default ladder; a table
  rather than JSON in ``setting`` because ``setting.value`` holds 400
  characters and a ladder's texts are longer, and typed columns are checked.
* ``notice`` and ``notice_event``: the slips issued (one task, one level,
  numbered per year and level) and their dated answers and verdicts, so that a
  slip's state replays as of any date.

Only new tables: the revision can be re-chained after any other.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bulletin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('quarter', sa.String(length=10), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('file', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('year', 'number', name='uq_bulletin_year_number')
    )
    with op.batch_alter_table('bulletin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulletin_issued_on'), ['issued_on'], unique=False)

    op.create_table('ladder_level',
    sa.Column('key', sa.String(length=30), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('colour', sa.String(length=20), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('after', sa.String(length=30), nullable=True),
    sa.Column('reply_days', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )

    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=30), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('reply_by', sa.Date(), nullable=False),
    sa.Column('due_on_issue', sa.Date(), nullable=True),
    sa.Column('state_on_issue', sa.String(length=20), nullable=False),
    sa.Column('required', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('year', 'level', 'number', name='uq_notice_year_level_number')
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_issued_on'), ['issued_on'], unique=False)
        batch_op.create_index('ix_notice_task_level', ['task_id', 'level'], unique=False)

    op.create_table('notice_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notice_event', schema=None) as batch_op:
        batch_op.create_index('ix_notice_event_notice_on', ['notice_id', 'on_date'], unique=False)


def downgrade() -> None:
    op.drop_table('notice_event')
    op.drop_table('notice')
    op.drop_table('ladder_level')
    op.drop_table('bulletin')
