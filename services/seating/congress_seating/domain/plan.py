"""The seat plan of one congress: its hall, who sits where, which seats are locked, whether it is published.

The aggregate every seating command goes through. It keeps a snapshot of the
seats as loaded; ``changes()`` is the difference, which the unit of work
saves (the database's unique constraints catch a concurrent editor) and turns
into ``seat.released`` / ``seat.assigned`` events.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from congress_common.errors import Conflict, Invalid, NotFound

from .hall import Hall, Seat, SeatStatus
from .people import Person, PlacementOptions
from .placement import PlacementResult, place


class NeedsConfirmation(Conflict):
    """The change would unseat people: nothing was done; the caller lists them and asks again with confirm."""


@dataclass(frozen=True, slots=True)
class Assignment:
    delegate_id: str
    delegation_id: str | None = None  # the delegation when seated: a later move shows as a warning
    locked: bool = False


@dataclass(frozen=True)
class SeatChange:
    seat: Seat
    before: Assignment | None
    after: Assignment | None


class SeatPlan:
    def __init__(self, hall: Hall, people: list[Person], assignments: dict[str, Assignment] | None = None, *,
                 options: PlacementOptions | None = None, published_at: datetime | None = None) -> None:
        self.hall = hall
        self.people = {p.id: p for p in people}
        self.seats: dict[str, Assignment] = dict(assignments or {})
        self.options = options or PlacementOptions()
        self.published_at = published_at
        self._loaded = dict(self.seats)
        self.replaced_hall: Hall | None = None  # set by ``change_hall`` until saved

    # -- queries ---------------------------------------------------------------------------------
    def seat(self, seat_id: str) -> Seat:
        try:
            return self.hall.by_id[seat_id]
        except KeyError:
            raise NotFound("Không tìm thấy ghế này trong hội trường") from None

    def seat_of(self, delegate_id: str) -> Seat | None:
        return next((self.hall.by_id[s] for s, a in self.seats.items() if a.delegate_id == delegate_id), None)

    def person(self, delegate_id: str) -> Person:
        try:
            return self.people[delegate_id]
        except KeyError:
            raise NotFound("Không tìm thấy đại biểu (có thể đã bị xóa khỏi danh sách)") from None

    def occupant_text(self, seat_id: str) -> str:
        assignment = self.seats[seat_id]
        person = self.people.get(assignment.delegate_id)
        return f"{person.full_name} ({person.delegation_name})" if person else "một đại biểu đã bị xóa"

    def unseated(self) -> list[Person]:
        seated = {a.delegate_id for a in self.seats.values()}
        return sorted((p for p in self.people.values() if p.id not in seated and not p.withdrawn),
                      key=lambda p: (p.code, p.id))

    def withdrawn_seated(self) -> list[tuple[Person, Seat]]:
        """Seated people who withdrew from the congress since: kept in place (never moved silently), flagged."""
        return [(self.people[a.delegate_id], self.hall.by_id[s]) for s, a in self.seats.items()
                if a.delegate_id in self.people and self.people[a.delegate_id].withdrawn]

    def moved_delegates(self) -> list[tuple[Person, Seat]]:
        """Seated people whose delegation changed since: kept in place, shown to the organiser."""
        return [(self.people[a.delegate_id], self.hall.by_id[s]) for s, a in self.seats.items()
                if a.delegate_id in self.people and a.delegation_id
                and self.people[a.delegate_id].delegation_id != a.delegation_id]

    # -- commands --------------------------------------------------------------------------------
    def assign(self, seat_id: str, delegate_id: str) -> None:
        """Put a delegate in a free seat; a delegate seated elsewhere moves (their old seat is released)."""
        seat, person = self.seat(seat_id), self.person(delegate_id)
        if seat.status is SeatStatus.blocked:
            raise Invalid(f"Ghế {seat.label} bị khóa (không sử dụng), không thể xếp người")
        current = self.seats.get(seat_id)
        if current is not None and current.delegate_id == delegate_id:
            return
        if current is not None:
            raise Conflict(f"Ghế {seat.label} đã có {self.occupant_text(seat_id)} ngồi")
        old = self.seat_of(delegate_id)
        if old is not None:
            self._ensure_unlocked(old.id)
            del self.seats[old.id]
        self.seats[seat_id] = Assignment(delegate_id, person.delegation_id)

    def swap(self, seat_a: str, seat_b: str) -> None:
        first, second = self.seat(seat_a), self.seat(seat_b)
        for seat in (first, second):
            self._ensure_unlocked(seat.id)
            if seat.status is SeatStatus.blocked:
                raise Invalid(f"Ghế {seat.label} bị khóa (không sử dụng), không thể xếp người")
        a, b = self.seats.pop(first.id, None), self.seats.pop(second.id, None)
        if b is not None:
            self.seats[first.id] = b
        if a is not None:
            self.seats[second.id] = a

    def clear(self, seat_id: str) -> None:
        self.seat(seat_id)
        self._ensure_unlocked(seat_id)
        self.seats.pop(seat_id, None)

    def lock(self, seat_ids: list[str], locked: bool = True) -> int:
        changed = 0
        for seat_id in seat_ids:
            self.seat(seat_id)
            if seat_id in self.seats and self.seats[seat_id].locked != locked:
                self.seats[seat_id] = replace(self.seats[seat_id], locked=locked)
                changed += 1
        return changed

    def run_placement(self, options: PlacementOptions) -> PlacementResult:
        """Re-seat everyone except locked seats and withdrawn delegates; deterministic for the same input."""
        self.options = options
        fixed = {s: a.delegate_id for s, a in self.seats.items() if a.locked}
        result = place(self.hall, [p for p in self.people.values() if not p.withdrawn or p.id in fixed.values()],
                       fixed, options)
        locked = {s: a for s, a in self.seats.items() if a.locked}
        self.seats = {s: locked.get(s) or Assignment(d, self.people[d].delegation_id)
                      for s, d in result.assignments.items()}
        return result

    def remove_person(self, delegate_id: str) -> Seat | None:
        """The delegate left the roster: release their seat (even a locked one)."""
        self.people.pop(delegate_id, None)
        seat = self.seat_of(delegate_id)
        if seat is not None:
            del self.seats[seat.id]
        return seat

    def change_hall(self, hall: Hall, *, confirm: bool) -> list[tuple[Person | None, Seat]]:
        """Replace the hall; occupants of seats that disappear (or become blocked) are unseated.

        Without ``confirm`` a change that unseats anyone raises ``NeedsConfirmation`` listing them.
        """
        lost = [(self.people.get(a.delegate_id), self.hall.by_id[s]) for s, a in self.seats.items()
                if s not in hall.by_id or hall.by_id[s].status is SeatStatus.blocked]
        if lost and not confirm:
            names = ", ".join(f"{p.full_name if p else '?'} ({seat.label})" for p, seat in lost[:20])
            raise NeedsConfirmation(f"Thay đổi này sẽ bỏ chỗ của {len(lost)} người: {names}. "
                                    "Xác nhận để tiếp tục.",
                                    errors=[{"delegate_id": p.id if p else None, "seat": seat.label,
                                             "full_name": p.full_name if p else None} for p, seat in lost])
        for _person, seat in lost:
            del self.seats[seat.id]
        self.replaced_hall, self.hall = self.hall, hall
        return lost

    def publish(self, now: datetime) -> None:
        if not self.seats:
            raise Invalid("Chưa xếp chỗ cho ai: chạy xếp chỗ tự động hoặc xếp tay trước khi công bố")
        self.published_at = now

    def _ensure_unlocked(self, seat_id: str) -> None:
        if seat_id in self.seats and self.seats[seat_id].locked:
            raise Conflict(f"Ghế {self.hall.by_id[seat_id].label} đang được giữ cố định: bỏ giữ trước khi đổi")

    # -- persistence -----------------------------------------------------------------------------
    def changes(self) -> list[SeatChange]:
        """What differs from the loaded state: releases first, then assignments (the order to save and emit)."""
        hall = {**(self.replaced_hall.by_id if self.replaced_hall else {}), **self.hall.by_id}
        out = []
        for seat_id in sorted(set(self._loaded) | set(self.seats)):
            before, after = self._loaded.get(seat_id), self.seats.get(seat_id)
            if before != after:
                out.append(SeatChange(hall[seat_id], before, after))
        return out

    def mark_saved(self) -> None:
        self._loaded = dict(self.seats)
        self.replaced_hall = None
