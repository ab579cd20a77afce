"""The checked-in event catalogue is what the contract models generate."""
from __future__ import annotations

from pathlib import Path

from congress_common.contracts import ALL_EVENTS, PUBLIC_EVENT_TYPES, Audience, parse_event
from congress_common.contracts.catalogue import asyncapi, write_catalogue
from congress_gateway.web_assets import WEB_LIB

DOCS = Path(__file__).resolve().parents[2] / "docs" / "events"


def test_catalogue_and_browser_event_names_are_not_stale():
    stale = write_catalogue(DOCS, check=True, browser_dir=WEB_LIB)
    assert stale == [], "run `congress catalogue` and commit docs/events and web/lib/events.js"


def test_every_event_declares_its_audience_and_the_gateway_filter_derives_from_it():
    from congress_common.auth import Principal, Role
    from congress_common.contracts import EventEnvelope
    from congress_gateway.stream import visible_to

    assert all(isinstance(getattr(e, "AUDIENCE", None), Audience) for e in ALL_EVENTS)
    delegate = Principal(sub="d", role=Role.delegate, congress_ids=["c"])
    organiser = Principal(sub="o", role=Role.organiser, congress_ids=["c"])
    for event in ALL_EVENTS:
        envelope = EventEnvelope(type=event.TYPE, congress_id="c")
        assert visible_to(organiser, envelope)
        assert visible_to(delegate, envelope) is (event.AUDIENCE is Audience.public), event.TYPE
    assert {"seating.published", "delegate.checked_in"} <= PUBLIC_EVENT_TYPES
    assert not {"seat.assigned", "seat.released", "delegate.registered"} & PUBLIC_EVENT_TYPES


def test_stale_browser_event_names_are_detected(tmp_path):
    write_catalogue(tmp_path, browser_dir=tmp_path / "lib")
    events_js = tmp_path / "lib" / "events.js"
    events_js.write_text(events_js.read_text(encoding="utf-8").replace('"seat.assigned",', ""), encoding="utf-8")
    assert write_catalogue(tmp_path, check=True, browser_dir=tmp_path / "lib") == [str(events_js)]


def test_every_event_is_in_the_catalogue_with_its_envelope():
    messages = asyncapi()["components"]["messages"]
    assert {m["name"] for m in messages.values()} == {e.TYPE for e in ALL_EVENTS}
    for message in messages.values():
        assert {"event_id", "type", "version", "congress_id", "correlation_id"} <= set(message["headers"]["properties"])


def test_stale_catalogue_is_detected(tmp_path):
    write_catalogue(tmp_path)
    (tmp_path / "README.md").write_text("old", encoding="utf-8")
    assert write_catalogue(tmp_path, check=True) == [str(tmp_path / "README.md")]


def test_envelopes_round_trip_to_typed_events():
    from congress_common.contracts import CongressCreated, EventEnvelope

    event = CongressCreated(congress_id="c", name="Đại hội", level="province")
    envelope = EventEnvelope.from_json(EventEnvelope.wrap(event, congress_id="c", producer="t").to_json())
    assert parse_event(envelope) == event


def test_readme_shows_the_current_catalogue():
    from congress_common.contracts.catalogue import markdown

    readme = (DOCS.parents[1] / "README.md").read_text(encoding="utf-8")
    rows = [line for line in markdown().splitlines() if line.startswith("| `")]
    missing = [row for row in rows if row not in readme]
    assert rows and not missing, f"README.md event catalogue is stale: {missing}"
