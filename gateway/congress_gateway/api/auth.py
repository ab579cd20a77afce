"""Login routes: staff with a password, delegates with the code and PIN on their invitation."""
from __future__ import annotations

from datetime import date, timedelta

import httpx
from congress_common.auth import CREDENTIAL_VERSION_HEADER, Principal, Role, issue_token
from fastapi import APIRouter, HTTPException, Request, status
from pydantic import BaseModel, Field, ValidationError, model_validator

from .. import identity
from ..deps import Caller, GatewayDep, SessionDep, client_ip
from ..proxy import unavailable_message
from ..ratelimit import wait_text

router = APIRouter(prefix="/api/auth", tags=["auth"])


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class DelegateTokenRequest(BaseModel):
    """The code and PIN from the invitation, or the badge's QR token (scanned by the phone camera)."""

    congress_id: str = Field(min_length=1, max_length=36)
    code: str | None = Field(default=None, min_length=1, max_length=40, title="Mã đại biểu")
    pin: str | None = Field(default=None, min_length=4, max_length=12, title="Mã PIN")
    qr: str | None = Field(default=None, min_length=8, max_length=400, title="Mã QR trên thẻ")
    device_id: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$",
                                  description="A random id the app keeps on the phone: failed attempts are "
                                              "limited per device as well as per account")

    @model_validator(mode="after")
    def _code_and_pin_or_qr(self) -> DelegateTokenRequest:
        if self.qr is None and (self.code is None or self.pin is None):
            raise ValueError("Cần nhập mã đại biểu và mã PIN, hoặc quét mã QR trên thẻ")
        return self


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    role: Role
    display_name: str
    congress_ids: list[str]
    delegate_id: str | None = None
    username: str | None = Field(default=None, description="Staff only: the account's user name")


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
    wait = await gateway.limits.retry_after("login", who)
    raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, f"{what}, vui lòng thử lại sau {wait_text(wait)}",
                        headers={"Retry-After": str(wait)})


def _token(gateway: GatewayDep, principal: Principal, ttl: timedelta) -> Token:
    return Token(access_token=issue_token(gateway.settings.secret(), principal, ttl), role=principal.role,
                 display_name=principal.name, congress_ids=principal.congress_ids, delegate_id=principal.delegate_id,
                 username=principal.sub if principal.role in (Role.admin, Role.organiser) else None)


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


LOGIN_REFUSALS = {
    "account": "Mã đại biểu này đã bị nhập sai quá nhiều lần: vui lòng thử lại sau {minutes} phút "
               "hoặc liên hệ Ban Tổ chức để được cấp lại mã PIN",
    "device": "Thiết bị này đã nhập sai quá nhiều lần: vui lòng thử lại sau {minutes} phút",
    "ip": "Có quá nhiều lần đăng nhập sai từ mạng này: vui lòng thử lại sau {minutes} phút",
}


async def _refuse(gateway: GatewayDep, kind: str, key: str) -> None:
    seconds = await gateway.limits.retry_after(kind, key)
    raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, LOGIN_REFUSALS[kind].format(minutes=-(-seconds // 60)),
                        headers={"Retry-After": str(seconds)})


def _reply_body(reply: httpx.Response) -> dict:
    """The check-in service's JSON reply, read once; ``{}`` when it is not a JSON object (a proxy's error page)."""
    try:
        found = reply.json()
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _account(body: DelegateTokenRequest, reply: httpx.Response, found: dict) -> str | None:
    """The key failed PINs count on: the code and its badge version. ``None`` for a badge QR, which carries a
    MAC and cannot be guessed (its failures count per device and network only)."""
    if body.qr is not None or body.code is None:
        return None
    raw = str(found.get("badge_version") if reply.status_code == 200
              else reply.headers.get(CREDENTIAL_VERSION_HEADER, "0"))
    return f"{body.congress_id}:{body.code.strip().upper()}:v{int(raw) if raw.isdigit() else 0}"


@router.post("/delegate", response_model=Token)
async def delegate_login(body: DelegateTokenRequest, request: Request, gateway: GatewayDep) -> Token:
    """Code + PIN (or badge QR). Failed attempts are limited per code, device and IP, so a hall behind one NAT
    address logs in, guessing one delegate's PIN is stopped, and a delegate whose code was locked by someone
    else's guesses gets in again once the organisers re-issue the badge (a new PIN, a fresh count)."""
    ip = client_ip(request)
    device = f"device:{body.device_id}" if body.device_id else f"ip-agent:{ip}:{request.headers.get('user-agent', '')[:200]}"
    if kind := await gateway.limits.delegate_login_refusal(device, ip):
        await _refuse(gateway, kind, device if kind == "device" else ip)
    reply = await gateway.internal("checkin", "delegate-login", "POST", "/internal/delegate-login",
                                   json=body.model_dump(exclude={"device_id"}, exclude_none=True))
    found = _reply_body(reply)
    account = _account(body, reply, found)
    if account is not None and await gateway.limits.account_locked(account):
        await _refuse(gateway, "account", account)  # the right PIN too: a locked code is no oracle
    if reply.status_code != 200:
        if reply.status_code in (401, 422):
            await gateway.limits.delegate_login_failed(account, device, ip)
        raise HTTPException(reply.status_code if reply.status_code < 500 else 503, found.get("detail", ""))
    principal = Principal(sub=f"delegate:{found['delegate_id']}", role=Role.delegate, name=found["full_name"],
                          congress_ids=[found["congress_id"]], delegate_id=found["delegate_id"],
                          ver=found["badge_version"])
    return _token(gateway, principal, timedelta(hours=gateway.settings.delegate_token_hours))


class OpenCongress(BaseModel):
    """A congress a delegate may log in to: its name and date, nothing more (anyone may ask)."""

    id: str
    name: str
    starts_on: date | None = None


@router.get("/congresses", response_model=list[OpenCongress])
async def open_congresses(gateway: GatewayDep) -> list[OpenCongress]:
    """The congresses not closed yet, for the delegate app opened without its invitation link's ``?c=``: one is
    used as it is, several are offered by name (a delegate knows the name, never the id)."""
    reply = await gateway.internal("checkin", "open-congresses", "GET", "/internal/open-congresses")
    if reply.status_code != 200:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, unavailable_message("checkin"))
    return [OpenCongress.model_validate(found) for found in reply.json()]


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
