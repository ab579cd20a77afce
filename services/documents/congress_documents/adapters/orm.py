"""Tables of the documents service: documents and their versions, read receipts, agenda, announcements,
its outbox and its read model of the roster."""
from __future__ import annotations

from datetime import datetime

from congress_common.db import UtcDateTime
from congress_common.outbox import define_outbox_tables
from congress_common.readmodels import define_directory_tables
from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


OUTBOX, PROCESSED_EVENTS = define_outbox_tables(Base.metadata)
KNOWN_CONGRESSES, KNOWN_DELEGATES = define_directory_tables(Base.metadata)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    congress_id: Mapped[str] = mapped_column(String(36), index=True)
    title: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(30))
    agenda_item_id: Mapped[str | None] = mapped_column(String(36), index=True)
    audience: Mapped[str] = mapped_column(String(20))
    delegation_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    release_mode: Mapped[str] = mapped_column(String(20))
    release_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    withdraw_reason: Mapped[str | None] = mapped_column(String(500))
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DocumentVersion(Base):
    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"), Index("ix_versions_congress_source", "congress_id",
                                                                         "source_sha256"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(36), ForeignKey("documents.id"), index=True)
    congress_id: Mapped[str] = mapped_column(String(36))
    number: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(300), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    source_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    pages: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(300))
    original_format: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(String(500))
    uploaded_by: Mapped[str] = mapped_column(String(120))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReadReceipt(Base):
    __tablename__ = "read_receipts"

    document_id: Mapped[str] = mapped_column(String(36), ForeignKey("documents.id"), primary_key=True)
    delegate_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    congress_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer)
    first_opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    downloaded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AgendaSession(Base):
    __tablename__ = "agenda_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    congress_id: Mapped[str] = mapped_column(String(36), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    position: Mapped[int] = mapped_column(Integer)


class AgendaItem(Base):
    __tablename__ = "agenda_items"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    congress_id: Mapped[str] = mapped_column(String(36), index=True)
    session_id: Mapped[str] = mapped_column(String(36), ForeignKey("agenda_sessions.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    position: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AgendaCurrent(Base):
    """The item the congress is at now (one row per congress)."""

    __tablename__ = "agenda_current"

    congress_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(36), ForeignKey("agenda_items.id"))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Announcement(Base):
    __tablename__ = "announcements"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    congress_id: Mapped[str] = mapped_column(String(36), index=True)
    text: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(20))
    posted_by: Mapped[str] = mapped_column(String(120))
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
