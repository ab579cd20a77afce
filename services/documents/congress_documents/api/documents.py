"""Document routes: upload and versions (organisers), the list each caller may see, pages, downloads, receipts.

Each route turns its input into one command or query; access is checked on
every file request against the caller's congress, kind, role, delegation and
the release state, and anything a caller may not read is a 404.
"""
from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated

from congress_common.auth import Organiser
from congress_common.errors import Invalid
from congress_common.readmodels import directory_delegates
from congress_common.runtime import SessionDep, UowDep
from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile, status
from fastapi.responses import Response
from pydantic import BaseModel

from .. import handlers, views
from ..adapters.orm import KNOWN_DELEGATES
from ..domain import commands as c
from ..domain.rules import AudienceKind, Category, ReleaseMode
from ..domain.rules import Reader as ReaderOfRoster
from ..files import local_reader, ranged_response, snap_width
from .deps import LibraryDep, Member, readable_document, readable_opening, reader_of
from .schemas import ReaderDocument, Receipts, StaffDocument, WithdrawRequest

router = APIRouter(prefix="/api/congresses/{cid}/documents", tags=["documents"])


class Reader(BaseModel):
    id: str
    full_name: str
    delegation_name: str
    kind: str
    present: bool
    official_documents: bool


class Audience(BaseModel):
    readers: list[Reader]
    official_readers: int


@router.get("/audience", response_model=Audience)
async def audience(cid: str, session: SessionDep, _org: Organiser) -> Audience:
    """Who will read this congress's documents; official-only documents go to official delegates."""
    readers = [Reader(**row, official_documents=row["kind"] == "official")
               for row in await directory_delegates(session, KNOWN_DELEGATES, cid)]
    return Audience(readers=readers, official_readers=sum(r.official_documents for r in readers))


