"""Who is calling: people's tokens (issued and checked by the gateway) and the gateway's word to the services.

Roles: ``admin`` (everything), ``organiser`` (the congresses in
``congress_ids``), ``kiosk`` (a device of one congress, long-lived token) and
``delegate`` (one congress, logs in with the code and PIN on the invitation).

Two kinds of signed token, each with its own key derived from
``CONGRESS_SECRET_KEY`` and its own audience, so neither passes for the other:

- a **user token** (audience ``congress``) is what a person or device holds.
  Only the gateway reads it: it checks the signature, the expiry and the
  principal's current version (revocation), then calls the service with
- a **service token** (audience ``service:<name>``, one minute): either an
  *assertion* that carries the principal the gateway has just checked, or a
  *service credential* naming what the gateway may do on a service's
  internal routes (``scope``). A service accepts nothing else: a user token
  sent straight to a service in the distributed run is a 401, so no request
  gets around the gateway's revocation check; an assertion opens no internal
  route and a credential opens only the routes of its scopes.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, HTTPException, Request, Response, status
from pydantic import BaseModel

from .contracts.envelope import utcnow

ALGORITHM = "HS256"
USER_AUDIENCE = "congress"
GATEWAY = "gateway"
ASSERTION_TTL = timedelta(minutes=1)
# on a service's response: the principals it has just revoked ("delegate:<id>", comma-separated); the
# gateway drops them from its cache before answering, and never passes the header on
REVOKED_HEADER = "x-congress-revoked"
# on a refused code + PIN, from the check-in service to the gateway only: the badge version the code has now
# (0 for an unknown code), so failed attempts count per badge and re-issuing it starts a fresh count
CREDENTIAL_VERSION_HEADER = "x-congress-credential-version"


class Role(StrEnum):
    admin = "admin"
    organiser = "organiser"
    kiosk = "kiosk"
    delegate = "delegate"


class Principal(BaseModel):
    sub: str
    role: Role
    name: str = ""
    congress_ids: list[str] = []
    delegate_id: str | None = None
    token_id: str | None = None
    ver: int | None = None  # the principal's version when the token was issued (revocation)

    def can_access(self, congress_id: str) -> bool:
        return self.role is Role.admin or congress_id in self.congress_ids


def signing_key(secret: str, purpose: str) -> bytes:
    """A key for one purpose only (user tokens, service tokens...), derived from the one secret."""
    return hmac.new(secret.encode(), f"congress:{purpose}".encode(), hashlib.sha256).digest()


def service_audience(service: str) -> str:
    return f"service:{service}"


def _encode(secret: str, purpose: str, claims: dict[str, Any], ttl: timedelta) -> str:
    now = utcnow()
    claims = {**claims, "iat": int(now.timestamp()), "exp": int((now + ttl).timestamp())}
    return jwt.encode(claims, signing_key(secret, purpose), algorithm=ALGORITHM)


def _decode(secret: str, purpose: str, token: str, audience: str) -> dict[str, Any]:
    try:
        return jwt.decode(token, signing_key(secret, purpose), algorithms=[ALGORITHM], audience=audience,
                          options={"require": ["exp", "iat", "aud"]})
    except jwt.ExpiredSignatureError:
        raise ValueError("Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại") from None
    except jwt.InvalidTokenError:
        raise ValueError("Mã xác thực không hợp lệ") from None


def issue_token(secret: str, principal: Principal, ttl: timedelta) -> str:
    """A user token: what a person or a device holds."""
    claims = principal.model_dump(mode="json", exclude_none=True) | {"aud": USER_AUDIENCE}
    return _encode(secret, "user-token", claims, ttl)


def decode_token(secret: str, token: str) -> Principal:
    """The principal of a valid user token; ``ValueError`` with a Vietnamese message otherwise."""
    claims = _decode(secret, "user-token", token, USER_AUDIENCE)
    try:
        return Principal.model_validate({k: v for k, v in claims.items() if k in Principal.model_fields})
    except ValueError:
        raise ValueError("Mã xác thực không hợp lệ") from None


def issue_assertion(secret: str, principal: Principal, service: str) -> str:
    """The gateway's word to ``service`` that ``principal`` (checked just now) is calling."""
    claims = {"aud": service_audience(service), "iss": GATEWAY, "kind": "principal",
              "principal": principal.model_dump(mode="json", exclude_none=True)}
    return _encode(secret, "service-token", claims, ASSERTION_TTL)


def issue_service_credential(secret: str, service: str, scopes: list[str], ttl: timedelta = ASSERTION_TTL) -> str:
    """The gateway's own credential on ``service``'s internal routes, for ``scopes`` only."""
    claims = {"aud": service_audience(service), "iss": GATEWAY, "kind": "service", "scope": sorted(scopes)}
    return _encode(secret, "service-token", claims, ttl)


def bearer_token(request: Request) -> str | None:
    """The bearer token of a request; browsers' SSE connections pass it as ``?access_token=``."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return token.strip()
    return request.query_params.get("access_token")


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"})


def _service_claims(request: Request) -> dict[str, Any] | None:
    """The claims of the service token on a request to this service; 401 for a bad one."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        return _decode(request.app.state.secret, "service-token", token.strip(),
                       service_audience(request.app.state.service_name))
    except ValueError:
        raise _unauthorized("Mã xác thực không hợp lệ") from None


def get_principal(request: Request) -> Principal:
    """The principal the gateway vouches for (a service's routes); 401 without one."""
    claims = _service_claims(request)
    if claims is None or claims.get("kind") != "principal":
        raise _unauthorized("Chưa đăng nhập")
    try:
        return Principal.model_validate(claims.get("principal"))
    except ValueError:
        raise _unauthorized("Mã xác thực không hợp lệ") from None


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require(*roles: Role):
    """Dependency: the caller has one of ``roles`` and, for a ``{cid}`` route, access to that congress."""

    def check(request: Request, principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles and principal.role is not Role.admin:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Bạn không có quyền thực hiện thao tác này")
        cid = request.path_params.get("cid")
        if cid is not None and not principal.can_access(cid):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Bạn không có quyền với đại hội này")
        return principal

    return Depends(check)


def service_call(scope: str):
    """Dependency of an internal route: the gateway's service credential, with ``scope`` among its scopes."""

    def check(request: Request) -> str:
        claims = _service_claims(request)
        if claims is None or claims.get("kind") != "service":
            raise _unauthorized("Chỉ cổng API được gọi địa chỉ nội bộ này")
        if scope not in claims.get("scope", []):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Chứng thực dịch vụ không dùng cho thao tác này")
        return scope

    return Depends(check)


def revoked(response: Response, *keys: str) -> None:
    """Tell the gateway, on this response, that these principals' tokens stop working now."""
    response.headers[REVOKED_HEADER] = ",".join(keys)


Admin = Annotated[Principal, require(Role.admin)]
Organiser = Annotated[Principal, require(Role.organiser)]
OrganiserOrKiosk = Annotated[Principal, require(Role.organiser, Role.kiosk)]
AnyMember = Annotated[Principal, require(Role.organiser, Role.kiosk, Role.delegate)]
