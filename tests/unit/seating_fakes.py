"""A fake seating unit of work: seat plans in memory, the database's uniqueness rules checked on commit."""
from __future__ import annotations

import copy

from congress_common.contracts import IntegrationEvent
from congress_seating.domain.hall import Hall, HallSpec, SectionSpec
from congress_seating.domain.people import Person
from congress_seating.domain.plan import SeatPlan
from congress_seating.unit_of_work import SeatingUnitOfWork, SeatTaken


class FakeSeatingUnitOfWork(SeatingUnitOfWork):
    def __init__(self, roster: dict[str, list[Person]] | None = None) -> None:
        self.roster = roster or {}
        self.plans: dict[str, SeatPlan] = {}
        self.staged: tuple[dict[str, SeatPlan], list] | None = None
        self.events: list[tuple[str, IntegrationEvent]] = []
        self.pending: list[tuple[str, IntegrationEvent]] = []
        self.commits = 0

    async def get_plan(self, congress_id: str) -> SeatPlan | None:
        stored = self.plans.get(congress_id)
        if stored is None:
            return None
        plan = SeatPlan(stored.hall, self.roster.get(congress_id, []), dict(stored.seats),
                        options=stored.options, published_at=stored.published_at)
        return plan

    async def get_hall(self, congress_id: str) -> Hall | None:
        return self.plans[congress_id].hall if congress_id in self.plans else None

    async def get_roster(self, congress_id: str) -> list[Person]:
        return list(self.roster.get(congress_id, []))

    async def save_plan(self, plan: SeatPlan, *, hall_changed: bool) -> None:
        stored = self.plans.get(plan.hall.congress_id)
        seats = dict(stored.seats) if stored else {}
        for change in plan.changes():  # like the SQL adapter: remove what left, then insert (unique checks)
            if change.before is not None:
                if seats.get(change.seat.id) != change.before:
                    raise SeatTaken(change.seat.label)
                del seats[change.seat.id]
        for change in plan.changes():
            if change.after is not None:
                taken = {a.delegate_id for a in seats.values()}
                if change.seat.id in seats or change.after.delegate_id in taken:
                    raise SeatTaken(change.seat.label)
                seats[change.seat.id] = change.after
        saved = copy.copy(plan)
        saved.seats = seats
        self.staged = ({**self.plans, plan.hall.congress_id: saved}, list(self.pending))

    async def emit(self, event: IntegrationEvent, *, congress_id: str) -> None:
        self.pending.append((congress_id, event))

    async def commit(self) -> None:
        if self.staged is not None:
            self.plans, _ = self.staged
        self.events.extend(self.pending)
        self.pending, self.staged = [], None
        self.commits += 1

    async def rollback(self) -> None:
        self.pending, self.staged = [], None


def person(i: int, delegation: str, kind: str = "official", roles: tuple[str, ...] = ()) -> Person:
    return Person(id=f"d{i:05d}", code=f"DB{i:05d}", full_name=f"Nguyễn Văn {i}", sort_key=f"{i:05d}",
                  delegation_id=f"g-{delegation}", delegation_name=f"LĐLĐ {delegation}", kind=kind, roles=roles)


def roster(sizes: dict[str, int], *, presidium: int = 0, guests: int = 0, alternates: int = 0) -> list[Person]:
    people, i = [], 0
    for name, size in sizes.items():
        for k in range(size):
            i += 1
            people.append(person(i, name, "alternate" if k >= size - alternates else "official"))
    for _ in range(presidium):
        i += 1
        people.append(person(i, "Thường trực", roles=("presidium",)))
    for _ in range(guests):
        i += 1
        people.append(person(i, "Khách mời", kind="guest"))
    return people


def small_spec(rows: int = 5, seats: int = 10, sections: str = "AB", aisle: int | None = None, **kw) -> HallSpec:
    aisles = (aisle,) if aisle else ()
    return HallSpec(name="Hội trường tỉnh", sections=tuple(SectionSpec(code, rows, seats, aisles) for code in sections),
                    **kw)
