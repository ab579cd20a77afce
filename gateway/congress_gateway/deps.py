"""The gateway's shared state and the dependencies routes use."""
from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote

import httpx
from congress_common.auth import Principal, Role, bearer_token, decode_token, issue_service_credential
from congress_common.bus import EventBus
from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .principals import PrincipalCheck, Revoked
from .proxy import ServiceClients, unavailable_message
from .ratelimit import RateLimits
from .settings import GatewaySettings
from .stream import EventFanout

CREDENTIAL_TTL = timedelta(minutes=5)


@dataclass
class Gateway:
    settings: GatewaySettings
    bus: EventBus
    clients: ServiceClients
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    fanout: EventFanout
    limits: RateLimits
    ready: bool = False
    openapi_cache: dict | None = None
    principals: PrincipalCheck = field(init=False)
    _credentials: dict[tuple[str, str], tuple[float, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.principals = PrincipalCheck(self.sessionmaker, self.delegate_versions)

    def credential(self, service: str, scope: str) -> str:
        """The gateway's service credential for ``scope`` on ``service``, reused until a minute before it expires."""
        now = time.monotonic()
        cached = self._credentials.get((service, scope))
        if cached and cached[0] > now:
            return cached[1]
        token = issue_service_credential(self.settings.secret(), service, [scope], CREDENTIAL_TTL)
        self._credentials[(service, scope)] = (now + CREDENTIAL_TTL.total_seconds() - 60, token)
        return token

    async def internal(self, service: str, scope: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A call to ``service``'s internal route for ``scope``; 503 when the service does not answer."""
        headers = {"authorization": f"Bearer {self.credential(service, scope)}"}
        try:
            return await self.clients.clients[service].request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, unavailable_message(service)) from None

    async def delegate_versions(self, congress_id: str) -> dict[str, int]:
        """Each delegate of the congress who may log in now, with the badge version their token must carry."""
        reply = await self.internal("checkin", "delegate-status", "GET",
                                    f"/internal/congresses/{quote(congress_id, safe='')}/delegates/token-versions")
        if reply.status_code != 200:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, unavailable_message("checkin"))
        return {delegate_id: int(version) for delegate_id, version in reply.json()["versions"].items()}

    def forget_kiosk(self, device_id: str) -> None:
        self.principals.forget(f"kiosk:{device_id}")


def get_gateway(request: Request) -> Gateway:
    return request.app.state.gateway


GatewayDep = Annotated[Gateway, Depends(get_gateway)]


async def get_session(gateway: GatewayDep) -> AsyncIterator[AsyncSession]:
    async with gateway.sessionmaker() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def optional_principal(request: Request, gateway: GatewayDep) -> Principal | None:
    """The caller's principal as it stands now, if a token came with the request; 401 for a bad or revoked one."""
    token = bearer_token(request)
    if not token:
        return None
    try:
        return await gateway.principals.current(decode_token(gateway.settings.secret(), token))
    except (ValueError, Revoked) as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc), headers={"WWW-Authenticate": "Bearer"}) from None


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


async def rate_limited(request: Request, gateway: GatewayDep, principal: OptionalPrincipal) -> Principal | None:
    who = principal.sub if principal else client_ip(request)
    if not await gateway.limits.allow_api(who):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "Quá nhiều yêu cầu, vui lòng thử lại sau giây lát")
    return principal


RateLimitedPrincipal = Annotated[Principal | None, Depends(rate_limited)]


async def required_principal(principal: RateLimitedPrincipal) -> Principal:
    if principal is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Chưa đăng nhập", headers={"WWW-Authenticate": "Bearer"})
    return principal


Caller = Annotated[Principal, Depends(required_principal)]


def ensure(principal: Principal, *roles: Role, congress_id: str | None = None) -> None:
    if principal.role is not Role.admin and principal.role not in roles:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Bạn không có quyền thực hiện thao tác này")
    if congress_id is not None and not principal.can_access(congress_id):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Bạn không có quyền với đại hội này")
