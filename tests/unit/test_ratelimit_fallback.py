"""Rate limits while Redis is away: counted in the gateway's memory instead, so requests keep flowing, still limited."""
from __future__ import annotations

from uuid import uuid4

import pytest
from congress_gateway.ratelimit import RateLimits

from congress_cli.live import free_port
from tests.conftest import need_service


async def test_limits_fall_back_to_memory_while_redis_is_unreachable() -> None:
    limits = RateLimits.create(f"redis://127.0.0.1:{free_port()}/0", api="3/minute", login="2/minute")
    assert [await limits.allow_api("btc-1") for _ in range(4)] == [True, True, True, False]
    assert [await limits.allow_login("10.0.0.7") for _ in range(3)] == [True, True, False]
    assert await limits.allow_api("btc-2") is True, "another caller has its own window"
    assert limits.requests.falling_back and limits.logins.falling_back


@pytest.mark.parametrize("store", ["memory", "redis"])
async def test_each_callers_requests_are_limited_in_either_store(store: str) -> None:
    """The per-caller request limit (a sliding-window counter) refuses the request over it, on both stores."""
    redis_url = need_service("REDIS_URL", "redis: the gateway's shared rate limits") if store == "redis" else None
    caller = f"delegate-{uuid4().hex}"
    limits = RateLimits.create(redis_url, api="5/minute", login="2/minute")
    assert [await limits.allow_api(caller) for _ in range(6)] == [True] * 5 + [False]
    assert await limits.allow_api(f"{caller}-2") is True, "another caller has its own count"
    assert not limits.requests.falling_back, "the store answered"
