"""Bearer tokens and roles, shared by the gateway (which issues them) and the services (which check them).

Roles: ``admin`` (everything), ``organiser`` (the congresses in
``congress_ids``), ``kiosk`` (a device of one congress, long-lived token) and
``delegate`` (one congress, logs in with the code and PIN on the invitation).
"""
from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request, status
from pydantic import BaseModel

from .contracts.envelope import utcnow

ALGORITHM = "HS256"


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

    def can_access(self, congress_id: str) -> bool:
        return self.role is Role.admin or congress_id in self.congress_ids


def issue_token(secret: str, principal: Principal, ttl: timedelta) -> str:
    now = utcnow()
    claims = principal.model_dump(mode="json", exclude_none=True)
    claims.update(iat=int(now.timestamp()), exp=int((now + ttl).timestamp()))
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_token(secret: str, token: str) -> Principal:
    """The principal of a valid token; ``ValueError`` with a Vietnamese message otherwise."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM])
    except jwt.ExpiredSignatureError:
        raise ValueError("Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại") from None
    except jwt.InvalidTokenError:
        raise ValueError("Mã xác thực không hợp lệ") from None
    return Principal.model_validate(claims)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return token.strip()
    return request.query_params.get("access_token")


def get_principal(request: Request) -> Principal:
    token = bearer_token(request)
    if not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Chưa đăng nhập", headers={"WWW-Authenticate": "Bearer"})
    try:
        return decode_token(request.app.state.secret, token)
    except ValueError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc), headers={"WWW-Authenticate": "Bearer"}) from None


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


Admin = Annotated[Principal, require(Role.admin)]
Organiser = Annotated[Principal, require(Role.organiser)]
OrganiserOrKiosk = Annotated[Principal, require(Role.organiser, Role.kiosk)]
AnyMember = Annotated[Principal, require(Role.organiser, Role.kiosk, Role.delegate)]
