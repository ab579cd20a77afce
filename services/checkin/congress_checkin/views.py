"""Read-side queries of the check-in service (lists, attendance): no aggregates, no events."""
from __future__ import annotations

from collections.abc import Sequence

from congress_common.auth import Principal, Role
from congress_common.contracts import DelegateKind
from congress_common.text import fold, search_rank, vietnamese_text_key
from sqlalchemy import Row, Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .adapters.orm import CheckIn, Congress, CongressSession, Delegate, Delegation
from .api.schemas import AttendancePublic, CheckInPublic, DelegatePage, DelegatePublic, DelegationPublic, SeatPublic
from .congress_handlers import rule_of
from .domain.attendance import Attendance


async def list_congresses(session: AsyncSession, principal: Principal) -> Sequence[Congress]:
    query = select(Congress).order_by(Congress.created_at.desc())
    if principal.role is not Role.admin:
        query = query.where(Congress.id.in_(principal.congress_ids))
    return (await session.scalars(query)).all()


async def open_congresses(session: AsyncSession, limit: int = 200) -> Sequence[Row]:
    """The congresses not closed yet, the next or latest first: what a delegate's phone offers to log in to."""
    return (await session.execute(
        select(Congress.id, Congress.name, Congress.starts_on).where(Congress.closed_at.is_(None))
        .order_by(Congress.starts_on.desc().nulls_last(), Congress.created_at.desc()).limit(limit))).all()


def _escape_like(token: str) -> str:
    return token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matching(query: Select, q: str | None) -> Select:
    """Delegates whose name, code or delegation holds every word of ``q``, typed with or without diacritics."""
    for token in fold(q or "").split():
        query = query.where(Delegate.search_key.like(f"%{_escape_like(token)}%", escape="\\"))
    return query


async def ranked_page(session: AsyncSession, query: Select, q: str | None, limit: int,
                      offset: int) -> tuple[list[Row], int]:
    """One page of ``query`` (rows starting with a Delegate) and the total: in the Vietnamese order, or, for a
    search, best match first (same diacritics, then whole words, then the rest: ``search_rank``)."""
    if not fold(q or ""):
        total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = (await session.execute(query.order_by(Delegate.sort_key, Delegate.code).limit(limit).offset(offset)))
        return list(rows.all()), total
    keys = (await session.execute(query.with_only_columns(
        Delegate.id, Delegate.full_name, Delegate.code, Delegation.name, Delegate.sort_key)
        .join(Delegation, Delegation.id == Delegate.delegation_id))).all()
    keys.sort(key=lambda k: (search_rank(q or "", k.full_name, k.code, k.name), k.sort_key, k.code))
    ids = [k.id for k in keys[offset:offset + limit]]
    found = {row[0].id: row for row in (await session.execute(query.where(Delegate.id.in_(ids)))).all()} if ids else {}
    return [found[i] for i in ids if i in found], len(keys)


async def current_session_id(session: AsyncSession, congress_id: str) -> str | None:
    return await session.scalar(select(Congress.current_session_id).where(Congress.id == congress_id))


def _delegates_query(congress_id: str, session_id: str | None, q: str | None, kind: DelegateKind | None,
                     delegation_id: str | None) -> Select:
    """Delegates with their active check-in of ``session_id`` (None when they have not checked in to it)."""
    active = and_(CheckIn.delegate_id == Delegate.id, CheckIn.session_id == session_id, CheckIn.revoked_at.is_(None))
    query = (select(Delegate, CheckIn).outerjoin(CheckIn, active)
             .where(Delegate.congress_id == congress_id, Delegate.removed_at.is_(None)))
    query = matching(query, q)
    if kind is not None:
        query = query.where(Delegate.kind == str(kind))
    if delegation_id is not None:
        query = query.where(Delegate.delegation_id == delegation_id)
    return query


def delegate_public(delegate: Delegate, checkin: CheckIn | None) -> DelegatePublic:
    return DelegatePublic(
        id=delegate.id, code=delegate.code, full_name=delegate.full_name, delegation_id=delegate.delegation_id,
        delegation_name=delegate.delegation.name, kind=delegate.kind, roles=delegate.roles or [],
        gender=delegate.gender, birth_year=delegate.birth_year, ethnicity=delegate.ethnicity,
        party_member=delegate.party_member, education=delegate.education, position=delegate.position,
        sending_unit=delegate.sending_unit, phone=delegate.phone, email=delegate.email,
        checked_in=checkin is not None, checkin_id=checkin.id if checkin else None,
        checked_in_at=checkin.checked_in_at if checkin else None, checkin_method=checkin.method if checkin else None,
        withdrawn=delegate.withdrawn_at is not None, withdrawn_at=delegate.withdrawn_at,
        withdraw_reason=delegate.withdraw_reason, badge_printed_at=delegate.badge_printed_at,
    )


