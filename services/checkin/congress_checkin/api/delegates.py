"""Roster routes: delegates, delegations, Excel import/export, badges."""
from __future__ import annotations

from typing import Annotated

import zxingcpp
from congress_common.auth import AnyMember, Organiser, revoked
from congress_common.contracts import DelegateKind
from congress_common.errors import Forbidden, NotFound
from congress_common.runtime import SessionDep, UowDep
from fastapi import APIRouter, Query, Request, Response, status

from .. import congress_handlers, handlers, views
from ..domain.badges import badge_token, invitation_pin
from ..domain.limits import MAX_PAGE_OFFSET
from .schemas import (
    AbsenceNoteCreate,
    AbsenceNotePublic,
    DelegateCreate,
    DelegateCredentials,
    DelegatePage,
    DelegatePublic,
    DelegateUpdate,
    DelegationPublic,
    WithdrawRequest,
)

router = APIRouter(prefix="/api/congresses/{cid}", tags=["delegates"])


@router.get("/delegates", response_model=DelegatePage)
async def list_delegates(cid: str, session: SessionDep, _org: Organiser, q: str | None = None,
                         kind: DelegateKind | None = None, delegation_id: str | None = None,
                         limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                         offset: Annotated[int, Query(ge=0, le=MAX_PAGE_OFFSET)] = 0) -> DelegatePage:
    return await views.list_delegates(session, cid, q=q, kind=kind, delegation_id=delegation_id,
                                      limit=limit, offset=offset)


ConfirmDuplicate = Annotated[bool, Query(title="Xác nhận trùng tên",
                                         description="Save although the delegation has someone with this name")]
DUPLICATE = {409: {"description": "The delegation already has someone with this name (errors[0].duplicate_of)"}}


@router.post("/delegates", response_model=DelegatePublic, status_code=status.HTTP_201_CREATED, responses=DUPLICATE)
async def create_delegate(cid: str, body: DelegateCreate, uow: UowDep, _org: Organiser,
                          confirm_duplicate: ConfirmDuplicate = False) -> DelegatePublic:
    delegate = await handlers.register_delegate(uow, cid, body.model_dump(), allow_duplicate=confirm_duplicate)
    return views.delegate_public(delegate, None)


@router.get("/delegations", response_model=list[DelegationPublic])
async def list_delegations(cid: str, session: SessionDep, _org: Organiser) -> list[DelegationPublic]:
    return await views.list_delegations(session, cid)


@router.get("/me", response_model=DelegatePublic)
async def my_profile(cid: str, session: SessionDep, member: AnyMember) -> DelegatePublic:
    if member.delegate_id is None:
        raise Forbidden("Chỉ đại biểu mới có hồ sơ đại biểu")
    return await _delegate_or_404(session, cid, member.delegate_id)


@router.get("/delegates/{delegate_id}", response_model=DelegatePublic)
async def get_delegate(cid: str, delegate_id: str, session: SessionDep, _org: Organiser) -> DelegatePublic:
    return await _delegate_or_404(session, cid, delegate_id)


@router.patch("/delegates/{delegate_id}", response_model=DelegatePublic, responses=DUPLICATE)
async def update_delegate(cid: str, delegate_id: str, body: DelegateUpdate, uow: UowDep, _org: Organiser,
                          confirm_duplicate: ConfirmDuplicate = False) -> DelegatePublic:
    await handlers.update_delegate(uow, cid, delegate_id, body.model_dump(exclude_unset=True),
                                   allow_duplicate=confirm_duplicate)
    return await _delegate_or_404(uow.session, cid, delegate_id)


@router.delete("/delegates/{delegate_id}", status_code=status.HTTP_204_NO_CONTENT, responses={
    409: {"description": "The delegate has checked in: withdraw them instead (errors[0].withdraw_instead)"}})
