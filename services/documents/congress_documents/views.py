"""Queries: what a reader may see, what the organisers see, receipts, the agenda, announcements."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from congress_common.contracts import utcnow
from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from .adapters.orm import (
    KNOWN_DELEGATES,
    AgendaCurrent,
    AgendaItem,
    AgendaSession,
    Announcement,
    Document,
    DocumentVersion,
    ReadReceipt,
)
from .domain.rules import AUDIENCE_LABELS, CATEGORY_LABELS, AudienceKind, AudienceRule, Category, Reader, reading_state


def audience_rule(document: Document) -> AudienceRule:
    return AudienceRule(AudienceKind(document.audience), tuple(document.delegation_ids or ()))


def readable_by(document: Document, reader: Reader) -> bool:
    return document.released_at is not None and document.withdrawn_at is None and audience_rule(document).admits(reader)


async def reader(session: AsyncSession, congress_id: str, delegate_id: str) -> Reader | None:
    row = (await session.execute(select(KNOWN_DELEGATES).where(
        KNOWN_DELEGATES.c.id == delegate_id, KNOWN_DELEGATES.c.congress_id == congress_id))).first()
    return None if row is None else _as_reader(row._mapping)


def _as_reader(row: Any, prefix: str = "") -> Reader:
    """A known_delegates row (its columns named ``prefix`` + column name) as a ``Reader``."""
    return Reader(delegate_id=row[f"{prefix}id"], code=row[f"{prefix}code"], full_name=row[f"{prefix}full_name"],
                  kind=row[f"{prefix}kind"], roles=tuple(row[f"{prefix}roles"] or ()),
                  delegation_id=row[f"{prefix}delegation_id"])


@dataclass(frozen=True)
class Opening:
    """A document as one request opens it: the version asked for (``None``: no such version), the delegate
    reading (``None`` for staff, or a delegate the roster does not know) and their receipt of it so far."""

    document: Document
    version: DocumentVersion | None
    reader: Reader | None
    receipt: ReadReceipt | None


_READER_COLUMNS = [column.label(f"reader_{column.key}") for column in KNOWN_DELEGATES.c]


async def opening(session: AsyncSession, congress_id: str, document_id: str, number: int | None,
                  delegate_id: str | None) -> Opening | None:
    """Everything a page or a download needs, in one query (each query is a thread hop and an ORM pass; a hall
    opening the same page at once felt all four); the receipt stays in the session, so recording the reading
    does not read it again. ``None`` when the congress has no such document."""
    version_join = and_(DocumentVersion.document_id == Document.id,
                        DocumentVersion.number == (number if number is not None else Document.current_version))
    query = (select(Document, DocumentVersion).outerjoin(DocumentVersion, version_join)
             .where(Document.id == document_id, Document.congress_id == congress_id))
    if delegate_id is not None:
        query = (query.add_columns(ReadReceipt, *_READER_COLUMNS)
                 .outerjoin(ReadReceipt, and_(ReadReceipt.document_id == Document.id,
                                              ReadReceipt.delegate_id == delegate_id))
                 .outerjoin(KNOWN_DELEGATES, and_(KNOWN_DELEGATES.c.id == delegate_id,
                                                  KNOWN_DELEGATES.c.congress_id == congress_id)))
    row = (await session.execute(query)).first()
    if row is None:
        return None
    if delegate_id is None or row.reader_id is None:
        return Opening(row.Document, row.DocumentVersion, None, None)
    return Opening(row.Document, row.DocumentVersion, _as_reader(row._mapping, "reader_"), row.ReadReceipt)


async def congress_readers(session: AsyncSession, congress_id: str) -> list[Reader]:
    rows = await session.execute(select(KNOWN_DELEGATES).where(KNOWN_DELEGATES.c.congress_id == congress_id)
                                 .order_by(KNOWN_DELEGATES.c.sort_key, KNOWN_DELEGATES.c.code))
    return [_as_reader(r._mapping) for r in rows]


async def versions_of(session: AsyncSession, document_ids: list[str]) -> dict[str, list[DocumentVersion]]:
    out: dict[str, list[DocumentVersion]] = {i: [] for i in document_ids}
    if document_ids:
        for version in await session.scalars(select(DocumentVersion).where(DocumentVersion.document_id.in_(document_ids))
                                             .order_by(DocumentVersion.number)):
            out[version.document_id].append(version)
    return out


def _base(document: Document, current: DocumentVersion) -> dict[str, Any]:
    category = Category(document.category)
    return {"id": document.id, "title": document.title, "category": category, "category_label": CATEGORY_LABELS[category],
            "agenda_item_id": document.agenda_item_id, "confidential": document.confidential,
            "version": document.current_version, "pages": current.pages, "size": current.size,
            "released_at": document.released_at, "updated_at": current.uploaded_at, "note": current.note}


async def reader_documents(session: AsyncSession, congress_id: str, who: Reader) -> list[dict[str, Any]]:
    documents = [d for d in await session.scalars(select(Document).where(
        Document.congress_id == congress_id, Document.released_at.is_not(None), Document.withdrawn_at.is_(None))
        .order_by(Document.released_at.desc())) if audience_rule(d).admits(who)]
    versions = await versions_of(session, [d.id for d in documents])
    receipts = {r.document_id: r for r in await session.scalars(select(ReadReceipt).where(
        ReadReceipt.delegate_id == who.delegate_id, ReadReceipt.congress_id == congress_id))}
    out = []
    for document in documents:
        read = receipts.get(document.id)
        current = versions[document.id][-1]
        out.append({**_base(document, current), "read_version": read.version if read else None,
                    "state": reading_state(document.current_version, read.version if read else None)})
    return out


async def staff_documents(session: AsyncSession, congress_id: str) -> list[dict[str, Any]]:
    documents = list(await session.scalars(select(Document).where(Document.congress_id == congress_id)
                                           .order_by(Document.created_at.desc())))
    versions = await versions_of(session, [d.id for d in documents])
    readers = await congress_readers(session, congress_id)
    opened = await _opened_counts(session, congress_id)
    return [staff_view(d, versions[d.id], readers, opened.get(d.id, 0)) for d in documents]


async def _opened_counts(session: AsyncSession, congress_id: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for document_id in await session.scalars(select(ReadReceipt.document_id).where(ReadReceipt.congress_id == congress_id)):
        counts[document_id] = counts.get(document_id, 0) + 1
    return counts


def staff_view(document: Document, versions: list[DocumentVersion], readers: list[Reader], opened: int) -> dict[str, Any]:
    rule = audience_rule(document)
    return {**_base(document, versions[-1]), "audience": rule.kind, "audience_label": AUDIENCE_LABELS[rule.kind],
            "delegation_ids": list(rule.delegation_ids), "release_mode": document.release_mode,
            "release_at": document.release_at, "withdrawn_at": document.withdrawn_at,
            "withdraw_reason": document.withdraw_reason,
            "audience_size": sum(rule.admits(r) for r in readers), "opened": opened,
            "versions": [{"number": v.number, "sha256": v.sha256, "size": v.size, "pages": v.pages,
                          "original_name": v.original_name, "original_format": v.original_format, "note": v.note,
                          "uploaded_by": v.uploaded_by, "uploaded_at": v.uploaded_at} for v in versions]}


async def staff_document(session: AsyncSession, document: Document) -> dict[str, Any]:
    versions = (await versions_of(session, [document.id]))[document.id]
    readers = await congress_readers(session, document.congress_id)
    opened = (await _opened_counts(session, document.congress_id)).get(document.id, 0)
    return staff_view(document, versions, readers, opened)


async def receipts(session: AsyncSession, document: Document) -> dict[str, Any]:
    rule = audience_rule(document)
    audience = [r for r in await congress_readers(session, document.congress_id) if rule.admits(r)]
    delegations = {r.id: r.delegation_name for r in await session.execute(
        select(KNOWN_DELEGATES.c.id, KNOWN_DELEGATES.c.delegation_name)
        .where(KNOWN_DELEGATES.c.congress_id == document.congress_id))}
    found = {r.delegate_id: r for r in await session.scalars(select(ReadReceipt).where(
        ReadReceipt.document_id == document.id))}

    def person(r: Reader) -> dict[str, Any]:
        receipt = found.get(r.delegate_id)
        return {"delegate_id": r.delegate_id, "code": r.code, "full_name": r.full_name,
                "delegation_name": delegations.get(r.delegate_id, ""),
                "version": receipt.version if receipt else None,
                "first_opened_at": receipt.first_opened_at if receipt else None,
                "last_opened_at": receipt.last_opened_at if receipt else None,
                "downloaded_at": receipt.downloaded_at if receipt else None}

    people = [person(r) for r in audience]
    opened = [p for p in people if p["version"] is not None]
    return {"document_id": document.id, "version": document.current_version, "audience_size": len(audience),
            "opened": len(opened), "not_opened": len(audience) - len(opened),
            "on_current_version": sum(p["version"] == document.current_version for p in opened),
            "readers": opened, "not_opened_readers": [p for p in people if p["version"] is None]}


async def agenda(session: AsyncSession, congress_id: str) -> dict[str, Any]:
    sessions = list(await session.scalars(select(AgendaSession).where(AgendaSession.congress_id == congress_id)
                                          .order_by(AgendaSession.position)))
    items = list(await session.scalars(select(AgendaItem).where(AgendaItem.congress_id == congress_id)
                                       .order_by(AgendaItem.position)))
    current = await session.get(AgendaCurrent, congress_id)
    by_session: dict[str, list[dict[str, Any]]] = {s.id: [] for s in sessions}
    for item in items:
        by_session.setdefault(item.session_id, []).append(
            {"id": item.id, "title": item.title, "presenter": item.presenter, "starts_at": item.starts_at,
             "opened_at": item.opened_at, "current": bool(current and current.item_id == item.id)})
    current_item = next((i for i in items if current and i.id == current.item_id), None)
    return {"sessions": [{"id": s.id, "title": s.title, "starts_at": s.starts_at, "items": by_session[s.id]}
                         for s in sessions],
            "current_item": None if current_item is None else {
                "id": current_item.id, "title": current_item.title, "session_id": current_item.session_id,
                "presenter": current_item.presenter, "opened_at": current.opened_at}}


async def announcements(session: AsyncSession, congress_id: str, since: datetime | None, limit: int) -> list[Announcement]:
    query = select(Announcement).where(Announcement.congress_id == congress_id)
    if since is not None:
        query = query.where(Announcement.posted_at > since)
    return list(await session.scalars(query.order_by(Announcement.posted_at.desc()).limit(limit)))


RECEIPT_REFRESH = timedelta(minutes=1)


def _says_as_much(receipt: ReadReceipt, version: int, download: bool, now: datetime) -> bool:
    recent = now - receipt.last_opened_at < RECEIPT_REFRESH
    return recent and receipt.version >= version and (not download or receipt.downloaded_at is not None)


async def record_read(session: AsyncSession, opened: Opening, *, download: bool) -> None:
    """The delegate opened (or downloaded) this version: first and last time, highest version read.

    The request's last step with the session: the same delegate's requests race to insert the first
    receipt, and the loser's rollback expires every object the session holds (read after it, they made
    the page a 500). Turning pages rewrites nothing: a receipt that already says as much, touched less
    than ``RECEIPT_REFRESH`` ago, is left as it is (a congress paging through a 40-page report would be
    tens of thousands of commits on one SQLite writer)."""
    document, receipt = opened.document, opened.receipt
    version, delegate_id = opened.version.number, opened.reader.delegate_id  # a delegate's readable opening
    now = utcnow()
    if receipt is not None and _says_as_much(receipt, version, download, now):
        return
    if receipt is None:
        session.add(ReadReceipt(document_id=document.id, delegate_id=delegate_id, congress_id=document.congress_id,
                                version=version, first_opened_at=now, last_opened_at=now,
                                downloaded_at=now if download else None))
    else:
        receipt.version = max(receipt.version, version)
        receipt.last_opened_at = now
        if download:
            receipt.downloaded_at = now
    try:
        await session.commit()
    except IntegrityError:  # the same delegate's other request recorded the first opening
        await session.rollback()
