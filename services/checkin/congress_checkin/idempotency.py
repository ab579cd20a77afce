"""Idempotency keys of kiosk check-ins: a queued request sent twice (or again after an undo) answers the first result.

The kiosk makes one key per attempt and keeps it with the queued request in
IndexedDB; the unique active check-in already counts a repeat once, the key
also keeps a replay from checking someone in again after their check-in was undone.
"""
from __future__ import annotations

from congress_common.contracts import utcnow
from congress_common.runtime import UnitOfWork
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from .adapters.face_tables import CheckinRequest
from .adapters.orm import CheckIn


async def remembered(session: AsyncSession, congress_id: str, key: str) -> CheckIn | None:
    request = await session.get(CheckinRequest, (congress_id, key))
    return None if request is None else await session.get(CheckIn, request.checkin_id)


async def remember(uow: UnitOfWork, congress_id: str, key: str, checkin: CheckIn) -> CheckIn:
    """Record the key's check-in; if a concurrent request with the same key won, answer its check-in."""
    uow.session.add(CheckinRequest(congress_id=congress_id, key=key, checkin_id=checkin.id, created_at=utcnow()))
    try:
        await uow.commit()
    except IntegrityError:
        await uow.rollback()
        return await remembered(uow.session, congress_id, key) or checkin
    return checkin
