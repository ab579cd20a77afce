"""Request rate limits (the ``limits`` library): in memory embedded, in Redis when distributed."""
from __future__ import annotations

import math
import time

from limits import parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter


class RateLimits:
    def __init__(self, storage: Storage, *, api: str, login: str) -> None:
        self.limiter = MovingWindowRateLimiter(storage)
        self.api, self.login = parse(api), parse(login)

    @classmethod
    def create(cls, redis_url: str | None, *, api: str, login: str) -> RateLimits:
        storage: Storage = (RedisStorage(f"async+{redis_url}", implementation="redispy", key_prefix="congress-limits")
                            if redis_url else MemoryStorage())
        return cls(storage, api=api, login=login)

    async def allow_api(self, who: str) -> bool:
        return await self.limiter.hit(self.api, "api", who)

    async def allow_login(self, who: str) -> bool:
        return await self.limiter.hit(self.login, "login", who)

    async def login_wait_seconds(self, who: str) -> int:
        """How long until ``who`` may try to log in again (the oldest attempt leaves the moving window)."""
        stats = await self.limiter.get_window_stats(self.login, "login", who)
        return max(1, math.ceil(stats.reset_time - time.time()))


def wait_text(seconds: int) -> str:
    """``45 giây``, ``2 phút``: how long a locked-out user waits, as the message says it."""
    return f"{seconds} giây" if seconds < 60 else f"{math.ceil(seconds / 60)} phút"
