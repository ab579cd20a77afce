"""seat read model (from seating events)

Revision ID: 0002_seats
Revises: 0001
Create Date: 2026-11-21 14:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_seats'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('seat_directory',
    sa.Column('delegate_id', sa.String(length=36), nullable=False),
    sa.Column('congress_id', sa.String(length=36), nullable=False),
    sa.Column('seat_id', sa.String(length=36), nullable=False),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('section', sa.String(length=20), nullable=False),
    sa.Column('row', sa.String(length=20), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('delegate_id')
    )
    with op.batch_alter_table('seat_directory', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seat_directory_congress_id'), ['congress_id'], unique=False)
    op.create_table('seating_publication',
    sa.Column('congress_id', sa.String(length=36), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('congress_id')
    )


def downgrade() -> None:
    op.drop_table('seating_publication')
    with op.batch_alter_table('seat_directory', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seat_directory_congress_id'))
    op.drop_table('seat_directory')
