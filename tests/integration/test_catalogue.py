"""The checked-in event catalogue is what the contract models generate."""
from __future__ import annotations

from pathlib import Path

from congress_common.contracts import ALL_EVENTS, parse_event
from congress_common.contracts.catalogue import asyncapi, write_catalogue

DOCS = Path(__file__).resolve().parents[2] / "docs" / "events"


def test_catalogue_is_not_stale():
    assert write_catalogue(DOCS, check=True) == [], "run `congress catalogue` and commit docs/events"


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
