"""Commands of the seating service: what an organiser (or an event) asks the seat plan to do."""
from __future__ import annotations

from dataclasses import dataclass

from .hall import HallSpec, SeatDef
from .people import PlacementOptions


@dataclass(frozen=True)
class CreateHall:
    """Create the congress's hall, or replace it (``confirm`` when that unseats people)."""

    congress_id: str
    name: str
    spec: HallSpec | None = None
    seats: tuple[SeatDef, ...] = ()  # from a spreadsheet, instead of ``spec``
    confirm: bool = False


@dataclass(frozen=True)
class CopyHall:
    congress_id: str
    from_congress_id: str
    confirm: bool = False


@dataclass(frozen=True)
class RunPlacement:
    congress_id: str
    options: PlacementOptions


@dataclass(frozen=True)
class AssignSeat:
    congress_id: str
    seat_id: str
    delegate_id: str


@dataclass(frozen=True)
class SwapSeats:
    congress_id: str
    seat_a: str
    seat_b: str


@dataclass(frozen=True)
class ClearSeat:
    congress_id: str
    seat_id: str


@dataclass(frozen=True)
class LockSeats:
    congress_id: str
    seat_ids: tuple[str, ...]
    locked: bool = True


@dataclass(frozen=True)
class PublishPlan:
    congress_id: str


@dataclass(frozen=True)
class ReleaseRemovedDelegate:
    """From a ``delegate.removed`` event: the person left the roster, their seat is freed."""

    congress_id: str
    delegate_id: str
