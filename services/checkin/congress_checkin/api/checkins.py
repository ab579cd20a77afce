"""Check-in and attendance routes (desk, QR badge; face check-in is in ``face_checkins``)."""
from __future__ import annotations

from typing import Annotated

from congress_common.auth import AnyMember, Organiser, OrganiserOrKiosk, Role
from congress_common.contracts import CheckInMethod
from congress_common.errors import Forbidden
from congress_common.runtime import SessionDep, UowDep
from fastapi import APIRouter, Query, Request, Response, status

from .. import handlers, idempotency, views
from ..congress_handlers import get_session
from ..seats import published_seat
from .schemas import AttendancePublic, CheckInCreate, CheckInPublic, RevokeRequest

router = APIRouter(prefix="/api/congresses/{cid}", tags=["check-in"])


@router.post("/checkins", response_model=CheckInPublic, status_code=status.HTTP_201_CREATED,
             responses={200: {"model": CheckInPublic, "description": "Already checked in: the existing check-in"}})
async def check_in(cid: str, body: CheckInCreate, request: Request, response: Response, uow: UowDep,
                   who: OrganiserOrKiosk) -> CheckInPublic:
    actor = f"{who.role}:{who.sub}"
    if body.idempotency_key and (first := await idempotency.remembered(uow.session, cid, body.idempotency_key)):
        response.status_code = status.HTTP_200_OK
        return views.checkin_public(first, already=True, seat=await published_seat(uow.session, cid, first.delegate_id))
    if body.qr is not None:
        checkin, created = await handlers.check_in_by_qr(uow, request.app.state.secret, cid, body.qr, actor)
    elif who.role is Role.kiosk:
        raise Forbidden("Thiết bị điểm danh chỉ điểm danh bằng mã QR hoặc khuôn mặt")
    else:
        checkin, created = await handlers.check_in(uow, cid, body.delegate_id, CheckInMethod.desk, actor)
    if body.idempotency_key:
        checkin = await idempotency.remember(uow, cid, body.idempotency_key, checkin)
    if not created:
        response.status_code = status.HTTP_200_OK
    seat = await published_seat(uow.session, cid, checkin.delegate_id)
    return views.checkin_public(checkin, already=not created, seat=seat)


@router.get("/checkins", response_model=list[CheckInPublic])
async def recent_checkins(cid: str, session: SessionDep, _org: Organiser,
                          limit: Annotated[int, Query(ge=1, le=500)] = 20) -> list[CheckInPublic]:
    return await views.recent_checkins(session, cid, limit)


@router.post("/checkins/{checkin_id}/revoke", response_model=CheckInPublic)
async def revoke_checkin(cid: str, checkin_id: str, body: RevokeRequest, uow: UowDep, org: Organiser) -> CheckInPublic:
    checkin = await handlers.revoke_checkin(uow, cid, checkin_id, body.reason, f"{org.role}:{org.sub}")
    return views.checkin_public(checkin)


@router.get("/attendance", response_model=AttendancePublic)
async def attendance(cid: str, session: SessionDep, _member: AnyMember,
                     session_id: Annotated[str | None, Query(max_length=36)] = None) -> AttendancePublic:
    """Attendance of one session (the current one by default) against the congress's quorum rule."""
    congress = await handlers.get_congress(session, cid)
    sitting = await get_session(session, cid, session_id) if session_id else congress.current_session
    return views.attendance_public(await views.attendance(session, congress, session_id), congress, sitting)
