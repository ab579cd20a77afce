"""Request and response bodies of the documents, agenda and announcements API."""
from __future__ import annotations

from datetime import datetime

from congress_common.contracts import AnnouncementPriority
from pydantic import BaseModel, ConfigDict, Field

from ..domain.rules import AudienceKind, Category


class VersionPublic(BaseModel):
    number: int
    sha256: str
    size: int
    pages: int
    original_name: str
    original_format: str
    note: str | None = None
    uploaded_by: str
    uploaded_at: datetime


class DocumentBase(BaseModel):
    id: str
    title: str
    category: Category
    category_label: str
    agenda_item_id: str | None = None
    confidential: bool
    version: int
    pages: int
    size: int
    released_at: datetime | None = None
    updated_at: datetime
    note: str | None = None


class ReaderDocument(DocumentBase):
    """A document as a delegate sees it, with what they have read of it."""

    read_version: int | None = None
    state: str = Field(description="`new` (never opened), `updated` (an older version was read) or `read`")


class StaffDocument(DocumentBase):
    """A document as the organisers see it: audience, release, versions, how many opened it."""

    audience: AudienceKind
    audience_label: str
    delegation_ids: list[str]
    release_mode: str
    release_at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdraw_reason: str | None = None
    audience_size: int
    opened: int
    versions: list[VersionPublic]


class WithdrawRequest(BaseModel):
    reason: str = Field(min_length=3, max_length=500, title="Lý do thu hồi")


class ReceiptPerson(BaseModel):
    delegate_id: str
    code: str
    full_name: str
    delegation_name: str
    version: int | None = None
    first_opened_at: datetime | None = None
    last_opened_at: datetime | None = None
    downloaded_at: datetime | None = None


class Receipts(BaseModel):
    document_id: str
    version: int
    audience_size: int
    opened: int
    not_opened: int
    on_current_version: int
    readers: list[ReceiptPerson]
    not_opened_readers: list[ReceiptPerson]


class SessionCreate(BaseModel):
    title: str = Field(min_length=2, max_length=200, title="Tên phiên họp")
    starts_at: datetime | None = Field(default=None, title="Thời gian bắt đầu")


class ItemCreate(BaseModel):
    session_id: str = Field(min_length=1, max_length=36, title="Phiên họp")
    title: str = Field(min_length=2, max_length=300, title="Nội dung")
    presenter: str | None = Field(default=None, max_length=200, title="Người trình bày")
    starts_at: datetime | None = Field(default=None, title="Thời gian")


class SessionUpdate(BaseModel):
    """Only the fields sent change; ``starts_at: null`` clears the time."""

    title: str | None = Field(default=None, min_length=2, max_length=200, title="Tên phiên họp")
    starts_at: datetime | None = Field(default=None, title="Thời gian bắt đầu")


class ItemUpdate(BaseModel):
    """Only the fields sent change; ``presenter`` or ``starts_at`` null clears it; ``session_id`` moves the item."""

    session_id: str | None = Field(default=None, min_length=1, max_length=36, title="Phiên họp")
    title: str | None = Field(default=None, min_length=2, max_length=300, title="Nội dung")
    presenter: str | None = Field(default=None, max_length=200, title="Người trình bày")
    starts_at: datetime | None = Field(default=None, title="Thời gian")


class AgendaItemPublic(BaseModel):
    id: str
    title: str
    presenter: str | None = None
    starts_at: datetime | None = None
    opened_at: datetime | None = None
    current: bool = False


class AgendaSessionPublic(BaseModel):
    id: str
    title: str
    starts_at: datetime | None = None
    items: list[AgendaItemPublic] = []


class CurrentItem(BaseModel):
    id: str
    title: str
    session_id: str
    presenter: str | None = None
    opened_at: datetime


class AgendaPublic(BaseModel):
    sessions: list[AgendaSessionPublic]
    current_item: CurrentItem | None = None


class OpenedItem(BaseModel):
    item: AgendaItemPublic
    released_documents: int


class AnnouncementCreate(BaseModel):
    text: str = Field(min_length=2, max_length=1000, title="Nội dung thông báo")
    priority: AnnouncementPriority = Field(default=AnnouncementPriority.normal, title="Mức độ")


class AnnouncementPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    text: str
    priority: AnnouncementPriority
    posted_at: datetime
