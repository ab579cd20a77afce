"""Seating routes: hall, automatic placement, manual edits, publication, the seat map's data, a delegate's seat.

Each route turns its input into one command and calls one handler.
"""
from __future__ import annotations

from typing import Annotated

from congress_common.auth import Organiser, Principal, Role, require
from congress_common.errors import NotFound
from congress_common.runtime import SessionDep
from fastapi import APIRouter

from .. import handlers, views
from ..adapters.repository import load_plan
from ..domain import commands as c
from ..domain.plan import SeatPlan
from .deps import SeatingUow
from .schemas import (
    AssignRequest,
    ClearRequest,
    HallCopy,
    HallCreate,
    LockRequest,
    MySeat,
    PlacementReport,
    PlacementRequest,
    PlanView,
    SwapRequest,
)

router = APIRouter(prefix="/api/congresses/{cid}/seating", tags=["seating"])
me_router = APIRouter(prefix="/api/congresses/{cid}/me", tags=["seating"])
Delegate = Annotated[Principal, require(Role.delegate)]


NEEDS_CONFIRMATION = {409: {"description": "The change would unseat people (listed in `errors`): send again with confirm"}}


async def plan_or_404(session: SessionDep, cid: str) -> SeatPlan:
    plan = await load_plan(session, cid)
    if plan is None:
        raise NotFound("Đại hội chưa có sơ đồ hội trường: tạo hội trường trước")
    return plan


async def _view(session: SessionDep, cid: str) -> PlanView:
    return views.plan_view(await plan_or_404(session, cid))


@router.get("/plan", response_model=PlanView)
async def get_plan(cid: str, session: SessionDep, _org: Organiser) -> PlanView:
    """The hall, every seat with its occupant, the roster with who is present, delegations and warnings."""
    return await _view(session, cid)


@router.put("/hall", response_model=PlanView, responses=NEEDS_CONFIRMATION)
async def put_hall(cid: str, body: HallCreate, uow: SeatingUow, session: SessionDep, _org: Organiser) -> PlanView:
    await handlers.create_hall(uow, c.CreateHall(cid, body.name, body.spec(), confirm=body.confirm))
    return await _view(session, cid)


@router.post("/hall/copy", response_model=PlanView, responses=NEEDS_CONFIRMATION)
async def copy_hall(cid: str, body: HallCopy, uow: SeatingUow, session: SessionDep, org: Organiser) -> PlanView:
    if not org.can_access(body.from_congress_id):
        raise NotFound("Đại hội nguồn chưa có sơ đồ hội trường")
    await handlers.copy_hall(uow, c.CopyHall(cid, body.from_congress_id, body.confirm))
    return await _view(session, cid)


@router.post("/placement", response_model=PlacementReport)
async def run_placement(cid: str, body: PlacementRequest, uow: SeatingUow, _org: Organiser) -> PlacementReport:
    plan, result = await handlers.run_placement(uow, c.RunPlacement(cid, body.options()))
    return PlacementReport(seated=len(plan.seats), unseated=len(result.unseated), split=result.split,
                           problems=result.problems)


@router.post("/assign", response_model=PlanView)
async def assign(cid: str, body: AssignRequest, uow: SeatingUow, session: SessionDep, _org: Organiser) -> PlanView:
    await handlers.assign_seat(uow, c.AssignSeat(cid, body.seat_id, body.delegate_id))
    return await _view(session, cid)


@router.post("/swap", response_model=PlanView)
async def swap(cid: str, body: SwapRequest, uow: SeatingUow, session: SessionDep, _org: Organiser) -> PlanView:
    await handlers.swap_seats(uow, c.SwapSeats(cid, body.seat_a, body.seat_b))
    return await _view(session, cid)


@router.post("/clear", response_model=PlanView)
async def clear(cid: str, body: ClearRequest, uow: SeatingUow, session: SessionDep, _org: Organiser) -> PlanView:
    await handlers.clear_seat(uow, c.ClearSeat(cid, body.seat_id))
    return await _view(session, cid)


@router.post("/lock", response_model=PlanView)
async def lock(cid: str, body: LockRequest, uow: SeatingUow, session: SessionDep, _org: Organiser) -> PlanView:
    await handlers.lock_seats(uow, c.LockSeats(cid, tuple(body.seat_ids), body.locked))
    return await _view(session, cid)


@router.post("/publish", response_model=PlanView)
async def publish(cid: str, uow: SeatingUow, session: SessionDep, _org: Organiser) -> PlanView:
    await handlers.publish_plan(uow, c.PublishPlan(cid))
    return await _view(session, cid)


@me_router.get("/seat", response_model=MySeat)
async def my_seat(cid: str, session: SessionDep, me: Delegate) -> MySeat:
    """The signed-in delegate's seat, once the plan is published, with a small map of the hall."""
    return views.my_seat(await load_plan(session, cid), me.delegate_id or "")
