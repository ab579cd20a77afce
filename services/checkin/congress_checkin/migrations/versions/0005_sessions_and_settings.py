"""congress settings (quorum rule, age bands, closing) and sessions, each with its own attendance

Every existing congress gets one session, "Phiên thứ nhất", holding its check-ins so far.

Revision ID: 0005_sessions
Revises: 0004_withdrawal
"""
import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = '0005_sessions'
down_revision = '0004_withdrawal'
branch_labels = None
depends_on = None

FIRST_SESSION = "Phiên thứ nhất"
ACTIVE = sa.text('revoked_at IS NULL')


def upgrade() -> None:
    with op.batch_alter_table('congresses') as batch:
        batch.add_column(sa.Column('quorum_numerator', sa.Integer(), server_default='2', nullable=False))
        batch.add_column(sa.Column('quorum_denominator', sa.Integer(), server_default='3', nullable=False))
        batch.add_column(sa.Column('age_bands', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('current_session_id', sa.String(length=36), nullable=True))
        batch.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('closed_by', sa.String(length=120), nullable=True))
    op.create_table('congress_sessions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('congress_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['congress_id'], ['congresses.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('congress_sessions') as batch:
        batch.create_index(batch.f('ix_congress_sessions_congress_id'), ['congress_id'], unique=False)
    op.create_table('absence_notes',
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('delegate_id', sa.String(length=36), nullable=False),
    sa.Column('congress_id', sa.String(length=36), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['congress_id'], ['congresses.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegates.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['congress_sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'delegate_id')
    )
    with op.batch_alter_table('absence_notes') as batch:
        batch.create_index(batch.f('ix_absence_notes_congress_id'), ['congress_id'], unique=False)
    with op.batch_alter_table('checkins') as batch:
        batch.add_column(sa.Column('session_id', sa.String(length=36), nullable=True))
    _first_sessions()
    with op.batch_alter_table('checkins') as batch:
        batch.alter_column('session_id', existing_type=sa.String(length=36), nullable=False)
        batch.create_foreign_key('fk_checkins_session_id', 'congress_sessions', ['session_id'], ['id'],
                                 ondelete='CASCADE')
        batch.drop_index('uq_checkins_active', sqlite_where=ACTIVE, postgresql_where=ACTIVE)
        batch.create_index('uq_checkins_active', ['session_id', 'delegate_id'], unique=True,
                           sqlite_where=ACTIVE, postgresql_where=ACTIVE)


def _first_sessions() -> None:
    """One session per existing congress, current, holding the congress's check-ins."""
    bind = op.get_bind()
    congresses = sa.table('congresses', sa.column('id'), sa.column('current_session_id'))
    sessions = sa.table('congress_sessions', sa.column('id'), sa.column('congress_id'), sa.column('name'),
                        sa.column('position'), sa.column('created_at'))
    checkins = sa.table('checkins', sa.column('congress_id'), sa.column('session_id'))
    now = datetime.now(timezone.utc)
    for (congress_id,) in bind.execute(sa.select(congresses.c.id)).all():
        session_id = str(uuid.uuid4())
        bind.execute(sessions.insert().values(id=session_id, congress_id=congress_id, name=FIRST_SESSION, position=1,
                                              created_at=now))
        bind.execute(congresses.update().where(congresses.c.id == congress_id).values(current_session_id=session_id))
        bind.execute(checkins.update().where(checkins.c.congress_id == congress_id).values(session_id=session_id))


def downgrade() -> None:
    with op.batch_alter_table('checkins') as batch:
        batch.drop_index('uq_checkins_active', sqlite_where=ACTIVE, postgresql_where=ACTIVE)
        batch.drop_constraint('fk_checkins_session_id', type_='foreignkey')
        batch.drop_column('session_id')
        batch.create_index('uq_checkins_active', ['delegate_id'], unique=True, sqlite_where=ACTIVE,
                           postgresql_where=ACTIVE)
    op.drop_table('absence_notes')
    op.drop_table('congress_sessions')
    with op.batch_alter_table('congresses') as batch:
        for column in ('closed_by', 'closed_at', 'current_session_id', 'age_bands', 'quorum_denominator',
                       'quorum_numerator'):
            batch.drop_column(column)
