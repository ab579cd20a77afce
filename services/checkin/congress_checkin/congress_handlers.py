"""Handlers of the congress itself: settings (quorum rule, age bands), sessions, absence notes, closing."""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from congress_common.contracts import (
    CongressClosed,
    CongressCreated,
    CongressSessionStarted,
    CongressUpdated,
    utcnow,
)
from congress_common.errors import Conflict, Invalid, NotFound
from congress_common.runtime import UnitOfWork
from sqlalchemy import delete, func, select

from .adapters.orm import AbsenceNote, CheckIn, Congress, CongressSession, Delegate
from .domain.age_bands import check_age_bands
from .domain.attendance import QuorumRule

FIRST_SESSION = "Phiên thứ nhất"
SETTINGS = ("name", "level", "venue", "starts_on", "quorum_numerator", "quorum_denominator", "age_bands")


def new_id() -> str:
    return str(uuid.uuid4())


async def get_congress(session, congress_id: str) -> Congress:
    congress = await session.get(Congress, congress_id)
    if congress is None:
        raise NotFound("Không tìm thấy đại hội")
    return congress


def ensure_open(congress: Congress) -> Congress:
    """The congress, unless it is closed (closing freezes check-in and attendance)."""
    if congress.closed_at is not None:
        raise Conflict("Đại hội đã bế mạc: không điểm danh và không thay đổi số liệu có mặt được nữa")
    return congress


def rule_of(congress: Congress) -> QuorumRule:
    return QuorumRule(congress.quorum_numerator, congress.quorum_denominator)


async def create_congress(uow: UnitOfWork, data: Mapping[str, Any]) -> Congress:
    """A congress with its first session, where check-ins go until the organisers start another."""
    now = utcnow()
    congress = Congress(id=new_id(), created_at=now, quorum_numerator=2, quorum_denominator=3, **data)
    first = CongressSession(id=new_id(), congress_id=congress.id, name=FIRST_SESSION, position=1, created_at=now)
    congress.current_session_id = first.id
    uow.session.add(congress)
    await uow.session.flush()
    uow.session.add(first)
    await uow.emit(_snapshot(congress, CongressCreated), congress_id=congress.id)
    await uow.commit()
    return congress


async def update_congress(uow: UnitOfWork, congress_id: str, fields: Mapping[str, Any]) -> Congress:
    congress = await get_congress(uow.session, congress_id)
    try:
        rule = QuorumRule(fields.get("quorum_numerator", congress.quorum_numerator),
                          fields.get("quorum_denominator", congress.quorum_denominator))
    except ValueError as exc:
        raise Invalid(str(exc), errors=[{"field": "quorum_numerator", "message": str(exc)}]) from None
    if congress.closed_at is not None and (rule != rule_of(congress) or "age_bands" in fields):
        raise Conflict("Đại hội đã bế mạc: không đổi được tỷ lệ tối thiểu hay độ tuổi của báo cáo đã chốt")
    if fields.get("age_bands") is not None:
        try:
            check_age_bands(fields["age_bands"])
        except ValueError as exc:
            raise Invalid(str(exc), errors=[{"field": "age_bands", "message": str(exc)}]) from None
    for name in SETTINGS:
        if name in fields:
            setattr(congress, name, fields[name])
    await uow.emit(_snapshot(congress, CongressUpdated), congress_id=congress.id)
    await uow.commit()
    return congress


def _snapshot(congress: Congress, event_type: type[CongressCreated]) -> CongressCreated:
    return event_type(congress_id=congress.id, name=congress.name, level=str(congress.level), venue=congress.venue,
                      starts_on=congress.starts_on)


async def close_congress(uow: UnitOfWork, congress_id: str, actor: str) -> Congress:
    """Close the congress: check-in is frozen for good; ``congress.closed`` lets the kiosks stop and faces be purged."""
    congress = await get_congress(uow.session, congress_id)
    if congress.closed_at is not None:
        return congress  # closing twice is harmless
    congress.closed_at, congress.closed_by = utcnow(), actor
    from .face_enrolment import delete_congress_faces  # (imported here: the face path builds on these handlers)

    await delete_congress_faces(uow, congress.id)  # biometric data is kept no longer than its purpose: this congress
    await uow.emit(CongressClosed(congress_id=congress.id, closed_at=congress.closed_at), congress_id=congress.id)
    await uow.commit()
    return congress


async def get_session(session, congress_id: str, session_id: str) -> CongressSession:
    found = await session.get(CongressSession, session_id)
    if found is None or found.congress_id != congress_id:
        raise NotFound("Không tìm thấy phiên họp")
    return found


async def add_session(uow: UnitOfWork, congress_id: str, name: str) -> CongressSession:
    ensure_open(await get_congress(uow.session, congress_id))
    last = await uow.session.scalar(select(func.max(CongressSession.position))
                                    .where(CongressSession.congress_id == congress_id))
    added = CongressSession(id=new_id(), congress_id=congress_id, name=" ".join(name.split()),
                            position=(last or 0) + 1, created_at=utcnow())
    uow.session.add(added)
    await uow.commit()
    return added


async def rename_session(uow: UnitOfWork, congress_id: str, session_id: str, name: str) -> CongressSession:
    found = await get_session(uow.session, congress_id, session_id)
    found.name = " ".join(name.split())
    await uow.commit()
    return found


async def start_session(uow: UnitOfWork, congress_id: str, session_id: str) -> CongressSession:
    """Check-ins go to this session from now on (it starts empty, or with whoever already checked in to it)."""
    congress = ensure_open(await get_congress(uow.session, congress_id))
    started = await get_session(uow.session, congress_id, session_id)
    if congress.current_session_id == started.id:
        return started
    congress.current_session_id = started.id
    present = list(await uow.session.scalars(select(CheckIn.delegate_id).where(
        CheckIn.session_id == started.id, CheckIn.revoked_at.is_(None))))
    await uow.emit(CongressSessionStarted(session_id=started.id, name=started.name, present_delegate_ids=present),
                   congress_id=congress_id)
    await uow.commit()
    return started


async def note_absence(uow: UnitOfWork, congress_id: str, delegate_id: str, reason: str, actor: str,
                       session_id: str | None = None) -> AbsenceNote:
    """Record why a delegate is absent from a session (the current one by default); replaces an earlier note."""
    congress = await get_congress(uow.session, congress_id)
    session_id = (await get_session(uow.session, congress_id, session_id)).id if session_id else congress.current_session_id
    delegate = await uow.session.get(Delegate, delegate_id)
    if delegate is None or delegate.congress_id != congress_id or delegate.removed_at is not None:
        raise NotFound("Không tìm thấy đại biểu")
    note = await uow.session.get(AbsenceNote, (session_id, delegate_id))
    if note is None:
        note = AbsenceNote(session_id=session_id, delegate_id=delegate_id, congress_id=congress_id)
        uow.session.add(note)
    note.reason, note.recorded_by, note.recorded_at = " ".join(reason.split()), actor, utcnow()
    await uow.commit()
    return note


async def clear_absence(uow: UnitOfWork, congress_id: str, delegate_id: str, session_id: str | None = None) -> None:
    congress = await get_congress(uow.session, congress_id)
    session_id = (await get_session(uow.session, congress_id, session_id)).id if session_id else congress.current_session_id
    await uow.session.execute(delete(AbsenceNote).where(AbsenceNote.session_id == session_id,
                                                        AbsenceNote.delegate_id == delegate_id))
    await uow.commit()
