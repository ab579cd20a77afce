"""kiosk devices remember when they were first set up (paired), so an unused code does not read "in use"

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 02:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('kiosk_devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paired_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kiosk_devices', schema=None) as batch_op:
        batch_op.drop_column('paired_at')
