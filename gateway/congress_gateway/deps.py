"""The gateway's shared state and the dependencies routes use."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated

from congress_common.auth import Principal, Role, bearer_token, decode_token
from congress_common.bus import EventBus
from congress_common.contracts import utcnow
from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .identity import KioskDevice
from .proxy import ServiceClients
from .ratelimit import RateLimits
from .settings import GatewaySettings
from .stream import EventFanout

KIOSK_CACHE_SECONDS = 10.0


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
    _kiosk_cache: dict[str, tuple[float, bool]] = field(default_factory=dict)

    async def kiosk_active(self, device_id: str) -> bool:
        now = utcnow().timestamp()
        cached = self._kiosk_cache.get(device_id)
        if cached and now - cached[0] < KIOSK_CACHE_SECONDS:
            return cached[1]
        async with self.sessionmaker() as session:
            device = await session.get(KioskDevice, device_id)
        active = device is not None and device.revoked_at is None
        self._kiosk_cache[device_id] = (now, active)
        return active

    def forget_kiosk(self, device_id: str) -> None:
        self._kiosk_cache.pop(device_id, None)


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
    """The caller's principal if a token came with the request; 401 for a bad or revoked one."""
    token = bearer_token(request)
    if not token:
        return None
    try:
        principal = decode_token(gateway.settings.secret(), token)
    except ValueError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc), headers={"WWW-Authenticate": "Bearer"}) from None
    if principal.role is Role.kiosk and not await gateway.kiosk_active(principal.sub):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Thiết bị điểm danh này đã bị thu hồi")
    return principal


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
