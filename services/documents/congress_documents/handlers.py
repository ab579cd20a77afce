"""Command handlers: each checks the rules, changes state and stages its events in one unit of work.

A document's file goes to storage before the transaction commits; if the
commit fails the stored file is deleted again, so a failed upload leaves no
file and no version behind.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from congress_common.contracts import (
    AnnouncementPosted,
    DocumentPublished,
    DocumentVersionAdded,
    DocumentWithdrawn,
    utcnow,
)
from congress_common.errors import Conflict, NotFound
from congress_common.runtime import UnitOfWork
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .adapters.orm import KNOWN_DELEGATES, AgendaCurrent, AgendaItem, Announcement, Document, DocumentVersion
from .adapters.storage import FileStorage
from .domain import commands as c
from .domain.rules import AudienceRule, Release, ReleaseMode
from .intake import StagedPdf


def new_id() -> str:
    return str(uuid.uuid4())


async def get_document(session, congress_id: str, document_id: str) -> Document:
    document = await session.get(Document, document_id)
    if document is None or document.congress_id != congress_id:
        raise NotFound("Không tìm thấy tài liệu")
    return document


async def get_item(session, congress_id: str, item_id: str) -> AgendaItem:
    item = await session.get(AgendaItem, item_id)
    if item is None or item.congress_id != congress_id:
        raise NotFound("Không tìm thấy mục chương trình này trong đại hội")
    return item


async def known_delegations(session, congress_id: str) -> set[str]:
    rows = await session.scalars(select(KNOWN_DELEGATES.c.delegation_id).where(
        KNOWN_DELEGATES.c.congress_id == congress_id).distinct())
    return set(rows)


async def refuse_duplicate(session, congress_id: str, staged: StagedPdf) -> None:
    """The same file (by checksum) already is a version of a document of this congress that is not withdrawn."""
    row = (await session.execute(
        select(Document.title, DocumentVersion.number).join(Document, Document.id == DocumentVersion.document_id)
        .where(DocumentVersion.congress_id == congress_id, Document.withdrawn_at.is_(None),
               (DocumentVersion.source_sha256 == staged.source_sha256) | (DocumentVersion.sha256 == staged.sha256))
        .limit(1))).first()
    if row is not None:
        raise Conflict(f"Tệp này đã được tải lên: «{row.title}», bản {row.number} (trùng mã kiểm tra SHA-256)")


async def current_item_id(session, congress_id: str) -> str | None:
    current = await session.get(AgendaCurrent, congress_id)
    return current.item_id if current else None


def _version(document: Document, staged: StagedPdf, number: int, note: str | None, actor: str) -> DocumentVersion:
    version_id = new_id()  # in the key: a racing upload that loses never touches the winner's file
    key = f"{document.congress_id}/{document.id}/v{number}-{version_id}.pdf"
    return DocumentVersion(id=version_id, document_id=document.id, congress_id=document.congress_id, number=number,
                           storage_key=key, sha256=staged.sha256, source_sha256=staged.source_sha256,
                           size=staged.size, pages=staged.pages, original_name=staged.original_name,
                           original_format=staged.original_format, note=note, uploaded_by=actor, uploaded_at=utcnow())


RACE = "Tài liệu vừa được người khác cập nhật: tải lại trang rồi thử lại"


async def store_and_commit(uow: UnitOfWork, storage: FileStorage, version: DocumentVersion, staged: StagedPdf) -> None:
    """Flush (a concurrent version loses here, before any file is stored), put the file, then commit;
    a failed commit deletes the file again."""
    await _flush_or_conflict(uow)
    await storage.put_file(version.storage_key, staged.path)
    try:
        await uow.commit()
    except BaseException as exc:
        await uow.rollback()
        await storage.delete(version.storage_key)
        if isinstance(exc, IntegrityError):
            raise Conflict(RACE) from None
        raise


async def _flush_or_conflict(uow: UnitOfWork) -> None:
    try:
        await uow.session.flush()
    except IntegrityError:
        await uow.rollback()
        raise Conflict(RACE) from None


async def publish(uow: UnitOfWork, document: Document, now: datetime) -> None:
    document.released_at = now
    await uow.emit(DocumentPublished(document_id=document.id, version=document.current_version,
                                     category=document.category, agenda_item_id=document.agenda_item_id,
                                     released_at=now), congress_id=document.congress_id)


async def upload_document(uow: UnitOfWork, storage: FileStorage, cmd: c.UploadDocument, staged: StagedPdf) -> Document:
    session, now = uow.session, utcnow()
    audience = AudienceRule.checked(cmd.audience, cmd.delegation_ids, await known_delegations(session, cmd.congress_id))
    release = Release.checked(cmd.release, cmd.release_at, cmd.agenda_item_id, now)
    item_id = release.agenda_item_id or cmd.agenda_item_id
    if item_id:
        await get_item(session, cmd.congress_id, item_id)
    await refuse_duplicate(session, cmd.congress_id, staged)
    document = Document(id=new_id(), congress_id=cmd.congress_id, title=cmd.title, category=str(cmd.category),
                        agenda_item_id=item_id, audience=str(audience.kind), delegation_ids=list(audience.delegation_ids),
                        confidential=cmd.confidential, release_mode=str(release.mode), release_at=release.at,
                        current_version=1, created_by=cmd.actor, created_at=now, updated_at=now)
    session.add(document)
    version = _version(document, staged, 1, cmd.note, cmd.actor)
    session.add(version)
    opens_now = release.mode is ReleaseMode.agenda_item and await current_item_id(session, cmd.congress_id) == item_id
    if release.mode is ReleaseMode.now or opens_now:
        await publish(uow, document, now)
    await store_and_commit(uow, storage, version, staged)
    return document


async def add_version(uow: UnitOfWork, storage: FileStorage, cmd: c.AddVersion, staged: StagedPdf) -> DocumentVersion:
    session = uow.session
    document = await get_document(session, cmd.congress_id, cmd.document_id)
    if document.withdrawn_at is not None:
        raise Conflict("Tài liệu đã bị thu hồi: không thêm bản mới được")
    await refuse_duplicate(session, cmd.congress_id, staged)
    number = (await session.scalar(select(func.max(DocumentVersion.number))
                                   .where(DocumentVersion.document_id == document.id)) or 0) + 1
    version = _version(document, staged, number, cmd.note, cmd.actor)
    session.add(version)
    document.current_version, document.updated_at = number, version.uploaded_at
    await _flush_or_conflict(uow)
    await uow.emit(DocumentVersionAdded(document_id=document.id, version=number, released=document.released_at is not None,
                                        added_at=version.uploaded_at), congress_id=document.congress_id)
    await store_and_commit(uow, storage, version, staged)
    return version


async def withdraw_document(uow: UnitOfWork, cmd: c.WithdrawDocument) -> Document:
    document = await get_document(uow.session, cmd.congress_id, cmd.document_id)
    if document.withdrawn_at is None:
        document.withdrawn_at, document.withdraw_reason = utcnow(), cmd.reason
        document.updated_at = document.withdrawn_at
        await uow.emit(DocumentWithdrawn(document_id=document.id, withdrawn_at=document.withdrawn_at),
                       congress_id=document.congress_id)
        await uow.commit()
    return document


async def release_now(uow: UnitOfWork, congress_id: str, document_id: str) -> Document:
    document = await get_document(uow.session, congress_id, document_id)
    if document.withdrawn_at is not None:
        raise Conflict("Tài liệu đã bị thu hồi")
    if document.released_at is None:
        document.release_mode, document.release_at = str(ReleaseMode.now), None
        await publish(uow, document, utcnow())
        await uow.commit()
    return document


async def claim_release(uow: UnitOfWork, document: Document, now: datetime) -> bool:
    """Mark the document released unless another process did first (the guarded UPDATE decides)."""
    claimed = await uow.session.execute(update(Document).where(Document.id == document.id,
                                                               Document.released_at.is_(None)).values(released_at=now))
    if claimed.rowcount != 1:
        return False
    await publish(uow, document, now)
    return True


async def release_due(uow: UnitOfWork, now: datetime | None = None) -> int:
    """Release every document whose release time has come; returns how many (run by the release scheduler)."""
    now = now or utcnow()
    due = list(await uow.session.scalars(select(Document).where(
        Document.release_mode == str(ReleaseMode.at), Document.released_at.is_(None),
        Document.withdrawn_at.is_(None), Document.release_at <= now)))
    released = [d for d in due if await claim_release(uow, d, now)]
    await uow.commit()
    return len(released)


async def next_release_at(session) -> datetime | None:
    return await session.scalar(select(func.min(Document.release_at)).where(
        Document.release_mode == str(ReleaseMode.at), Document.released_at.is_(None), Document.withdrawn_at.is_(None)))


async def post_announcement(uow: UnitOfWork, cmd: c.PostAnnouncement) -> Announcement:
    announcement = Announcement(id=new_id(), congress_id=cmd.congress_id, text=cmd.text, priority=str(cmd.priority),
                                posted_by=cmd.actor, posted_at=utcnow())
    uow.session.add(announcement)
    await uow.emit(AnnouncementPosted(announcement_id=announcement.id, text=announcement.text, priority=cmd.priority,
                                      posted_at=announcement.posted_at), congress_id=cmd.congress_id)
    await uow.commit()
    return announcement
