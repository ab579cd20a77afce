"""Tables of the check-in service (it owns congresses, delegations, delegates and check-ins)."""
from __future__ import annotations

from datetime import date, datetime

from congress_common.db import UtcDateTime
from congress_common.outbox import define_outbox_tables
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


OUTBOX, PROCESSED_EVENTS = define_outbox_tables(Base.metadata)


class Congress(Base):
    __tablename__ = "congresses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(20))
    venue: Mapped[str | None] = mapped_column(String(300))
    starts_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # the quorum rule as data: present officials >= numerator/denominator of the summoned (Điều lệ 2020, Art. 10.1)
    quorum_numerator: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    quorum_denominator: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    age_bands: Mapped[list[int] | None] = mapped_column(JSON)  # upper ages of the report's bands; None: 30, 50
    current_session_id: Mapped[str | None] = mapped_column(String(36))  # where check-ins go now
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # closing freezes check-in
    closed_by: Mapped[str | None] = mapped_column(String(120))

    current_session: Mapped[CongressSession | None] = relationship(
        primaryjoin="foreign(Congress.current_session_id) == CongressSession.id", lazy="joined", viewonly=True)


class CongressSession(Base):
    """A sitting of the congress (a two-day congress has several), each with its own attendance."""

    __tablename__ = "congress_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    congress_id: Mapped[str] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Delegation(Base):
    __tablename__ = "delegations"
    __table_args__ = (UniqueConstraint("congress_id", "name_key", name="uq_delegation_name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    congress_id: Mapped[str] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300))


class Delegate(Base):
    __tablename__ = "delegates"
    __table_args__ = (
        UniqueConstraint("congress_id", "code", name="uq_delegate_code"),
        Index("ix_delegates_congress_sort", "congress_id", "sort_key"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    congress_id: Mapped[str] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    full_name: Mapped[str] = mapped_column(String(200))
    sort_key: Mapped[str] = mapped_column(String(800))
    search_key: Mapped[str] = mapped_column(Text)
    delegation_id: Mapped[str] = mapped_column(ForeignKey("delegations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    gender: Mapped[str | None] = mapped_column(String(10))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    ethnicity: Mapped[str | None] = mapped_column(String(60))
    party_member: Mapped[bool | None] = mapped_column(Boolean)
    education: Mapped[str | None] = mapped_column(String(120))
    position: Mapped[str | None] = mapped_column(String(300))
    sending_unit: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(200))
    badge_version: Mapped[int] = mapped_column(Integer, default=1)
    badge_printed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # withdrawn (rút khỏi đại hội): still on record and summoned, absent with this reason
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(120))
    withdraw_reason: Mapped[str | None] = mapped_column(String(500))

    delegation: Mapped[Delegation] = relationship(lazy="joined")


class CheckIn(Base):
    __tablename__ = "checkins"
    __table_args__ = (
        # at most one active check-in per delegate and session: a retried or concurrent request cannot count twice
        Index("uq_checkins_active", "session_id", "delegate_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
        Index("ix_checkins_congress_time", "congress_id", "checked_in_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    congress_id: Mapped[str] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[str] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"))
    session_id: Mapped[str] = mapped_column(ForeignKey("congress_sessions.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(10))
    checked_in_at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(120))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(120))
    revoke_reason: Mapped[str | None] = mapped_column(String(500))

    delegate: Mapped[Delegate] = relationship(lazy="joined")


class AbsenceNote(Base):
    """Why a delegate is absent from a session, as the organisers were told (the credentials report lists it)."""

    __tablename__ = "absence_notes"

    session_id: Mapped[str] = mapped_column(ForeignKey("congress_sessions.id", ondelete="CASCADE"), primary_key=True)
    delegate_id: Mapped[str] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"), primary_key=True)
    congress_id: Mapped[str] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


# Read model of the seat plan, from the seating service's events: shown in check-in results once published.
SEAT_DIRECTORY = Table(
    "seat_directory", Base.metadata,
    Column("delegate_id", String(36), primary_key=True),
    Column("congress_id", String(36), nullable=False, index=True),
    Column("seat_id", String(36), nullable=False),
    Column("label", String(40), nullable=False),
    Column("section", String(20), nullable=False),
    Column("row", String(20), nullable=False),
    Column("number", Integer, nullable=False),
)
SEATING_PUBLICATION = Table(
    "seating_publication", Base.metadata,
    Column("congress_id", String(36), primary_key=True),
    Column("published_at", UtcDateTime, nullable=False),
)


from . import face_tables  # noqa: E402, F401 - the face path's tables belong to this metadata too
