"""Tables of the face path: consent, encrypted templates (and photos, if kept), per-congress face settings,
and the idempotency keys of kiosk check-ins."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .orm import Base


class FaceConsent(Base):
    """Explicit consent to face check-in, recorded before any template exists: who recorded it, when, how."""

    __tablename__ = "face_consents"

    delegate_id: Mapped[str] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"), primary_key=True)
    congress_id: Mapped[str] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(300))
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(120))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str | None] = mapped_column(String(120))


class FaceTemplate(Base):
    """One enrolment photo's encoding, AES-GCM sealed; the photo itself only if the congress keeps photos."""

    __tablename__ = "face_templates"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    congress_id: Mapped[str] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[str] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    source: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(120))


class FaceSettingsRow(Base):
    __tablename__ = "face_settings"

    congress_id: Mapped[str] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"), primary_key=True)
    mode: Mapped[str] = mapped_column(String(20), default="face_then_qr")
    liveness: Mapped[bool] = mapped_column(Boolean, default=True)
    keep_photos: Mapped[bool] = mapped_column(Boolean, default=False)
    gallery_version: Mapped[int] = mapped_column(Integer, default=0)  # bumped on every enrol/unenrol/purge
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CheckinRequest(Base):
    """An idempotency key sent with a (queued) kiosk check-in: the same key always answers the same check-in."""

    __tablename__ = "checkin_requests"

    congress_id: Mapped[str] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    checkin_id: Mapped[str] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
