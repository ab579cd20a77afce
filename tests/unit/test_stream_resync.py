"""The live stream never drops an event silently: a client that falls behind is told to resynchronise."""
from __future__ import annotations

import asyncio
import re
from pathlib import Path

from congress_common.auth import Principal, Role
from congress_common.bus import InProcessBus
from congress_common.contracts import ALL_TOPICS, CongressUpdated, EventEnvelope, StreamEvent
from congress_gateway.stream import EventFanout, sse_events
from congress_gateway.web_assets import WEB

STAFF = Principal(sub="btc-1", role=Role.organiser, congress_ids=("c-1",))


def update(i: int) -> EventEnvelope:
    return EventEnvelope.wrap(CongressUpdated(congress_id="c-1", name=f"Đại hội lần {i}", level="province"),
                              congress_id="c-1", producer="test")


async def test_a_client_whose_buffer_overflows_gets_stream_resync_then_the_live_events() -> None:
    fanout = EventFanout(InProcessBus(), ALL_TOPICS, client_buffer=5)
    stream = sse_events(fanout, "c-1", STAFF)
    assert (await anext(stream))["event"] == StreamEvent.ready.value
    sent = [update(i) for i in range(8)]
    for envelope in sent:  # the client reads nothing meanwhile: the sixth does not fit
        fanout.dispatch(envelope)
    got = [await asyncio.wait_for(anext(stream), 1) for _ in range(3)]
    assert got[0]["event"] == StreamEvent.resync.value, "the dropped events must be announced"
    assert [g["id"] for g in got[1:]] == [e.event_id for e in sent[6:]], "live events go on after the resync"
    await stream.aclose()


async def test_a_client_that_keeps_up_never_gets_a_resync() -> None:
    fanout = EventFanout(InProcessBus(), ALL_TOPICS, client_buffer=5)
    stream = sse_events(fanout, "c-1", STAFF)
    await anext(stream)
    sent = [update(i) for i in range(20)]
    got = []
    for envelope in sent:
        fanout.dispatch(envelope)
        got.append((await asyncio.wait_for(anext(stream), 1))["id"])
    assert got == [e.event_id for e in sent]
    await stream.aclose()


def test_the_browser_listens_for_the_declared_resync_event() -> None:
    live = (Path(WEB) / "lib" / "live.js").read_text()
    assert "import { EVENT_TYPES, STREAM_EVENTS } from './events.js'" in live
    assert re.search(r"addEventListener\(STREAM_EVENTS\.resync, \(\) => this\.emit\(\{ type: 'resync'", live)
