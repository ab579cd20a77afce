"""Rate limits while Redis is away: counted in the gateway's memory instead, so requests keep flowing, still limited."""
from __future__ import annotations

from congress_gateway.ratelimit import RateLimits

from congress_cli.live import free_port


async def test_limits_fall_back_to_memory_while_redis_is_unreachable() -> None:
    limits = RateLimits.create(f"redis://127.0.0.1:{free_port()}/0", api="3/minute", login="2/minute")
    assert [await limits.allow_api("btc-1") for _ in range(4)] == [True, True, True, False]
    assert [await limits.allow_login("10.0.0.7") for _ in range(3)] == [True, True, False]
    assert await limits.allow_api("btc-2") is True, "another caller has its own window"
    assert limits.limiter.falling_back
