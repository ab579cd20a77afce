"""A delegate directory read model, built from check-in events, for services that need the roster.

Seating and documents both keep one in their own database: who the
delegates of a congress are and who is present. The projection is written
by ``IdempotentConsumer``, so a redelivered event is skipped.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Column, DateTime, MetaData, String, Table, delete, false, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .contracts import (
    TOPIC_CHECKIN,
    CheckInRevoked,
    CongressCreated,
    CongressSessionStarted,
    CongressUpdated,
    DelegateCheckedIn,
    DelegateRegistered,
    DelegateReinstated,
    DelegateRemoved,
    DelegateUpdated,
    DelegateWithdrawn,
    EventEnvelope,
    UnknownEvent,
    parse_event,
)


def define_directory_tables(metadata: MetaData) -> tuple[Table, Table]:
    congresses = Table(
        "known_congresses", metadata,
        Column("id", String(36), primary_key=True),
        Column("name", String(300), nullable=False),
        Column("level", String(20), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
    delegates = Table(
        "known_delegates", metadata,
        Column("id", String(36), primary_key=True),
        Column("congress_id", String(36), nullable=False, index=True),
        Column("code", String(40), nullable=False),
        Column("full_name", String(200), nullable=False),
        Column("sort_key", String(800), nullable=False),
        Column("delegation_id", String(36), nullable=False),
        Column("delegation_name", String(300), nullable=False),
        Column("kind", String(20), nullable=False),
        Column("roles", JSON, nullable=False),
        Column("present", Boolean, nullable=False, default=False),
        Column("withdrawn", Boolean, nullable=False, default=False, server_default=false()),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
    return congresses, delegates


class DirectoryProjector:
    """Applies check-in events to the directory tables inside the consumer's transaction."""

    topic = TOPIC_CHECKIN

    def __init__(self, congresses: Table, delegates: Table) -> None:
        self.congresses, self.delegates = congresses, delegates

    async def __call__(self, session: AsyncSession, envelope: EventEnvelope) -> None:
        try:
            event = parse_event(envelope)
        except UnknownEvent:
            return  # events of other kinds on the topic are not this projection's business
        at = envelope.occurred_at
        match event:
            case CongressCreated() | CongressUpdated():
                await self._upsert(session, self.congresses, event.congress_id,
                                   {"name": event.name, "level": event.level, "updated_at": at})
            case DelegateRegistered() | DelegateUpdated():
                await self._upsert(session, self.delegates, event.delegate_id, self._delegate_row(envelope, event))
            case DelegateRemoved():
                await session.execute(delete(self.delegates).where(self.delegates.c.id == event.delegate_id))
            case DelegateWithdrawn() | DelegateReinstated():  # kept on record; not to be seated or counted
                await session.execute(update(self.delegates).where(self.delegates.c.id == event.delegate_id)
                                      .values(withdrawn=isinstance(event, DelegateWithdrawn), updated_at=at))
            case DelegateCheckedIn() | CheckInRevoked():
                present = isinstance(event, DelegateCheckedIn)
                await session.execute(update(self.delegates).where(self.delegates.c.id == event.delegate_id)
                                      .values(present=present, updated_at=at))
            case CongressSessionStarted():  # "present" follows the session that check-ins now go to
                table = self.delegates
                await session.execute(update(table).where(table.c.congress_id == envelope.congress_id)
                                      .values(present=table.c.id.in_(event.present_delegate_ids), updated_at=at))

    @staticmethod
    def _delegate_row(envelope: EventEnvelope, event: DelegateRegistered | DelegateUpdated) -> dict[str, Any]:
        return {
            "congress_id": envelope.congress_id, "code": event.code, "full_name": event.full_name,
            "sort_key": event.sort_key, "delegation_id": event.delegation_id,
            "delegation_name": event.delegation_name, "kind": str(event.kind),
            "roles": [str(r) for r in event.roles], "updated_at": envelope.occurred_at,
        }

    @staticmethod
    async def _upsert(session: AsyncSession, table: Table, key: str, values: dict[str, Any]) -> None:
        exists = await session.scalar(select(table.c.id).where(table.c.id == key))
        if exists is None:
            defaults = {"present": False, "withdrawn": False} if "present" in table.c else {}
            await session.execute(insert(table).values(id=key, **defaults, **values))
        else:
            await session.execute(update(table).where(table.c.id == key).values(**values))


async def directory_delegates(session: AsyncSession, delegates: Table, congress_id: str) -> list[dict[str, Any]]:
    rows = await session.execute(select(delegates).where(delegates.c.congress_id == congress_id)
                                 .order_by(delegates.c.sort_key, delegates.c.code))
    return [dict(row._mapping) for row in rows]
