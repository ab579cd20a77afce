"""Congress routes: every record of the installation belongs to one congress; settings, sessions, closing."""
from __future__ import annotations

from congress_common.auth import Admin, AnyMember, CurrentPrincipal, Organiser
from congress_common.runtime import SessionDep, UowDep
from fastapi import APIRouter, status
from sqlalchemy import func, select

from .. import congress_handlers, views
from ..adapters.orm import CheckIn, Congress, CongressSession, Delegate
from .schemas import CongressCreate, CongressPublic, CongressUpdate, SessionCreate, SessionPublic

router = APIRouter(prefix="/api/congresses", tags=["congresses"])


@router.get("", response_model=list[CongressPublic])
async def list_congresses(session: SessionDep, principal: CurrentPrincipal) -> list:
    return list(await views.list_congresses(session, principal))


@router.post("", response_model=CongressPublic, status_code=status.HTTP_201_CREATED)
async def create_congress(body: CongressCreate, uow: UowDep, _admin: Admin):
    congress = await congress_handlers.create_congress(uow, body.model_dump())
    return await uow.session.get(Congress, congress.id, populate_existing=True)  # with its first session


@router.get("/{cid}", response_model=CongressPublic)
async def get_congress(cid: str, session: SessionDep, _member: AnyMember):
    return await congress_handlers.get_congress(session, cid)


@router.patch("/{cid}", response_model=CongressPublic)
async def update_congress(cid: str, body: CongressUpdate, uow: UowDep, _org: Organiser):
    """Edit the settings: name, level, venue, date, the quorum rule (default 2/3), the report's age bands."""
    return await congress_handlers.update_congress(uow, cid, body.model_dump(exclude_unset=True))


@router.post("/{cid}/close", response_model=CongressPublic)
async def close_congress(cid: str, uow: UowDep, org: Organiser):
    """Close the congress: check-in is frozen for good and ``congress.closed`` is published."""
    return await congress_handlers.close_congress(uow, cid, f"{org.role}:{org.sub}")


@router.get("/{cid}/sessions", response_model=list[SessionPublic])
async def list_sessions(cid: str, session: SessionDep, _org: Organiser) -> list[SessionPublic]:
    congress = await congress_handlers.get_congress(session, cid)
    present = dict((await session.execute(
        select(CheckIn.session_id, func.count()).join(Delegate, Delegate.id == CheckIn.delegate_id)
        .where(CheckIn.congress_id == cid, CheckIn.revoked_at.is_(None), Delegate.kind == "official",
               Delegate.removed_at.is_(None)).group_by(CheckIn.session_id))).all())
    sittings = await session.scalars(select(CongressSession).where(CongressSession.congress_id == cid)
                                     .order_by(CongressSession.position))
    return [SessionPublic(id=s.id, name=s.name, position=s.position, current=s.id == congress.current_session_id,
                          present=present.get(s.id, 0)) for s in sittings]


@router.post("/{cid}/sessions", response_model=SessionPublic, status_code=status.HTTP_201_CREATED)
async def add_session(cid: str, body: SessionCreate, uow: UowDep, _org: Organiser) -> SessionPublic:
    added = await congress_handlers.add_session(uow, cid, body.name)
    return SessionPublic(id=added.id, name=added.name, position=added.position, current=False, present=0)


@router.patch("/{cid}/sessions/{session_id}", response_model=SessionPublic)
async def rename_session(cid: str, session_id: str, body: SessionCreate, uow: UowDep, org: Organiser):
    await congress_handlers.rename_session(uow, cid, session_id, body.name)
    return await _session_public(cid, session_id, uow.session, org)


@router.post("/{cid}/sessions/{session_id}/start", response_model=SessionPublic)
async def start_session(cid: str, session_id: str, uow: UowDep, org: Organiser) -> SessionPublic:
    """Check-ins go to this session from now on; each session keeps its own attendance."""
    await congress_handlers.start_session(uow, cid, session_id)
    return await _session_public(cid, session_id, uow.session, org)


async def _session_public(cid: str, session_id: str, session: SessionDep, org: Organiser) -> SessionPublic:
    return next(s for s in await list_sessions(cid, session, org) if s.id == session_id)
