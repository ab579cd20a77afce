"""Routes only the gateway calls, each with its service credential for that route's scope; never proxied."""
from __future__ import annotations

from congress_common.auth import CREDENTIAL_VERSION_HEADER, service_call
from congress_common.errors import DomainError, Forbidden
from congress_common.runtime import SessionDep
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import func, select

from .. import handlers, views
from ..adapters.orm import Delegate
from ..domain.badges import pin_matches
from .schemas import DelegateIdentity, DelegateLogin, OpenCongress, TokenVersions

router = APIRouter(prefix="/internal", tags=["internal"], include_in_schema=False)


class BadCredentials(DomainError):
    status_code = 401


@router.post("/delegate-login", response_model=DelegateIdentity, dependencies=[service_call("delegate-login")])
async def delegate_login(body: DelegateLogin, request: Request, session: SessionDep) -> DelegateIdentity | JSONResponse:
    secret = request.app.state.secret
    if body.qr is not None:
        try:
            delegate = await handlers.delegate_by_badge(session, secret, body.congress_id, body.qr)
        except DomainError:
            raise BadCredentials("Mã QR không hợp lệ, đã bị thay thế hoặc không thuộc đại hội này") from None
    else:
        delegate = await session.scalar(select(Delegate).where(
            Delegate.congress_id == body.congress_id, func.upper(Delegate.code) == (body.code or "").strip().upper(),
            Delegate.removed_at.is_(None)))
        if delegate is None or not pin_matches(secret, body.congress_id, delegate.id, delegate.badge_version,
                                               body.pin or ""):
            version = delegate.badge_version if delegate is not None else 0
            return JSONResponse({"detail": "Mã đại biểu hoặc mã PIN không đúng"}, status_code=401,
                                headers={CREDENTIAL_VERSION_HEADER: str(version)})
    if delegate.withdrawn_at is not None:
        raise Forbidden("Đại biểu đã rút khỏi đại hội nên không đăng nhập được; liên hệ Ban Tổ chức nếu có nhầm lẫn")
    return DelegateIdentity(delegate_id=delegate.id, congress_id=delegate.congress_id, full_name=delegate.full_name,
                            badge_version=delegate.badge_version)


@router.get("/open-congresses", response_model=list[OpenCongress], dependencies=[service_call("open-congresses")])
async def open_congresses(session: SessionDep) -> list[OpenCongress]:
    """For the delegate app's login when its link carries no congress: the ones not closed."""
    return [OpenCongress.model_validate(row) for row in await views.open_congresses(session)]


@router.get("/congresses/{cid}/delegates/token-versions", response_model=TokenVersions,
            dependencies=[service_call("delegate-status")])
async def delegate_token_versions(cid: str, session: SessionDep) -> TokenVersions:
    """The version each delegate's token must carry to be valid now, for the whole congress at once (the gateway
    checks a hall of phones with one call, not one per delegate); a delegate without access is not listed."""
    return TokenVersions(versions=await views.delegate_token_versions(session, cid))
