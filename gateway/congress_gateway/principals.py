"""Is the principal of a valid token still what the token says? Checked on every request, cached briefly.

A token is signed and unexpired, but the access it stands for can be taken
away before it expires. Each principal has a current state kept where it
lives, and the token carries the version it was issued at (``ver``):

- staff (admin, organiser): the account in the gateway's store, active, with
  ``token_version`` equal to the token's (a new password, a deactivation or a
  congress taken away bumps it); the congresses come from the account now,
  not from the token, so a congress given today works at once;
- kiosk: the device not revoked;
- delegate: the check-in service's ``badge_version`` of that delegate (a
  re-issued badge bumps it; a removed delegate has none), asked on its
  internal route with the gateway's service credential, for the whole
  congress at once: a hall of phones opening the same page costs one call,
  however many ask together.

Answers are cached for ``CACHE_SECONDS`` per principal; every change the
gateway makes or hears of (the check-in service names the delegates it
revoked in a response header) drops the entry at once, so the next request
already sees it. Several gateway instances see each other's changes within
``CACHE_SECONDS``.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from congress_common.auth import Principal, Role
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .identity import KioskDevice, User

CACHE_SECONDS = 5.0
DelegateVersions = Callable[[str], Awaitable[dict[str, int]]]


class Revoked(Exception):
    """The token is valid but its principal's access is gone."""


@dataclass
class _Staff:
    role: str
    version: int
    congress_ids: list[str]
    name: str


@dataclass
class PrincipalCheck:
    sessionmaker: async_sessionmaker[AsyncSession]
    delegate_versions: DelegateVersions  # congress_id -> {delegate_id: badge version} of those who may log in
    _cache: dict[str, tuple[float, object]] = field(default_factory=dict)
    _loading: dict[str, asyncio.Future[dict[str, int]]] = field(default_factory=dict)
    _forgets: int = 0  # a load that started before a ``forget`` must not put back what it dropped

    async def current(self, principal: Principal) -> Principal:
        """The principal as it stands now; ``Revoked`` when its access is gone."""
        if principal.role is Role.kiosk:
            if not await self._cached(f"kiosk:{principal.sub}", lambda: self._kiosk_active(principal.sub)):
                raise Revoked("Thiết bị điểm danh này đã bị thu hồi")
            return principal
        if principal.role is Role.delegate:
            cid = principal.congress_ids[0] if principal.congress_ids else ""
            version = await self._delegate_version(cid, principal.delegate_id or "")
            if version is None or version != principal.ver:
                raise Revoked("Mã đăng nhập của đại biểu đã được cấp lại hoặc không còn hiệu lực")
            return principal
        staff = await self._cached(f"user:{principal.sub}", lambda: self._staff(principal.sub))
        if not isinstance(staff, _Staff) or staff.version != principal.ver or staff.role != principal.role.value:
            raise Revoked("Phiên đăng nhập không còn hiệu lực, vui lòng đăng nhập lại")
        return principal.model_copy(update={"congress_ids": staff.congress_ids, "name": staff.name})

    def forget(self, key: str) -> None:
        """Drop the cached state of ``key`` (``user:<username>``, ``kiosk:<id>``, ``delegate:<id>``)."""
        self._cache.pop(key, None)
        self._forgets += 1

    async def _cached(self, key: str, load: Callable[[], Awaitable[object]]):
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]
        value = await load()
        self._cache[key] = (now, value)
        return value

    async def _delegate_version(self, congress_id: str, delegate_id: str) -> int | None:
        key = f"delegate:{delegate_id}"
        hit = self._cache.get(key)
        if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
            return hit[1]  # an int, or None for a delegate without access
        version = (await self._congress_versions(congress_id)).get(delegate_id)
        if version is None:  # gone: remembered too, so a revoked phone's retries do not refetch the hall
            self._cache[key] = (time.monotonic(), None)
        return version

    async def _congress_versions(self, congress_id: str) -> dict[str, int]:
        """The congress's table, fetched by the first caller; those who ask meanwhile wait for the same answer."""
        loading = self._loading.get(congress_id)
        if loading is None:
            loading = asyncio.ensure_future(self._load_versions(congress_id))
            self._loading[congress_id] = loading
            loading.add_done_callback(lambda done: self._loaded(congress_id, done))
        return await asyncio.shield(loading)  # one caller giving up does not cancel the others' answer

    def _loaded(self, congress_id: str, done: asyncio.Future[dict[str, int]]) -> None:
        self._loading.pop(congress_id, None)
        if not done.cancelled():
            done.exception()  # each waiter has it; marked seen even when every waiter gave up

    async def _load_versions(self, congress_id: str) -> dict[str, int]:
        forgets = self._forgets
        versions = await self.delegate_versions(congress_id)
        if forgets == self._forgets:
            now = time.monotonic()
            self._cache.update((f"delegate:{delegate_id}", (now, version)) for delegate_id, version in versions.items())
        return versions

    async def _kiosk_active(self, device_id: str) -> bool:
        async with self.sessionmaker() as session:
            device = await session.get(KioskDevice, device_id)
        return device is not None and device.revoked_at is None

    async def _staff(self, username: str) -> _Staff | None:
        async with self.sessionmaker() as session:
            user = await session.scalar(select(User).where(User.username == username))
        if user is None or not user.active:
            return None
        return _Staff(role=user.role, version=user.token_version, congress_ids=list(user.congress_ids),
                      name=user.full_name)