async def list_delegates(session: AsyncSession, congress_id: str, *, q: str | None = None,
                         kind: DelegateKind | None = None, delegation_id: str | None = None,
                         limit: int = 100, offset: int = 0) -> DelegatePage:
    query = _delegates_query(congress_id, await current_session_id(session, congress_id), q, kind, delegation_id)
    rows, total = await ranked_page(session, query, q, limit, offset)
    return DelegatePage(items=[delegate_public(d, c) for d, c in rows], total=total)


async def delegate_with_checkin(session: AsyncSession, congress_id: str, delegate_id: str) -> DelegatePublic | None:
    query = _delegates_query(congress_id, await current_session_id(session, congress_id), None, None, None)
    query = query.where(Delegate.id == delegate_id)
    row = (await session.execute(query)).first()
    return delegate_public(*row) if row else None


async def attendance(session: AsyncSession, congress: Congress, session_id: str | None = None) -> Attendance:
    """Summoned (official delegates, withdrawn ones included) and present in one session (the current by default)."""
    summoned = await session.scalar(select(func.count()).select_from(Delegate).where(
        Delegate.congress_id == congress.id, Delegate.removed_at.is_(None),
        Delegate.kind == DelegateKind.official.value))
    present = dict((await session.execute(
        select(Delegate.kind, func.count()).join(CheckIn, CheckIn.delegate_id == Delegate.id)
        .where(CheckIn.session_id == (session_id or congress.current_session_id), CheckIn.revoked_at.is_(None),
               Delegate.removed_at.is_(None))
        .group_by(Delegate.kind))).all())
    return Attendance(summoned=summoned or 0, present_official=present.get("official", 0),
                      present_alternate=present.get("alternate", 0), present_guest=present.get("guest", 0),
                      rule=rule_of(congress))


def attendance_public(value: Attendance, congress: Congress, sitting: CongressSession | None) -> AttendancePublic:
    return AttendancePublic(
        summoned=value.summoned, present=value.present, absent=value.absent, quorum_required=value.quorum_required,
        quorum_met=value.quorum_met, quorum_rule=value.rule.label, present_by_kind={
            "official": value.present_official, "alternate": value.present_alternate, "guest": value.present_guest},
        session_id=sitting.id if sitting else None, session_name=sitting.name if sitting else None,
        closed=congress.closed_at is not None,
    )


def checkin_public(checkin: CheckIn, *, already: bool = False, seat: SeatPublic | None = None) -> CheckInPublic:
    return CheckInPublic(seat=seat,
        id=checkin.id, delegate_id=checkin.delegate_id, full_name=checkin.delegate.full_name,
        delegation_name=checkin.delegate.delegation.name, kind=checkin.delegate.kind, method=checkin.method,
        checked_in_at=checkin.checked_in_at, already_checked_in=already, revoked_at=checkin.revoked_at,
        revoke_reason=checkin.revoke_reason,
    )


async def recent_checkins(session: AsyncSession, congress_id: str, limit: int) -> list[CheckInPublic]:
    """The latest check-ins of the current session (undone ones too, marked)."""
    rows = await session.scalars(select(CheckIn).where(
        CheckIn.congress_id == congress_id, CheckIn.session_id == await current_session_id(session, congress_id))
        .order_by(CheckIn.checked_in_at.desc()).limit(limit))
    return [checkin_public(c) for c in rows]


async def list_delegations(session: AsyncSession, congress_id: str) -> list[DelegationPublic]:
    rows = await session.execute(
        select(Delegation.id, Delegation.name, func.count(Delegate.id), func.count(Delegate.badge_printed_at))
        .outerjoin(Delegate, and_(Delegate.delegation_id == Delegation.id, Delegate.removed_at.is_(None)))
        .where(Delegation.congress_id == congress_id).group_by(Delegation.id, Delegation.name))
    listed = [DelegationPublic(id=i, name=n, delegates=c, badges_printed=p) for i, n, c, p in rows]
    return sorted(listed, key=lambda d: vietnamese_text_key(d.name))  # the order of every printed list


async def delegate_token_versions(session: AsyncSession, congress_id: str) -> dict[str, int]:
    """The badge version of each delegate of the congress who may still log in (not removed, not withdrawn)."""
    rows = await session.execute(select(Delegate.id, Delegate.badge_version).where(
        Delegate.congress_id == congress_id, Delegate.removed_at.is_(None), Delegate.withdrawn_at.is_(None)))
    return dict(rows.tuples().all())
