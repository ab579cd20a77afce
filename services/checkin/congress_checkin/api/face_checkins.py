"""Check-in by face at a kiosk, and the kiosk's "Không phải tôi" (not me) undo."""
from __future__ import annotations

from datetime import UTC
from typing import Annotated

from congress_common.auth import OrganiserOrKiosk
from congress_common.contracts import utcnow
from congress_common.errors import Invalid, NotFound
from congress_common.runtime import UowDep
from fastapi import APIRouter, File, Form, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse

from .. import handlers, idempotency, views
from ..adapters.orm import CheckIn
from ..domain.faces.decision import BurstDecision, FaceOutcome
from ..domain.faces.liveness import CHALLENGE_PROMPTS, Challenge
from ..face_checkin import FaceAttempt, FaceResult
from ..seats import published_seat
from .face_schemas import FaceCheckInResult, FaceDelegate
from .faces import actor_of, faces_of, read_limited
from .schemas import CheckInPublic

router = APIRouter(prefix="/api/congresses/{cid}", tags=["check-in"])
NOT_ME_REASON = "Không phải tôi (bấm tại ki-ốt điểm danh)"


def check_size(request: Request) -> None:
    """Refuse an oversized body from its declared length, before parsing any part of it."""
    settings = request.app.state.runtime.settings
    limit = settings.face_max_frames * settings.face_max_frame_bytes + 2 * settings.face_max_frame_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Invalid(f"Yêu cầu quá lớn (tối đa {limit // (1024 * 1024)} MB)")


Frames = Annotated[list[UploadFile], File(description="A burst of 3-8 JPEG frames from the kiosk camera")]


@router.post("/checkins/face", response_model=FaceCheckInResult, status_code=status.HTTP_200_OK,
             responses={201: {"model": FaceCheckInResult, "description": "Checked in"},
                        422: {"model": FaceCheckInResult, "description": "bad_image: a frame is not a usable JPEG"}})
async def check_in_by_face(cid: str, request: Request, response: Response, uow: UowDep, who: OrganiserOrKiosk,
                           image: Frames = (), qr: Annotated[str | None, Form(max_length=500)] = None,
                           challenge: Annotated[Challenge | None, Form()] = None,
                           badge: Annotated[bool, Form(description="Read the badge QR from the frames first")] = False,
                           queued: Annotated[bool, Form(description="From the kiosk's offline queue: badge only")] = False,
                           idempotency_key: Annotated[str | None, Form(min_length=8, max_length=64,
                                                                       pattern=r"^[A-Za-z0-9_\-]+$")] = None,
                           ) -> FaceCheckInResult | JSONResponse:
    check_size(request)
    if idempotency_key and (first := await idempotency.remembered(uow.session, cid, idempotency_key)):
        return await _public(uow, cid, FaceResult(BurstDecision(FaceOutcome.already_checked_in, "replayed",
                                                                first.delegate_id), first, first.delegate))
    settings = request.app.state.runtime.settings
    if not image and not qr:
        raise Invalid("Cần ít nhất một khung hình (trường image)")
    if len(image) > settings.face_max_frames:
        raise Invalid(f"Quá nhiều khung hình: {len(image)} (tối đa {settings.face_max_frames} mỗi lần)")
    frames = [await read_limited(f, settings.face_max_frame_bytes, "Khung hình") for f in image]
    faces = faces_of(request)
    result = await faces.check_in(uow, request.app.state.secret, cid, FaceAttempt(
        frames=frames, actor=actor_of(who), device=who.sub, qr=qr, challenge=challenge, badge=badge, queued=queued))
    if idempotency_key and result.checkin is not None:
        await idempotency.remember(uow, cid, idempotency_key, result.checkin)
    body = await _public(uow, cid, result)
    if result.decision.outcome is FaceOutcome.bad_image:
        return JSONResponse({"detail": body.message, **body.model_dump(mode="json")}, status_code=422)
    if result.decision.outcome is FaceOutcome.checked_in:
        response.status_code = status.HTTP_201_CREATED
    return body


async def _public(uow: UowDep, cid: str, result: FaceResult) -> FaceCheckInResult:
    decision = result.decision
    body = FaceCheckInResult(outcome=decision.outcome, message=decision.message, challenge=decision.challenge,
                             challenge_prompt=CHALLENGE_PROMPTS.get(decision.challenge) if decision.challenge else None,
                             qr=result.qr)
    if result.checkin is not None and result.delegate is not None:
        delegate = result.delegate
        body.delegate = FaceDelegate(id=delegate.id, code=delegate.code, full_name=delegate.full_name,
                                     delegation_name=delegate.delegation.name, kind=delegate.kind)
        body.seat = await published_seat(uow.session, cid, delegate.id)
        body.checkin_id, body.method = result.checkin.id, result.checkin.method
        body.checked_in_at = result.checkin.checked_in_at
        body.message = body.message or ("Đã điểm danh trước đó" if decision.outcome is FaceOutcome.already_checked_in
                                        else "Điểm danh thành công")
    return body


@router.post("/checkins/{checkin_id}/not-me", response_model=CheckInPublic)
async def not_me(cid: str, checkin_id: str, request: Request, uow: UowDep, who: OrganiserOrKiosk) -> CheckInPublic:
    """"Không phải tôi": the person at the kiosk says the face check-in just shown is not them; undone at once."""
    checkin = await uow.session.get(CheckIn, checkin_id)
    faces = faces_of(request)
    if checkin is None or checkin.congress_id != cid:
        raise NotFound("Không tìm thấy lượt điểm danh")
    if checkin.method not in ("face", "qr_face") or checkin.actor != actor_of(who):
        raise Invalid("Chỉ hủy được lượt điểm danh bằng khuôn mặt vừa thực hiện tại thiết bị này")
    at = checkin.checked_in_at if checkin.checked_in_at.tzinfo else checkin.checked_in_at.replace(tzinfo=UTC)
    age = (utcnow() - at).total_seconds()
    if age > request.app.state.runtime.settings.face_not_me_seconds and checkin.revoked_at is None:
        raise Invalid("Đã quá thời gian hủy tại ki-ốt; hãy đến bàn đón tiếp")
    faces.said_not_me(cid, checkin.delegate_id)
    revoked = await handlers.revoke_checkin(uow, cid, checkin_id, NOT_ME_REASON, actor_of(who))
    return views.checkin_public(revoked)
