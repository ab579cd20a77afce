"""Delegate tokens are checked against the congress's table of badge versions, fetched once for a whole hall."""
from __future__ import annotations

import asyncio

import pytest
from congress_common.auth import Principal, Role
from congress_gateway.principals import PrincipalCheck, Revoked

CONGRESS = "dh-thanh-hoa-20"


class Checkin:
    """The check-in service's side: the badge versions of those who may log in, and how often it was asked."""

    def __init__(self, versions: dict[str, int]) -> None:
        self.versions = versions
        self.calls = 0
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, congress_id: str) -> dict[str, int]:
        assert congress_id == CONGRESS
        self.calls += 1
        read = dict(self.versions)  # what the database said when asked
        await self.gate.wait()
        return read


def delegate(number: int, ver: int = 1) -> Principal:
    return Principal(sub=f"delegate:DB{number:03}", role=Role.delegate, congress_ids=[CONGRESS],
                     delegate_id=f"DB{number:03}", ver=ver)


def check_with(checkin: Checkin) -> PrincipalCheck:
    return PrincipalCheck(sessionmaker=None, delegate_versions=checkin)  # type: ignore[arg-type]


async def test_a_hall_of_phones_opening_at_once_costs_one_call() -> None:
    checkin = Checkin({f"DB{n:03}": 1 for n in range(200)})
    check = check_with(checkin)
    checkin.gate.clear()
    waiting = [asyncio.ensure_future(check.current(delegate(n))) for n in range(200)]
    await asyncio.sleep(0)
    checkin.gate.set()
    answered = await asyncio.gather(*waiting)
    assert [p.delegate_id for p in answered] == [f"DB{n:03}" for n in range(200)]
    assert checkin.calls == 1
    await check.current(delegate(7))
    assert checkin.calls == 1, "answered from the table while it is fresh"


async def test_a_reissued_or_removed_badge_is_refused_and_its_retries_do_not_refetch() -> None:
    checkin = Checkin({"DB001": 2})
    check = check_with(checkin)
    with pytest.raises(Revoked):
        await check.current(delegate(1, ver=1))  # the badge was re-issued: version 2 now
    with pytest.raises(Revoked):
        await check.current(delegate(2))  # removed: not in the table (asked again: they may be new since)
    with pytest.raises(Revoked):
        await check.current(delegate(2))
    assert checkin.calls == 2, "the refusal is remembered too"
    assert (await check.current(delegate(1, ver=2))).delegate_id == "DB001"


async def test_a_load_that_started_before_a_revocation_does_not_put_the_old_version_back() -> None:
    checkin = Checkin({"DB001": 1})
    check = check_with(checkin)
    checkin.gate.clear()
    first = asyncio.ensure_future(check.current(delegate(1)))
    while not checkin.calls:
        await asyncio.sleep(0)
    checkin.versions["DB001"] = 2  # re-issued while the table was on its way
    check.forget("delegate:DB001")
    checkin.gate.set()
    await first  # that one request raced the re-issue
    with pytest.raises(Revoked):
        await check.current(delegate(1, ver=1))
    assert checkin.calls == 2, "the old table was not cached, the next request asked again"
