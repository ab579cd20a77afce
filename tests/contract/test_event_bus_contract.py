"""The event-bus contract (see ``congress_common.bus.base``), run against every reachable adapter.

The ``buses`` fixture is parametrised over ``inprocess``, ``redis`` and
``kafka``; the ``test_redis_*`` cases cover behaviour only Redis Streams has
(pending entries of dead consumers, delivery counters, raw malformed entries).
"""
from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from uuid import uuid4

import pytest
from congress_common.bus import DEAD_LETTER_TYPE, EventBus, dead_letter_topic
from congress_common.contracts.envelope import EventEnvelope

pytestmark = pytest.mark.timeout(90)


# -- helpers -----------------------------------------------------------------


def make_envelope(congress_id: str | None = None, **payload: object) -> EventEnvelope:
    return EventEnvelope(
        type="contract.tested",
        congress_id=congress_id or f"congress-{uuid4().hex[:8]}",
        correlation_id=str(uuid4()),
        producer="contract-test",
        payload={"seq": 0, "text": "Grüße, ünïcode ✓", **payload},
    )


class Recorder:
    """A handler that records every call; it can fail the first ``fail_first`` calls."""

    def __init__(self, *, fail_first: int = 0, error: Exception | None = None, delay: float = 0.0) -> None:
        self.calls: list[EventEnvelope] = []
        self.items: list[EventEnvelope] = []  # calls that succeeded
        self.fail_first = fail_first
        self.error = error or RuntimeError("handler failed on purpose")
        self.delay = delay

    async def __call__(self, envelope: EventEnvelope) -> None:
        self.calls.append(envelope)
        if self.delay:
            await asyncio.sleep(random.uniform(0, self.delay))
        if len(self.calls) <= self.fail_first:
            raise self.error
        self.items.append(envelope)


