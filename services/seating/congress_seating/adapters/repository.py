"""The SQLAlchemy unit of work of the seating service: seat plans in the database, events in the outbox."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from congress_common.contracts import IntegrationEvent, utcnow
from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.hall import Hall, Seat, SeatStatus
from ..domain.people import DelegationOrder, Person, PlacementOptions
from ..domain.plan import Assignment, SeatPlan
from ..unit_of_work import SeatingUnitOfWork, SeatTaken, StalePlan
from .orm import HALLS, KNOWN_DELEGATES, SEAT_ASSIGNMENTS, SEATS

Emit = Callable[[IntegrationEvent, str], Awaitable[object]]


def options_to_json(options: PlacementOptions) -> dict:
    return {"order": str(options.order), "delegation_order": list(options.delegation_order),
            "protocol": list(options.protocol)}


def options_from_json(data: dict) -> PlacementOptions:
    return PlacementOptions(order=DelegationOrder(data.get("order", "list")),
                            delegation_order=tuple(data.get("delegation_order", ())),
                            protocol=tuple(data.get("protocol", ())))


async def load_hall(session: AsyncSession, congress_id: str):
    row = (await session.execute(select(HALLS).where(HALLS.c.congress_id == congress_id))).first()
    if row is None:
        return None, None
    seats = [Seat(s.id, s.label, s.section, s.row, s.row_index, s.number, s.block, s.x, s.y, SeatStatus(s.status),
                  s.purpose) for s in await session.execute(select(SEATS).where(SEATS.c.hall_id == row.id))]
    return row, Hall(row.id, congress_id, row.name, seats)


async def load_roster(session: AsyncSession, congress_id: str) -> list[Person]:
    rows = await session.execute(select(KNOWN_DELEGATES).where(KNOWN_DELEGATES.c.congress_id == congress_id))
    return [Person(r.id, r.code, r.full_name, r.sort_key, r.delegation_id, r.delegation_name, r.kind,
                   tuple(r.roles or ()), r.present, r.withdrawn) for r in rows]


async def load_plan(session: AsyncSession, congress_id: str) -> SeatPlan | None:
    row, hall = await load_hall(session, congress_id)
    if hall is None:
        return None
    assignments = {r.seat_id: Assignment(r.delegate_id, r.delegation_id, r.locked) for r in await session.execute(
        select(SEAT_ASSIGNMENTS).where(SEAT_ASSIGNMENTS.c.congress_id == congress_id))}
    return SeatPlan(hall, await load_roster(session, congress_id), assignments,
                    options=options_from_json(row.options or {}), published_at=row.published_at)


class SqlSeatingUnitOfWork(SeatingUnitOfWork):
    """Works on a session; ``emit`` stages outbox rows; ``commit``/``rollback`` come from the owner of the session."""

    def __init__(self, session: AsyncSession, emit: Emit, commit: Callable[[], Awaitable[None]],
                 rollback: Callable[[], Awaitable[None]]) -> None:
        self.session, self._emit, self._commit, self._rollback = session, emit, commit, rollback

    async def get_plan(self, congress_id: str) -> SeatPlan | None:
        return await load_plan(self.session, congress_id)

    async def get_hall(self, congress_id: str) -> Hall | None:
        return (await load_hall(self.session, congress_id))[1]

    async def get_roster(self, congress_id: str) -> list[Person]:
        return await load_roster(self.session, congress_id)

    async def save_plan(self, plan: SeatPlan, *, hall_changed: bool) -> None:
        hall, now = plan.hall, utcnow()
        values = {"name": hall.name, "options": options_to_json(plan.options), "published_at": plan.published_at,
                  "updated_at": now}
        if hall_changed:
            await self._save_hall(hall, values)
        else:
            await self.session.execute(update(HALLS).where(HALLS.c.id == hall.id).values(**values))
        changes = plan.changes()
        gone = [(ch.seat.id, ch.before.delegate_id) for ch in changes if ch.before is not None]
        if gone:
            result = await self.session.execute(delete(SEAT_ASSIGNMENTS).where(
                tuple_(SEAT_ASSIGNMENTS.c.seat_id, SEAT_ASSIGNMENTS.c.delegate_id).in_(gone)))
            if result.rowcount != len(gone):
                raise StalePlan()
        new = [{"seat_id": ch.seat.id, "congress_id": hall.congress_id, "delegate_id": ch.after.delegate_id,
                "delegation_id": ch.after.delegation_id, "locked": ch.after.locked, "assigned_at": now}
               for ch in changes if ch.after is not None]
        try:
            if new:
                await self.session.execute(insert(SEAT_ASSIGNMENTS), new)
        except IntegrityError as exc:
            raise SeatTaken(str(exc.orig)) from None

    async def _save_hall(self, hall: Hall, values: dict) -> None:
        exists = await self.session.scalar(select(HALLS.c.id).where(HALLS.c.id == hall.id))
        if exists:
            await self.session.execute(update(HALLS).where(HALLS.c.id == hall.id).values(**values))
            await self.session.execute(delete(SEATS).where(SEATS.c.hall_id == hall.id))
        else:
            await self.session.execute(insert(HALLS).values(id=hall.id, congress_id=hall.congress_id, **values))
        await self.session.execute(insert(SEATS), [
            {"id": s.id, "hall_id": hall.id, "label": s.label, "section": s.section, "row": s.row,
             "row_index": s.row_index, "number": s.number, "block": s.block, "x": s.x, "y": s.y,
             "status": str(s.status), "purpose": s.purpose} for s in hall.seats])

    async def emit(self, event: IntegrationEvent, *, congress_id: str) -> None:
        await self._emit(event, congress_id)

    async def commit(self) -> None:
        await self._commit()

    async def rollback(self) -> None:
        await self._rollback()
