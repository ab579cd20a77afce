"""What the invitations and badges print: the chosen delegates (all, one delegation, or a selection) with their
login code, PIN and badge QR; where photos come from; marking badges printed.

Photos are a port: ``BadgePhotos.photos(session, congress_id, delegate_ids)`` gives the image bytes (JPEG or PNG)
of those who have one; the check-in service wires ``adapters.badge_photos.EnrolledBadgePhotos`` (the first kept
enrolment photo, only where the congress keeps photos) on ``app.state.badge_photos``.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from congress_common.contracts import utcnow
from congress_common.errors import NotFound
from congress_common.text import vietnamese_text_key
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .adapters.orm import Congress, Delegate, Delegation
from .domain.badges import badge_token, invitation_pin
from .domain.roster_import import KIND_LABELS, ROLE_LABELS


class BadgePhotos(Protocol):
    async def photos(self, session: AsyncSession, congress_id: str,
                     delegate_ids: Sequence[str]) -> dict[str, bytes]: ...


async def chosen_delegates(session: AsyncSession, congress_id: str, *, delegation_id: str | None = None,
                           delegate_ids: Sequence[str] | None = None) -> list[Delegate]:
    """The delegates to print, by delegation then name (the order they are handed out in); withdrawn ones only
    when picked by name."""
    query = (select(Delegate).join(Delegation, Delegation.id == Delegate.delegation_id)
             .where(Delegate.congress_id == congress_id, Delegate.removed_at.is_(None)))
    if delegation_id:
        query = query.where(Delegate.delegation_id == delegation_id)
    if delegate_ids:
        query = query.where(Delegate.id.in_(list(delegate_ids)))
    else:
        query = query.where(Delegate.withdrawn_at.is_(None))
    chosen = list((await session.scalars(query)).unique())
    if not chosen:
        raise NotFound("Không có đại biểu nào để in trong lựa chọn này")
    return sorted(chosen, key=lambda d: (vietnamese_text_key(d.delegation.name), d.sort_key, d.code))


def person_card(secret: str, congress: Congress, delegate: Delegate) -> dict:
    """The facts both printouts show about one delegate (plain data for the PDF worker)."""
    return {
        "code": delegate.code, "full_name": delegate.full_name, "delegation": delegate.delegation.name,
        "kind": delegate.kind, "kind_label": KIND_LABELS.get(delegate.kind, delegate.kind),
        "roles": [ROLE_LABELS.get(r, r) for r in delegate.roles or []], "position": delegate.position,
        "sending_unit": delegate.sending_unit,
        "qr": badge_token(secret, congress.id, delegate.id, delegate.badge_version),
        "pin": invitation_pin(secret, congress.id, delegate.id, delegate.badge_version),
    }


def congress_facts(congress: Congress, app_url: str | None) -> dict:
    return {"name": congress.name, "venue": congress.venue,
            "starts_on": congress.starts_on.strftime("%d/%m/%Y") if congress.starts_on else None,
            "app_url": app_url}


async def mark_badges_printed(session: AsyncSession, delegate_ids: Sequence[str]) -> None:
    """Their badge is in the world now: an import may no longer rename them without a confirmation of its own."""
    await session.execute(update(Delegate).where(Delegate.id.in_(list(delegate_ids))).values(badge_printed_at=utcnow()))
    await session.commit()
