"""Login routes: staff with a password, delegates with the code and PIN on their invitation."""
from __future__ import annotations

from datetime import timedelta

from congress_common.auth import Principal, Role, issue_token
from fastapi import APIRouter, HTTPException, Request, status
from pydantic import BaseModel, Field, ValidationError

from .. import identity
from ..deps import Caller, GatewayDep, SessionDep, client_ip
from ..ratelimit import wait_text

router = APIRouter(prefix="/api/auth", tags=["auth"])


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class DelegateTokenRequest(BaseModel):
    congress_id: str = Field(min_length=1, max_length=36)
    code: str = Field(min_length=1, max_length=40)
    pin: str = Field(min_length=4, max_length=12)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    role: Role
    display_name: str
    congress_ids: list[str]
    delegate_id: str | None = None


async def _read_credentials(request: Request) -> TokenRequest:
    try:
        if request.headers.get("content-type", "").startswith("application/json"):
            return TokenRequest.model_validate(await request.json())
        form = await request.form()
        return TokenRequest(username=str(form.get("username", "")), password=str(form.get("password", "")))
    except (ValidationError, ValueError):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "Cần nhập tên đăng nhập và mật khẩu") from None


async def _login_allowed(gateway: GatewayDep, who: str, what: str) -> None:
    """429 saying how long to wait (and ``Retry-After``) once ``who`` has tried too often."""
    if await gateway.limits.allow_login(who):
        return
    wait = await gateway.limits.login_wait_seconds(who)
    raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, f"{what}, vui lòng thử lại sau {wait_text(wait)}",
                        headers={"Retry-After": str(wait)})


def _token(gateway: GatewayDep, principal: Principal, ttl: timedelta) -> Token:
    return Token(access_token=issue_token(gateway.settings.secret(), principal, ttl), role=principal.role,
                 display_name=principal.name, congress_ids=principal.congress_ids, delegate_id=principal.delegate_id)


@router.post("/token", response_model=Token, openapi_extra={"requestBody": {"content": {
    "application/json": {"schema": TokenRequest.model_json_schema()},
    "application/x-www-form-urlencoded": {"schema": TokenRequest.model_json_schema()}}}})
async def login(request: Request, gateway: GatewayDep, session: SessionDep) -> Token:
    body = await _read_credentials(request)
    await _login_allowed(gateway, f"{client_ip(request)}:{body.username.lower()}", "Đăng nhập sai quá nhiều lần")
    user = await identity.authenticate(session, body.username, body.password)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Tên đăng nhập hoặc mật khẩu không đúng")
    principal = Principal(sub=user.username, role=Role(user.role), name=user.full_name, congress_ids=user.congress_ids,
                          ver=user.token_version)
    return _token(gateway, principal, timedelta(hours=gateway.settings.staff_token_hours))


@router.post("/delegate", response_model=Token)
async def delegate_login(body: DelegateTokenRequest, request: Request, gateway: GatewayDep) -> Token:
    await _login_allowed(gateway, f"{client_ip(request)}:{body.congress_id}:{body.code.upper()}", "Nhập sai quá nhiều lần")
    reply = await gateway.internal("checkin", "delegate-login", "POST", "/internal/delegate-login",
                                   json=body.model_dump())
    if reply.status_code != 200:
        raise HTTPException(reply.status_code if reply.status_code < 500 else 503, reply.json().get("detail", ""))
    found = reply.json()
    principal = Principal(sub=f"delegate:{found['delegate_id']}", role=Role.delegate, name=found["full_name"],
                          congress_ids=[found["congress_id"]], delegate_id=found["delegate_id"],
                          ver=found["badge_version"])
    return _token(gateway, principal, timedelta(hours=gateway.settings.delegate_token_hours))


class Me(BaseModel):
    username: str
    role: Role
    display_name: str
    congress_ids: list[str]
    delegate_id: str | None = None


@router.get("/me", response_model=Me)
async def me(principal: Caller) -> Me:
    return Me(username=principal.sub, role=principal.role, display_name=principal.name,
              congress_ids=principal.congress_ids, delegate_id=principal.delegate_id)