async def remove_delegate(cid: str, delegate_id: str, uow: UowDep, _org: Organiser) -> Response:
    await handlers.remove_delegate(uow, cid, delegate_id)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    revoked(response, f"delegate:{delegate_id}")
    return response


@router.post("/delegates/{delegate_id}/withdraw", response_model=DelegatePublic)
async def withdraw_delegate(cid: str, delegate_id: str, body: WithdrawRequest, response: Response, uow: UowDep,
                            org: Organiser) -> DelegatePublic:
    """Withdrawn: kept in the records, out of the quorum, and their tokens stop working."""
    await handlers.withdraw_delegate(uow, cid, delegate_id, body.reason, f"{org.role}:{org.sub}")
    revoked(response, f"delegate:{delegate_id}")
    return await _delegate_or_404(uow.session, cid, delegate_id)


@router.post("/delegates/{delegate_id}/reinstate", response_model=DelegatePublic)
async def reinstate_delegate(cid: str, delegate_id: str, response: Response, uow: UowDep,
                             _org: Organiser) -> DelegatePublic:
    await handlers.reinstate_delegate(uow, cid, delegate_id)
    revoked(response, f"delegate:{delegate_id}")  # their state changed: the gateway looks it up again
    return await _delegate_or_404(uow.session, cid, delegate_id)


@router.put("/delegates/{delegate_id}/absence", response_model=AbsenceNotePublic)
async def note_absence(cid: str, delegate_id: str, body: AbsenceNoteCreate, uow: UowDep, org: Organiser):
    """Why the delegate is absent from a session (the current one by default), for the credentials report."""
    return await congress_handlers.note_absence(uow, cid, delegate_id, body.reason, f"{org.role}:{org.sub}",
                                                body.session_id)


@router.delete("/delegates/{delegate_id}/absence", status_code=status.HTTP_204_NO_CONTENT)
async def clear_absence(cid: str, delegate_id: str, uow: UowDep, _org: Organiser,
                        session_id: Annotated[str | None, Query(max_length=36)] = None) -> Response:
    await congress_handlers.clear_absence(uow, cid, delegate_id, session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/delegates/{delegate_id}/credentials", response_model=DelegateCredentials)
async def credentials(cid: str, delegate_id: str, request: Request, session: SessionDep, _org: Organiser) -> DelegateCredentials:
    delegate = await handlers.get_delegate(session, cid, delegate_id)
    secret = request.app.state.secret
    return DelegateCredentials(delegate_id=delegate.id, code=delegate.code,
                               pin=invitation_pin(secret, cid, delegate.id, delegate.badge_version),
                               qr=badge_token(secret, cid, delegate.id, delegate.badge_version))


@router.get("/delegates/{delegate_id}/badge.svg", response_class=Response)
async def badge_svg(cid: str, delegate_id: str, request: Request, session: SessionDep, _org: Organiser) -> Response:
    delegate = await handlers.get_delegate(session, cid, delegate_id)
    token = badge_token(request.app.state.secret, cid, delegate.id, delegate.badge_version)
    svg = zxingcpp.create_barcode(token, zxingcpp.BarcodeFormat.QRCode, ec_level="M").to_svg(scale=4)
    return Response(svg, media_type="image/svg+xml")


@router.post("/delegates/{delegate_id}/badge/reissue", response_model=DelegateCredentials)
async def reissue_badge(cid: str, delegate_id: str, request: Request, response: Response, uow: UowDep,
                        org: Organiser) -> DelegateCredentials:
    """A new QR and PIN; the old badge and the delegate's tokens stop working."""
    await handlers.reissue_badge(uow, cid, delegate_id)
    revoked(response, f"delegate:{delegate_id}")
    return await credentials(cid, delegate_id, request, uow.session, org)


async def _delegate_or_404(session: SessionDep, cid: str, delegate_id: str) -> DelegatePublic:
    found = await views.delegate_with_checkin(session, cid, delegate_id)
    if found is None:
        raise NotFound("Không tìm thấy đại biểu")
    return found

