"""delegates can be withdrawn (with a reason) instead of deleted once they have checked in

Revision ID: 0004_withdrawal
Revises: 0003_badge_printed
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_withdrawal'
down_revision = '0003_badge_printed'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('delegates') as batch:
        batch.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('withdrawn_by', sa.String(length=120), nullable=True))
        batch.add_column(sa.Column('withdraw_reason', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('delegates') as batch:
        batch.drop_column('withdraw_reason')
        batch.drop_column('withdrawn_by')
        batch.drop_column('withdrawn_at')
