"""halls, seats and seat assignments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 14:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('halls',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('congress_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('congress_id')
    )
    op.create_table('seats',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hall_id', sa.String(length=36), nullable=False),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('section', sa.String(length=20), nullable=False),
    sa.Column('row', sa.String(length=20), nullable=False),
    sa.Column('row_index', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('block', sa.Integer(), nullable=False),
    sa.Column('x', sa.Float(), nullable=False),
    sa.Column('y', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('purpose', sa.String(length=120), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('hall_id', 'label', name='uq_seats_hall_label')
    )
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seats_hall_id'), ['hall_id'], unique=False)

    op.create_table('seat_assignments',
    sa.Column('seat_id', sa.String(length=36), nullable=False),
    sa.Column('congress_id', sa.String(length=36), nullable=False),
    sa.Column('delegate_id', sa.String(length=36), nullable=False),
    sa.Column('delegation_id', sa.String(length=36), nullable=True),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seat_id'),
    sa.UniqueConstraint('congress_id', 'delegate_id', name='uq_seat_assignments_delegate')
    )
    with op.batch_alter_table('seat_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seat_assignments_congress_id'), ['congress_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('seat_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seat_assignments_congress_id'))
    op.drop_table('seat_assignments')
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seats_hall_id'))
    op.drop_table('seats')
    op.drop_table('halls')
