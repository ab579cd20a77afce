"""Dependencies of the documents routes: the files side, members of the congress (404 for anyone else)."""
from __future__ import annotations

from typing import Annotated

from congress_common.auth import CurrentPrincipal, Principal, Role
from congress_common.errors import Forbidden, Invalid, NotFound
from congress_common.runtime import SessionDep
from fastapi import Depends, Request

from .. import handlers, views
from ..adapters.orm import Document
from ..domain.rules import Reader
from ..files import Library


def get_library(request: Request) -> Library:
    return request.app.state.library


LibraryDep = Annotated[Library, Depends(get_library)]


def _member(request: Request, principal: CurrentPrincipal) -> Principal:
    """Staff of this congress or one of its delegates; someone of another congress learns nothing (404)."""
    cid = request.path_params["cid"]
    if not principal.can_access(cid):
        raise NotFound("Không tìm thấy tài liệu")
    if principal.role is Role.kiosk:
        raise Forbidden("Thiết bị điểm danh không đọc tài liệu")
    return principal


def _member_or_kiosk(request: Request, principal: CurrentPrincipal) -> Principal:
    if not principal.can_access(request.path_params["cid"]):
        raise NotFound("Không tìm thấy đại hội")
    return principal


Member = Annotated[Principal, Depends(_member)]
Attendee = Annotated[Principal, Depends(_member_or_kiosk)]


def is_staff(principal: Principal) -> bool:
    return principal.role in (Role.admin, Role.organiser)


async def reader_of(session, cid: str, principal: Principal) -> Reader | None:
    """The delegate as the roster read model knows them; ``None`` for staff (who see everything)."""
    if is_staff(principal):
        return None
    found = await views.reader(session, cid, principal.delegate_id or "")
    if found is None:
        raise NotFound("Không tìm thấy tài liệu")
    return found


async def readable_document(session: SessionDep, cid: str, document_id: str,
                            principal: Principal) -> tuple[Document, Reader | None]:
    """The document if this caller may read it; 404 otherwise (unreleased, withdrawn, not for them, not there)."""
    document = await handlers.get_document(session, cid, document_id)
    who = await reader_of(session, cid, principal)
    if who is not None and not views.readable_by(document, who):
        raise NotFound("Không tìm thấy tài liệu")
    return document, who


async def readable_opening(session: SessionDep, cid: str, document_id: str, principal: Principal,
                           number: int | None) -> views.Opening:
    """``readable_document`` and the version asked for (the latest by default) for a page or a download, in one
    query: the same 404s, and a clear 422 for a version the document does not have."""
    staff = is_staff(principal)
    found = await views.opening(session, cid, document_id, number, None if staff else principal.delegate_id or "")
    if found is None or (not staff and (found.reader is None or not views.readable_by(found.document, found.reader))):
        raise NotFound("Không tìm thấy tài liệu")
    if found.version is None:
        raise Invalid(f"Tài liệu không có bản {number} (bản mới nhất là bản {found.document.current_version})")
    return found
