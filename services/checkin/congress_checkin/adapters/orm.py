"""Tables of the check-in service (it owns congresses, delegations, delegates and check-ins)."""
from __future__ import annotations

from datetime import date, datetime

from congress_common.outbox import define_outbox_tables
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


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
    badge_printed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # withdrawn (rút khỏi đại hội): still on record and summoned, absent with this reason
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str | None] = mapped_column(String(120))
    withdraw_reason: Mapped[str | None] = mapped_column(String(500))

    delegation: Mapped[Delegation] = relationship(lazy="joined")


class CheckIn(Base):
    __tablename__ = "checkins"
    __table_args__ = (
        # at most one active check-in per delegate: a retried or concurrent request cannot count twice
        Index("uq_checkins_active", "delegate_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
        Index("ix_checkins_congress_time", "congress_id", "checked_in_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    congress_id: Mapped[str] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[str] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(10))
    checked_in_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(120))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(String(120))
    revoke_reason: Mapped[str | None] = mapped_column(String(500))

    delegate: Mapped[Delegate] = relationship(lazy="joined")


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
    Column("published_at", DateTime(timezone=True), nullable=False),
)
