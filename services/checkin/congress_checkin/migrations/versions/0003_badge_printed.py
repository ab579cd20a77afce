"""delegates remember when their badge was printed (an import may not rename them silently)

Revision ID: 0003_badge_printed
Revises: 0002_seats
"""
import sqlalchemy as sa
from alembic import op

revision = '0003_badge_printed'
down_revision = '0002_seats'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('delegates') as batch:
        batch.add_column(sa.Column('badge_printed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('delegates') as batch:
        batch.drop_column('badge_printed_at')
