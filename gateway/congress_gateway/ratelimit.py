"""Request rate limits (the ``limits`` library): in memory embedded, in Redis when distributed.

Delegate logins (code + PIN) are limited per account and per device, not only
per IP: a whole hall logs in through one Wi-Fi NAT address, so the address
only caps failures, generously, while one account accepts few attempts from
anywhere and one device few failures whatever accounts it tries.

While Redis is away the limits are counted in this process's memory instead
(logged once per outage): requests keep flowing, still limited per gateway.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter, RateLimiter, SlidingWindowCounterRateLimiter
from limits.errors import StorageError
from redis.exceptions import RedisError

log = structlog.get_logger(__name__)


class FallbackLimiter:
    """A ``strategy`` limiter on ``storage`` that counts in memory while the storage is unreachable."""

    def __init__(self, storage: Storage, strategy: type[RateLimiter] = MovingWindowRateLimiter) -> None:
        self.primary = strategy(storage)
        self.fallback = strategy(MemoryStorage())
        self.falling_back = False

    async def _call(self, method: str, *args: Any) -> Any:
        try:
            result = await getattr(self.primary, method)(*args)
        except (RedisError, OSError, StorageError) as exc:
            if not self.falling_back:
                log.warning("ratelimit.storage_unavailable", error=f"{type(exc).__name__}: {exc}")
            self.falling_back = True
            return await getattr(self.fallback, method)(*args)
        if self.falling_back:
            log.info("ratelimit.storage_back")
            self.falling_back = False
        return result

    async def hit(self, item: RateLimitItem, *keys: str) -> bool:
        return await self._call("hit", item, *keys)

    async def test(self, item: RateLimitItem, *keys: str) -> bool:
        return await self._call("test", item, *keys)

    async def get_window_stats(self, item: RateLimitItem, *keys: str) -> Any:
        return await self._call("get_window_stats", item, *keys)


@dataclass(frozen=True)
class DelegateLoginLimits:
    """Failed attempts only: ``per_account`` on one delegate code and badge version (re-issuing the badge, which
    changes the PIN, starts a fresh count), ``per_device`` from one phone, ``per_ip`` from one network."""

    per_account: str = "10/15 minutes"
    per_device: str = "10/15 minutes"
    per_ip: str = "300/15 minutes"


class RateLimits:
    """Logins on a moving window (exact counts, and the time until the oldest attempt leaves it); every other
    request on a sliding-window counter: two counters per caller. A moving window keeps one timestamp per
    request and the in-memory store sweeps them all, one thread hop per caller, after every hit: with a hall of
    1,100 delegates that sweep cost the gateway more than the requests it limited."""

    def __init__(self, storage: Storage, *, api: str, login: str,
                 delegate: DelegateLoginLimits = DelegateLoginLimits()) -> None:
        self.logins = FallbackLimiter(storage)
        self.requests = FallbackLimiter(storage, SlidingWindowCounterRateLimiter)
        self.api, self.login = parse(api), parse(login)
        self.delegate_account, self.delegate_device = parse(delegate.per_account), parse(delegate.per_device)
        self.delegate_ip = parse(delegate.per_ip)

    @classmethod
    def create(cls, redis_url: str | None, *, api: str, login: str,
               delegate: DelegateLoginLimits = DelegateLoginLimits()) -> RateLimits:
        storage: Storage = (RedisStorage(f"async+{redis_url}", implementation="redispy", key_prefix="congress-limits")
                            if redis_url else MemoryStorage())
        return cls(storage, api=api, login=login, delegate=delegate)

    async def allow_api(self, who: str) -> bool:
        return await self.requests.hit(self.api, "api", who)

    async def allow_login(self, who: str) -> bool:
        return await self.logins.hit(self.login, "login", who)

    async def delegate_login_refusal(self, device: str, ip: str) -> str | None:
        """Why this device or network may not try now (``None``: go ahead): too many failures from it."""
        if not await self.logins.test(self.delegate_device, "delegate-device", device):
            return "device"
        if not await self.logins.test(self.delegate_ip, "delegate-ip", ip):
            return "ip"
        return None

    async def account_locked(self, account: str) -> bool:
        return not await self.logins.test(self.delegate_account, "delegate-account", account)

    async def delegate_login_failed(self, account: str | None, device: str, ip: str) -> None:
        if account is not None:
            await self.logins.hit(self.delegate_account, "delegate-account", account)
        await self.logins.hit(self.delegate_device, "delegate-device", device)
        await self.logins.hit(self.delegate_ip, "delegate-ip", ip)

    async def retry_after(self, kind: str, key: str) -> int:
        """Seconds until the ``kind`` limit (``login``, or a delegate ``device``, ``ip``, ``account``) admits
        another attempt of ``key``: when its oldest attempt leaves the moving window."""
        item: RateLimitItem = {"login": self.login, "device": self.delegate_device, "ip": self.delegate_ip,
                               "account": self.delegate_account}[kind]
        stats = await self.logins.get_window_stats(item, "login" if kind == "login" else f"delegate-{kind}", key)
        return max(1, math.ceil(stats.reset_time - time.time()))


def wait_text(seconds: int) -> str:
    """``45 giây``, ``2 phút``: how long a locked-out user waits, as the message says it."""
    return f"{seconds} giây" if seconds < 60 else f"{math.ceil(seconds / 60)} phút"
