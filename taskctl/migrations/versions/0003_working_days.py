"""working days and reporting duties

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

* ``holiday_override``: days the ledger declares a holiday or a working day (调休),
  over the chinesecalendar package (a year it does not know yet, a local arrangement).
* ``task.report_rule`` / ``unit.report_rule``: a reporting duty (每周二前, 每月5日前 …)
  as an RFC 5545 RRULE; a task without its own follows its lead unit's.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('holiday_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('workday', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('on_date')
    )
    # A plain ALTER TABLE … ADD COLUMN on both backends: a batch "move and copy" of unit/task
    # would drop tables that others reference, which SQLite's foreign keys refuse on a filled ledger.
    op.add_column('task', sa.Column('report_rule', sa.String(length=200), nullable=True))
    op.add_column('unit', sa.Column('report_rule', sa.String(length=200), nullable=True))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): no table copy, so the foreign keys stay satisfied
    op.drop_column('unit', 'report_rule')
    op.drop_column('task', 'report_rule')
    op.drop_table('holiday_override')