def in_congress_order(got: list[EventEnvelope], sent: list[EventEnvelope]) -> bool:
    """The same events, each congress's in publication order: all the contract promises.

    Events of different congresses may interleave in any way (on Kafka they
    sit on different partitions), so a list compared as a whole would fail at random.
    """
    def by_congress(events: list[EventEnvelope]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for envelope in events:
            out.setdefault(envelope.congress_id, []).append(envelope.event_id)
        return out

    return by_congress(got) == by_congress(sent)


def several_congresses(count: int, congresses: int = 3, **payload: object) -> list[EventEnvelope]:
    """``count`` events spread round-robin over ``congresses`` congresses (so over several partitions)."""
    ids = [f"congress-{uuid4().hex[:8]}" for _ in range(congresses)]
    return [make_envelope(ids[i % congresses], seq=i, **payload) for i in range(count)]


async def eventually(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll ``condition`` until it is true; fail with ``what`` after ``timeout`` seconds."""

    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    try:
        await asyncio.wait_for(poll(), timeout)
    except TimeoutError:
        pytest.fail(f"timed out after {timeout}s waiting for: {what}")


async def started(bus: EventBus, *subscriptions: tuple[str, str, Recorder]) -> EventBus:
    for topic, group, handler in subscriptions:
        bus.subscribe(topic, group, handler)
    await bus.start()
    return bus


async def assert_acknowledged(buses, bus: EventBus, group: str, congress_id: str) -> None:
    """After ``bus`` stops, a successor in ``group`` gets nothing but a fresh marker event.

    An unacknowledged event would come first: Kafka resumes from the committed
    offset (same key, same partition), Redis reclaims the idle pending entry.
    """
    if not buses.durable:
        return
    await bus.stop()
    successor_handler = Recorder()
    successor = await started(buses.make(claim_idle_ms=50), (buses.topic, group, successor_handler))
    marker = make_envelope(congress_id, marker=True)
    await successor.publish(buses.topic, marker)
    await eventually(lambda: successor_handler.items, buses.timeout, "the marker event")
    await asyncio.sleep(buses.settle)
    assert successor_handler.items == [marker], "an event was redelivered: it had not been acknowledged"


# -- the contract ----------------------------------------------------------------


async def test_bus_reports_healthy(buses) -> None:
    bus = buses.make()
    await bus.start()
    assert await bus.healthy() is True


async def test_group_handler_receives_the_identical_envelope(buses) -> None:
    handler = Recorder()
    bus = await started(buses.make(), (buses.topic, buses.group("g"), handler))
    sent = make_envelope(seq=1, nested={"list": [1, 2.5, None], "flag": True})

    await bus.publish(buses.topic, sent)

    await eventually(lambda: handler.items, buses.timeout, "the event")
    await asyncio.sleep(buses.settle)
    assert handler.items == [sent]
    assert handler.items[0].model_dump(mode="json") == sent.model_dump(mode="json")


async def test_every_group_receives_every_event(buses) -> None:
    first, second = Recorder(), Recorder()
    bus = await started(buses.make(), (buses.topic, buses.group("one"), first),
                        (buses.topic, buses.group("two"), second))
    congress_id = f"congress-{uuid4().hex[:8]}"
    sent = [make_envelope(congress_id, seq=i) for i in range(5)]

    for envelope in sent:
        await bus.publish(buses.topic, envelope)

    await eventually(lambda: len(first.items) >= 5 and len(second.items) >= 5, buses.timeout, "both groups")
    await asyncio.sleep(buses.settle)
    assert first.items == sent
    assert second.items == sent


async def test_consumers_of_one_group_split_the_work_without_duplicates(buses) -> None:
    group = buses.group("workers")
    left, right = Recorder(delay=0.005), Recorder(delay=0.005)
    publisher = await started(buses.make(), (buses.topic, group, left))
    # durable buses: a second instance, as a second process would be
    other = publisher if not buses.durable else buses.make()
    await started(other, (buses.topic, group, right))
    sent: list[EventEnvelope] = []

    async def publish_until_both_worked() -> None:
        while not (left.items and right.items):
            batch = [make_envelope(seq=len(sent) + i) for i in range(10)]
            for envelope in batch:
                await publisher.publish(buses.topic, envelope)
            sent.extend(batch)
            await eventually(lambda: len(left.items) + len(right.items) >= len(sent), buses.timeout, "the batch")

    try:
        await asyncio.wait_for(publish_until_both_worked(), buses.timeout * 2)
    except TimeoutError:
        pytest.fail(f"the group never split the work: {len(left.items)} / {len(right.items)} events")
    await asyncio.sleep(buses.settle)
    received = [envelope.event_id for envelope in left.items + right.items]
    assert len(received) == len(set(received)), "an event was handled twice within one group"
    assert set(received) == {envelope.event_id for envelope in sent}


async def test_order_per_congress_is_kept_for_a_group(buses) -> None:
    handler = Recorder(delay=0.002)
    bus = await started(buses.make(), (buses.topic, buses.group("ordered"), handler))
    congresses = [f"congress-a-{uuid4().hex[:6]}", f"congress-b-{uuid4().hex[:6]}"]
    sent = [make_envelope(congresses[i % 2], seq=i) for i in range(50)]

    for envelope in sent:
        await bus.publish(buses.topic, envelope)

    await eventually(lambda: len(handler.items) >= 50, buses.timeout, "50 events")
    for congress_id in congresses:
        expected = [e.payload["seq"] for e in sent if e.congress_id == congress_id]
        got = [e.payload["seq"] for e in handler.items if e.congress_id == congress_id]
        assert got == expected, f"order broken for {congress_id}"


async def test_handler_failing_once_is_retried_then_acknowledged(buses) -> None:
    group = buses.group("flaky")
    flaky, dead = Recorder(fail_first=1), Recorder()
    bus = await started(buses.make(max_attempts=3), (dead_letter_topic(buses.topic), buses.group("dlq"), dead),
                        (buses.topic, group, flaky))
    sent = make_envelope()

    await bus.publish(buses.topic, sent)

    await eventually(lambda: flaky.items, buses.timeout, "the successful retry")
    await asyncio.sleep(buses.settle)
    assert flaky.calls == [sent, sent], "expected one failure and one successful retry"
    assert flaky.items == [sent]
    assert dead.calls == [], "a retried-then-successful event must not be dead-lettered"
    await assert_acknowledged(buses, bus, group, sent.congress_id)


async def test_handler_always_failing_ends_in_the_dead_letter_topic(buses) -> None:
    group = buses.group("doomed")
    failing = Recorder(fail_first=10**9, error=ValueError("no seat left in hall B"))
    dead = Recorder()
    bus = await started(buses.make(max_attempts=3), (dead_letter_topic(buses.topic), buses.group("dlq"), dead),
                        (buses.topic, group, failing))
    sent = make_envelope(seq=7)

    await bus.publish(buses.topic, sent)

    await eventually(lambda: dead.items, buses.timeout, "the dead letter")
    await asyncio.sleep(buses.settle)
    [letter] = dead.items
    assert letter.type == DEAD_LETTER_TYPE
    assert letter.congress_id == sent.congress_id
    assert EventEnvelope.model_validate(letter.payload["original"]) == sent
    assert "ValueError" in letter.payload["error"] and "no seat left in hall B" in letter.payload["error"]
    assert letter.payload["attempts"] == 3
    assert letter.payload["group"] == group
    assert failing.calls == [sent] * 3, "the handler must be tried exactly max_attempts times"
    await assert_acknowledged(buses, bus, group, sent.congress_id)


async def test_listen_receives_the_events_published_after_it_opened(buses) -> None:
    bus = buses.make()
    await bus.start()
    await bus.publish(buses.topic, make_envelope(seq=-1))  # before: must not be seen

    async with bus.listen(buses.topic) as events:
        after = several_congresses(6)
        for envelope in after:
            await bus.publish(buses.topic, envelope)
        got = [await asyncio.wait_for(anext(events), buses.timeout) for _ in after]

    assert in_congress_order(got, after)


async def test_events_published_while_no_consumer_runs_are_delivered_later(buses) -> None:
    if not buses.durable:
        pytest.skip("inprocess: no durability without running subscribers (delivery happens inside publish)")
    group = buses.group("durable")
    early = Recorder()
    first = await started(buses.make(), (buses.topic, group, early))
    handled = make_envelope(seq=0)
    await first.publish(buses.topic, handled)
    await eventually(lambda: early.items, buses.timeout, "the first event")
    await first.stop()

    missed = several_congresses(6)
    publisher = buses.make()  # never started: publishing needs no consumer
    for envelope in missed:
        await publisher.publish(buses.topic, envelope)
    late = Recorder()
    await started(buses.make(), (buses.topic, group, late))

    await eventually(lambda: len(late.items) >= 6, buses.timeout, "the events published while down")
    await asyncio.sleep(buses.settle)
    assert in_congress_order(late.items, missed), "the group must resume after its last acknowledged event"


def test_in_congress_order_allows_congresses_to_interleave_but_not_to_reorder() -> None:
    a1, b1, a2, b2 = several_congresses(4, congresses=2)
    assert in_congress_order([b1, a1, b2, a2], [a1, b1, a2, b2])
    assert in_congress_order([a1, a2, b1, b2], [a1, b1, a2, b2])
    assert not in_congress_order([a2, a1, b1, b2], [a1, b1, a2, b2]), "one congress's order is promised"
    assert not in_congress_order([a1, b1, a2], [a1, b1, a2, b2]), "an event is missing"
    assert not in_congress_order([a1, b1, a2, b2, b2], [a1, b1, a2, b2]), "an event came twice"


# -- Redis Streams specifics ----------------------------------------------------


def _stream_entries(response: list) -> list:
    return [entry for _stream, entries in response for entry in entries]


async def pending_after_settling(raw, stream: str, group: str, timeout: float = 2.0) -> int:
    """The group's pending count once it dropped to zero, or as it is after ``timeout``."""
    deadline = asyncio.get_running_loop().time() + timeout
    while (count := (await raw.xpending(stream, group))["pending"]) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.02)
    return count


async def test_redis_entry_left_pending_by_a_dead_consumer_is_reclaimed(redis_buses) -> None:
    raw, group = redis_buses.raw, redis_buses.group("g")
    bus = redis_buses.make(claim_idle_ms=100)
    stream = bus.stream(redis_buses.topic)
    await raw.xgroup_create(stream, group, id="0", mkstream=True)
    sent = make_envelope()
    await bus.publish(redis_buses.topic, sent)
    # a consumer reads the entry and dies before acknowledging it
    assert len(_stream_entries(await raw.xreadgroup(group, "dead-consumer", {stream: ">"}, count=10))) == 1

    handler = Recorder()
    await started(bus, (redis_buses.topic, group, handler))

    await eventually(lambda: handler.items, redis_buses.timeout, "the reclaimed entry")
    assert handler.items == [sent]
    assert await pending_after_settling(raw, stream, group) == 0, "the reclaimed entry must be acknowledged"


async def test_redis_reclaimed_entry_past_max_attempts_is_dead_lettered(redis_buses) -> None:
    raw, group = redis_buses.raw, redis_buses.group("g")
    bus = redis_buses.make(max_attempts=3, claim_idle_ms=100)
    stream = bus.stream(redis_buses.topic)
    await raw.xgroup_create(stream, group, id="0", mkstream=True)
    sent = make_envelope()
    await bus.publish(redis_buses.topic, sent)
    [(entry_id, _)] = _stream_entries(await raw.xreadgroup(group, "crashing", {stream: ">"}))
    # consumers crashed while handling it three times already
    await raw.xclaim(stream, group, "crashing", 0, [entry_id], retrycount=3, justid=True)

    handler, dead = Recorder(), Recorder()
    await started(bus, (redis_buses.topic, group, handler), (dead_letter_topic(redis_buses.topic), "dlq", dead))

    await eventually(lambda: dead.items, redis_buses.timeout, "the dead letter")
    assert handler.calls == [], "an entry past max_attempts must not be handled again"
    assert EventEnvelope.model_validate(dead.items[0].payload["original"]) == sent
    assert await pending_after_settling(raw, stream, group) == 0


async def test_redis_malformed_entries_are_dead_lettered_without_stopping_the_consumer(redis_buses) -> None:
    raw, topic, group = redis_buses.raw, redis_buses.topic, redis_buses.group("g")
    bus = redis_buses.make()
    stream = bus.stream(topic)
    await raw.xadd(stream, {"unexpected": "field"})
    await raw.xadd(stream, {"envelope": "{not json", "congress_id": "congress-x"})
    valid = make_envelope()
    await bus.publish(topic, valid)

    handler, dead = Recorder(), Recorder()
    await started(bus, (topic, group, handler), (dead_letter_topic(topic), "dlq", dead))

    await eventually(lambda: handler.items and len(dead.items) >= 2, redis_buses.timeout,
                     "the valid event and two dead letters")
    assert handler.items == [valid]
    assert [letter.payload["raw"] for letter in dead.items] == [
        {"unexpected": "field"}, {"envelope": "{not json", "congress_id": "congress-x"}]
    assert all("malformed" in letter.payload["error"] for letter in dead.items)
    assert dead.items[1].congress_id == "congress-x"
    assert await pending_after_settling(raw, stream, group) == 0


async def test_handler_asking_to_retry_later_is_not_counted_nor_dead_lettered(buses) -> None:
    from congress_common.bus.base import RetryLater

    group = buses.group("patient")
    waiting = Recorder(fail_first=6, error=RetryLater("database unavailable"))  # twice max_attempts
    dead = Recorder()
    bus = buses.make(max_attempts=3)
    bus.retry_later_s = (0.01, 0.05)
    await started(bus, (dead_letter_topic(buses.topic), buses.group("dlq"), dead), (buses.topic, group, waiting))
    sent = make_envelope()

    await bus.publish(buses.topic, sent)

    await eventually(lambda: waiting.items, buses.timeout, "the event once the database is back")
    await asyncio.sleep(buses.settle)
    assert waiting.calls == [sent] * 7 and waiting.items == [sent]
    assert dead.calls == [], "an outage must not dead-letter events"
    await assert_acknowledged(buses, bus, group, sent.congress_id)
