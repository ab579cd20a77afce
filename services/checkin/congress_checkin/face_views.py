"""Read side of the organisers' face screen: who consented (when, how), how many photos, who is a look-alike.

Never a template, a photo or a distance: only counts and flags.
"""
from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from . import views
from .adapters.face_tables import FaceConsent, FaceTemplate
from .adapters.orm import Delegate
from .api.face_schemas import FaceDelegatePage, FaceDelegateRow
from .domain.faces.policy import FacePolicy, Gallery


class FaceStatus(StrEnum):
    no_consent = "no_consent"  # never consented, or withdrew
    consented = "consented"  # consent recorded, no usable photo yet
    enrolled = "enrolled"  # consent and at least one template


def _query(congress_id: str, q: str | None, status: FaceStatus | None) -> Select:
    photos = (select(FaceTemplate.delegate_id, func.count().label("photos")).where(FaceTemplate.congress_id == congress_id)
              .group_by(FaceTemplate.delegate_id).subquery())
    query = (select(Delegate, FaceConsent, func.coalesce(photos.c.photos, 0))
             .outerjoin(FaceConsent, FaceConsent.delegate_id == Delegate.id)
             .outerjoin(photos, photos.c.delegate_id == Delegate.id)
             .where(Delegate.congress_id == congress_id, Delegate.removed_at.is_(None)))
    active = FaceConsent.given_at.is_not(None) & FaceConsent.withdrawn_at.is_(None)
    if status is FaceStatus.no_consent:
        query = query.where(~active | FaceConsent.delegate_id.is_(None))
    elif status is FaceStatus.consented:
        query = query.where(active, photos.c.photos.is_(None))
    elif status is FaceStatus.enrolled:
        query = query.where(active, photos.c.photos > 0)
    return views.matching(query, q)


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _row(delegate: Delegate, consent: FaceConsent | None, photos: int, gallery: Gallery, policy: FacePolicy) -> FaceDelegateRow:
    given = consent is not None and consent.withdrawn_at is None
    return FaceDelegateRow(
        id=delegate.id, code=delegate.code, full_name=delegate.full_name, delegation_name=delegate.delegation.name,
        kind=delegate.kind, consent=given, consent_method=consent.method if consent else None,
        consent_given_at=_utc(consent.given_at) if consent else None,
        consent_recorded_by=consent.recorded_by if consent else None,
        consent_withdrawn_at=_utc(consent.withdrawn_at) if consent else None, photos=photos,
        lookalike=delegate.id in gallery.index and gallery.is_lookalike(delegate.id, policy))


async def list_face_delegates(session: AsyncSession, congress_id: str, gallery: Gallery, policy: FacePolicy, *,
                              q: str | None = None, status: FaceStatus | None = None, limit: int = 100,
                              offset: int = 0) -> FaceDelegatePage:
    """The congress's delegates, in the Vietnamese order, with their consent and enrolment (searchable without diacritics)."""
    rows, total = await views.ranked_page(session, _query(congress_id, q, status), q, limit, offset)
    return FaceDelegatePage(items=[_row(d, c, n, gallery, policy) for d, c, n in rows], total=total)
