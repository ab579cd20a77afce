"""directory: delegates who withdrew from the congress (kept on record)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 17:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('known_delegates') as batch:
        batch.add_column(sa.Column('withdrawn', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('known_delegates') as batch:
        batch.drop_column('withdrawn')
