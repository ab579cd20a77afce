"""Commands of the documents service (imperative names, plain data)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from congress_common.contracts import AnnouncementPriority

from .rules import AudienceKind, Category, ReleaseMode


@dataclass(frozen=True)
class UploadDocument:
    congress_id: str
    title: str
    category: Category
    audience: AudienceKind
    delegation_ids: tuple[str, ...]
    release: ReleaseMode
    release_at: datetime | None
    agenda_item_id: str | None
    confidential: bool
    note: str | None
    actor: str


@dataclass(frozen=True)
class AddVersion:
    congress_id: str
    document_id: str
    note: str | None
    actor: str


@dataclass(frozen=True)
class WithdrawDocument:
    congress_id: str
    document_id: str
    reason: str


@dataclass(frozen=True)
class CreateSession:
    congress_id: str
    title: str
    starts_at: datetime | None


@dataclass(frozen=True)
class AddItem:
    congress_id: str
    session_id: str
    title: str
    presenter: str | None
    starts_at: datetime | None


@dataclass(frozen=True)
class UpdateSession:
    """Change what is in ``changes`` (title, starts_at); a field left out stays as it is."""

    congress_id: str
    session_id: str
    changes: dict


@dataclass(frozen=True)
class UpdateItem:
    """Change what is in ``changes`` (title, presenter, starts_at, session_id: moved to the end of that session)."""

    congress_id: str
    item_id: str
    changes: dict


@dataclass(frozen=True)
class OpenItem:
    congress_id: str
    item_id: str


@dataclass(frozen=True)
class PostAnnouncement:
    congress_id: str
    text: str
    priority: AnnouncementPriority
    actor: str
