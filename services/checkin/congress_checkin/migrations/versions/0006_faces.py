"""face check-in: consent, encrypted templates, face settings per congress, idempotency keys of kiosk check-ins

Revision ID: 0006_faces
Revises: 0005_sessions
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_faces'
down_revision = '0005_sessions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('face_consents',
    sa.Column('delegate_id', sa.String(length=36), nullable=False),
    sa.Column('congress_id', sa.String(length=36), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['congress_id'], ['congresses.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegates.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('delegate_id')
    )
    with op.batch_alter_table('face_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_face_consents_congress_id'), ['congress_id'], unique=False)
    op.create_table('face_templates',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('congress_id', sa.String(length=36), nullable=False),
    sa.Column('delegate_id', sa.String(length=36), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['congress_id'], ['congresses.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegates.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('face_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_face_templates_congress_id'), ['congress_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_face_templates_delegate_id'), ['delegate_id'], unique=False)
    op.create_table('face_settings',
    sa.Column('congress_id', sa.String(length=36), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('liveness', sa.Boolean(), nullable=False),
    sa.Column('keep_photos', sa.Boolean(), nullable=False),
    sa.Column('gallery_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['congress_id'], ['congresses.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('congress_id')
    )
    op.create_table('checkin_requests',
    sa.Column('congress_id', sa.String(length=36), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('checkin_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['checkin_id'], ['checkins.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['congress_id'], ['congresses.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('congress_id', 'key')
    )


def downgrade() -> None:
    op.drop_table('checkin_requests')
    op.drop_table('face_settings')
    with op.batch_alter_table('face_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_face_templates_delegate_id'))
        batch_op.drop_index(batch_op.f('ix_face_templates_congress_id'))
    op.drop_table('face_templates')
    with op.batch_alter_table('face_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_face_consents_congress_id'))
    op.drop_table('face_consents')
