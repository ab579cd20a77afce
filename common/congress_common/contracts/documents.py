"""Events published by the documents service (documents, agenda, announcements) on topic ``congress.documents``.

Document events name the document, never its title or content: a document
may be for the presidium only, and every delegate's phone sees these events.
A phone that receives one asks the documents API, which checks who it is.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from ..labels import labelled
from .envelope import Audience, IntegrationEvent

TOPIC_DOCUMENTS = "congress.documents"


class AnnouncementPriority(StrEnum):
    normal = "normal"  # thông báo
    important = "important"  # quan trọng
    urgent = "urgent"  # khẩn


PRIORITY_LABELS = labelled(AnnouncementPriority, {AnnouncementPriority.normal: "Bình thường",
                                                  AnnouncementPriority.important: "Quan trọng",
                                                  AnnouncementPriority.urgent: "Khẩn"})


class DocumentPublished(IntegrationEvent):
    """A document is released to its readers: at once, at its release time, or when its agenda item opened."""

    TYPE = "document.published"
    TOPIC = TOPIC_DOCUMENTS
    AUDIENCE = Audience.public

    document_id: str
    version: int
    category: str
    agenda_item_id: str | None = None
    released_at: datetime


class DocumentVersionAdded(IntegrationEvent):
    """A new version of a document was uploaded; ``released`` says whether its readers can already see it."""

    TYPE = "document.version_added"
    TOPIC = TOPIC_DOCUMENTS
    AUDIENCE = Audience.public

    document_id: str
    version: int
    released: bool
    added_at: datetime


class DocumentWithdrawn(IntegrationEvent):
    """A document was withdrawn: its readers can no longer open or download it."""

    TYPE = "document.withdrawn"
    TOPIC = TOPIC_DOCUMENTS
    AUDIENCE = Audience.public

    document_id: str
    withdrawn_at: datetime


class AnnouncementPosted(IntegrationEvent):
    """An announcement for everyone at the congress ("Đại biểu về hội trường lúc 13h30")."""

    TYPE = "announcement.posted"
    TOPIC = TOPIC_DOCUMENTS
    AUDIENCE = Audience.public

    announcement_id: str
    text: str
    priority: AnnouncementPriority
    posted_at: datetime


class AgendaItemOpened(IntegrationEvent):
    """The organisers moved the congress to this agenda item; documents tied to it are released with it."""

    TYPE = "agenda.item_opened"
    TOPIC = TOPIC_DOCUMENTS
    AUDIENCE = Audience.public

    item_id: str
    session_id: str
    title: str
    opened_at: datetime
    released_documents: int = 0


class AgendaChanged(IntegrationEvent):
    """A session or an item of the agenda was added or edited (title, time, presenter, moved): re-read the agenda."""

    TYPE = "agenda.changed"
    TOPIC = TOPIC_DOCUMENTS
    AUDIENCE = Audience.public

    session_id: str
    item_id: str | None = None
    changed_at: datetime
