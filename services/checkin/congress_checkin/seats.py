"""The check-in service's read model of seats, fed by seating events: who sits where, and whether it is published.

The kiosk and the desk show a delegate's seat in the check-in result once
the plan is published; until then ``seat`` is null.
"""
from __future__ import annotations

from congress_common.contracts import (
    TOPIC_SEATING,
    EventEnvelope,
    SeatAssigned,
    SeatingPublished,
    SeatReleased,
    UnknownEvent,
    parse_event,
)
from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .adapters.orm import SEAT_DIRECTORY, SEATING_PUBLICATION
from .api.schemas import SeatPublic


class SeatProjector:
    topic = TOPIC_SEATING

    async def __call__(self, session: AsyncSession, envelope: EventEnvelope) -> None:
        try:
            event = parse_event(envelope)
        except UnknownEvent:
            return
        match event:
            case SeatAssigned():
                await session.execute(delete(SEAT_DIRECTORY).where(SEAT_DIRECTORY.c.delegate_id == event.delegate_id))
                await session.execute(insert(SEAT_DIRECTORY).values(
                    delegate_id=event.delegate_id, congress_id=envelope.congress_id, seat_id=event.seat_id,
                    label=event.label, section=event.section, row=event.row, number=event.number))
            case SeatReleased():
                await session.execute(delete(SEAT_DIRECTORY).where(and_(
                    SEAT_DIRECTORY.c.delegate_id == event.delegate_id, SEAT_DIRECTORY.c.seat_id == event.seat_id)))
            case SeatingPublished():
                table = SEATING_PUBLICATION
                values = {"published_at": event.published_at}
                found = await session.scalar(select(table.c.congress_id).where(table.c.congress_id == envelope.congress_id))
                if found is None:
                    await session.execute(insert(table).values(congress_id=envelope.congress_id, **values))
                else:
                    await session.execute(update(table).where(table.c.congress_id == envelope.congress_id).values(**values))


async def published_seat(session: AsyncSession, congress_id: str, delegate_id: str) -> SeatPublic | None:
    published = await session.scalar(select(SEATING_PUBLICATION.c.published_at)
                                     .where(SEATING_PUBLICATION.c.congress_id == congress_id))
    if published is None:
        return None
    row = (await session.execute(select(SEAT_DIRECTORY).where(SEAT_DIRECTORY.c.delegate_id == delegate_id))).first()
    if row is None or row.congress_id != congress_id:
        return None
    return SeatPublic(label=row.label, section=row.section, row=row.row, number=row.number)