def _delegation_ids(raw: list[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in raw for part in value.split(",") if part.strip())


@router.post("", response_model=StaffDocument, status_code=status.HTTP_201_CREATED,
             responses={409: {"description": "The same file is already a document of this congress"},
                        413: {"description": "Larger than CONGRESS_MAX_DOCUMENT_BYTES"},
                        415: {"description": "Word/Excel without LibreOffice on the server"}})
async def upload(
    cid: str, uow: UowDep, library: LibraryDep, org: Organiser,
    file: Annotated[UploadFile, File(title="Tệp tài liệu", description="PDF, or .docx/.xlsx converted by LibreOffice")],
    title: Annotated[str, Form(min_length=2, max_length=300, title="Tên tài liệu")],
    category: Annotated[Category, Form(title="Loại tài liệu")] = Category.other,
    audience: Annotated[AudienceKind, Form(title="Người được đọc")] = AudienceKind.all,
    delegation_ids: Annotated[list[str], Form(title="Đoàn đại biểu")] = [],  # noqa: B006 - FastAPI form default
    release: Annotated[ReleaseMode, Form(title="Phát hành")] = ReleaseMode.now,
    release_at: Annotated[datetime | None, Form(title="Thời điểm phát hành")] = None,
    agenda_item_id: Annotated[str | None, Form(max_length=36, title="Mục chương trình")] = None,
    confidential: Annotated[bool, Form(title="Tài liệu mật (đóng dấu tên người đọc)")] = False,
    note: Annotated[str | None, Form(max_length=500, title="Ghi chú")] = None,
) -> dict:
    command = c.UploadDocument(cid, title.strip(), category, audience, _delegation_ids(delegation_ids), release, release_at,
                               agenda_item_id or None, confidential, note, f"{org.role}:{org.sub}")
    async with library.intake.stage(file) as staged:
        document = await handlers.upload_document(uow, library.storage, command, staged)
    return await views.staff_document(uow.session, document)


@router.post("/{document_id}/versions", response_model=StaffDocument, status_code=status.HTTP_201_CREATED)
async def add_version(cid: str, document_id: str, uow: UowDep, library: LibraryDep, org: Organiser,
                      file: Annotated[UploadFile, File(title="Tệp tài liệu")],
                      note: Annotated[str | None, Form(max_length=500, title="Ghi chú")] = None) -> dict:
    await handlers.get_document(uow.session, cid, document_id)
    async with library.intake.stage(file) as staged:
        await handlers.add_version(uow, library.storage, c.AddVersion(cid, document_id, note, f"{org.role}:{org.sub}"),
                                   staged)
    return await views.staff_document(uow.session, await handlers.get_document(uow.session, cid, document_id))


@router.get("", response_model=list[ReaderDocument] | list[StaffDocument],
            description="Organisers: every document with its audience, release and versions. "
                        "Delegates: the released documents meant for them, with `state` new / updated / read.")
async def list_documents(cid: str, session: SessionDep, who: Member) -> list[dict]:
    reader = await reader_of(session, cid, who)
    if reader is None:
        return await views.staff_documents(session, cid)
    return await views.reader_documents(session, cid, reader)


@router.get("/{document_id}", response_model=ReaderDocument | StaffDocument)
async def get_document(cid: str, document_id: str, session: SessionDep, who: Member) -> dict:
    document, reader = await readable_document(session, cid, document_id, who)
    if reader is None:
        return await views.staff_document(session, document)
    return next(d for d in await views.reader_documents(session, cid, reader) if d["id"] == document.id)


@router.post("/{document_id}/withdraw", response_model=StaffDocument)
async def withdraw(cid: str, document_id: str, body: WithdrawRequest, uow: UowDep, _org: Organiser) -> dict:
    document = await handlers.withdraw_document(uow, c.WithdrawDocument(cid, document_id, body.reason))
    return await views.staff_document(uow.session, document)


@router.post("/{document_id}/release", response_model=StaffDocument, description="Release now, whatever was planned.")
async def release_now(cid: str, document_id: str, uow: UowDep, _org: Organiser) -> dict:
    document = await handlers.release_now(uow, cid, document_id)
    return await views.staff_document(uow.session, document)


@router.get("/{document_id}/receipts", response_model=Receipts)
async def receipts(cid: str, document_id: str, session: SessionDep, _org: Organiser) -> dict:
    """Who of the document's readers opened it (which version, when, downloaded or not), and who has not."""
    return await views.receipts(session, await handlers.get_document(session, cid, document_id))


VersionAsked = Annotated[int | None, Query(ge=1, le=100_000, title="Bản")]  # bounded: it goes into SQL


def watermark_lines(who: ReaderOfRoster) -> list[str]:
    return [who.full_name, who.code, "Tài liệu mật – không sao chép"]


@router.get("/{document_id}/pages/{page}", response_class=Response,
            responses={200: {"content": {"image/webp": {}}, "description": "The page as an image"}})
async def page_image(cid: str, document_id: str, session: SessionDep, library: LibraryDep, who: Member,
                     page: Annotated[int, Path(ge=1, title="Trang")],
                     width: Annotated[int, Query(ge=100, le=4000, title="Chiều rộng")] = 800,
                     v: VersionAsked = None) -> Response:
    """One page rendered on the server (pypdfium2) on demand and cached; confidential pages carry the reader's name."""
    opened = await readable_opening(session, cid, document_id, who, v)
    document, version, reader = opened.document, opened.version, opened.reader
    if page > version.pages:
        raise Invalid(f"Tài liệu chỉ có {version.pages} trang")
    width = snap_width(width)
    if reader is not None and document.confidential:
        path = await library.stamped_page(version, page - 1, width, reader.delegate_id, watermark_lines(reader))
    else:
        path = await library.page(version, page - 1, width)
    cache = "private, max-age=31536000, immutable" if v else "private, no-cache"
    image = await asyncio.to_thread(path.read_bytes)  # a few hundred KB: one thread hop, not a file stream's eight
    response = Response(image, media_type="image/webp", headers={"cache-control": cache,
                                                                  "x-document-pages": str(version.pages)})
    if reader is not None:  # last: it may roll the session back (views.record_read)
        await views.record_read(session, opened, download=False)
    return response


@router.get("/{document_id}/file", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}, 206: {"description": "The byte range asked for"},
                       416: {"description": "The range starts past the end"}})
async def download(cid: str, document_id: str, request: Request, session: SessionDep, library: LibraryDep,
                   who: Member, v: VersionAsked = None) -> Response:
    """The PDF, streamed with Range support; a confidential one carries the delegate's name and code on every page."""
    opened = await readable_opening(session, cid, document_id, who, v)
    document, version, reader = opened.document, opened.version, opened.reader
    filename = f"{document.title} (bản {version.number}).pdf"
    if reader is not None and document.confidential:
        path = await library.watermarked(version, reader.delegate_id, watermark_lines(reader))
        response = ranged_response(request, size=path.stat().st_size, filename=filename, read=local_reader(path),
                                   etag=f"{version.sha256[:32]}-{reader.delegate_id}")
    else:
        key = version.storage_key
        response = ranged_response(request, size=await library.storage.size(key), etag=version.sha256[:32],
                                   filename=filename, read=lambda start, end: library.storage.read(key, start, end))
    if reader is not None:  # last: it may roll the session back (views.record_read)
        await views.record_read(session, opened, download=True)
    return response
