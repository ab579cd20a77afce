"""Command handlers: each loads the seat plan, asks the domain, saves the changes and their events in one unit of work."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from congress_common.contracts import SeatAssigned, SeatingPublished, SeatReleased, utcnow
from congress_common.errors import Conflict, Invalid, NotFound

from .domain import commands as c
from .domain.hall import Hall, seats_from_spec
from .domain.placement import PlacementResult
from .domain.plan import SeatPlan
from .unit_of_work import SeatingUnitOfWork, SeatTaken, StalePlan


async def load_plan(uow: SeatingUnitOfWork, congress_id: str) -> SeatPlan:
    plan = await uow.get_plan(congress_id)
    if plan is None:
        raise NotFound("Đại hội chưa có sơ đồ hội trường: tạo hội trường trước")
    return plan


async def save(uow: SeatingUnitOfWork, plan: SeatPlan, *, hall_changed: bool = False) -> None:
    """Save the plan and emit one event per seat whose occupant changed, then commit."""
    congress_id = plan.hall.congress_id
    for change in plan.changes():
        seat, before, after = change.seat, change.before, change.after
        if before and (after is None or after.delegate_id != before.delegate_id):
            await uow.emit(SeatReleased(seat_id=seat.id, label=seat.label, delegate_id=before.delegate_id),
                           congress_id=congress_id)
    for change in plan.changes():
        seat, before, after = change.seat, change.before, change.after
        if after and (before is None or after.delegate_id != before.delegate_id):
            await uow.emit(SeatAssigned(seat_id=seat.id, label=seat.label, section=seat.section, row=seat.row,
                                        number=seat.number, delegate_id=after.delegate_id,
                                        delegation_id=after.delegation_id), congress_id=congress_id)
    await uow.save_plan(plan, hall_changed=hall_changed)
    await uow.commit()
    plan.mark_saved()


async def edit(uow: SeatingUnitOfWork, congress_id: str, change: Callable[[SeatPlan], object]) -> SeatPlan:
    """Load, change, save; a concurrent edit that wins the race becomes a 409 naming who holds the seat."""
    plan = await load_plan(uow, congress_id)
    change(plan)
    try:
        await save(uow, plan)
    except (SeatTaken, StalePlan):
        await uow.rollback()
        fresh = await load_plan(uow, congress_id)
        raise Conflict(_race_message(plan, fresh)) from None
    return plan


def _race_message(mine: SeatPlan, fresh: SeatPlan) -> str:
    for change in mine.changes():
        if change.after is None:
            continue
        holder = fresh.seats.get(change.seat.id)
        if holder is not None and holder.delegate_id != change.after.delegate_id:
            return f"Ghế {change.seat.label} vừa được xếp cho {fresh.occupant_text(change.seat.id)}; tải lại sơ đồ"
    return "Sơ đồ chỗ ngồi vừa được người khác thay đổi: tải lại sơ đồ rồi thử lại"


async def create_hall(uow: SeatingUnitOfWork, cmd: c.CreateHall) -> SeatPlan:
    defs = list(cmd.seats) if cmd.seats else seats_from_spec(cmd.spec) if cmd.spec else []
    existing = await uow.get_plan(cmd.congress_id)
    hall_id = existing.hall.id if existing else str(uuid.uuid4())
    hall = Hall.build(hall_id, cmd.congress_id, cmd.name, defs)
    return await _put_hall(uow, existing, hall, cmd.congress_id, confirm=cmd.confirm)


async def copy_hall(uow: SeatingUnitOfWork, cmd: c.CopyHall) -> SeatPlan:
    source = await uow.get_hall(cmd.from_congress_id)
    if source is None:
        raise NotFound("Đại hội nguồn chưa có sơ đồ hội trường")
    existing = await uow.get_plan(cmd.congress_id)
    hall_id = existing.hall.id if existing else str(uuid.uuid4())
    defs = [_seat_def(s) for s in source.seats]
    hall = Hall.build(hall_id, cmd.congress_id, source.name, defs)
    return await _put_hall(uow, existing, hall, cmd.congress_id, confirm=cmd.confirm)


def _seat_def(seat):
    from .domain.hall import SeatDef

    return SeatDef(seat.section, seat.row, seat.number, seat.label, seat.block, seat.status, seat.purpose)


async def _put_hall(uow: SeatingUnitOfWork, existing: SeatPlan | None, hall: Hall, congress_id: str, *,
                    confirm: bool) -> SeatPlan:
    if existing is None:
        plan = SeatPlan(hall, await uow.get_roster(congress_id))
    else:
        plan = existing
        plan.change_hall(hall, confirm=confirm)
    await save(uow, plan, hall_changed=True)
    return plan


async def run_placement(uow: SeatingUnitOfWork, cmd: c.RunPlacement) -> tuple[SeatPlan, PlacementResult]:
    result: list[PlacementResult] = []
    plan = await edit(uow, cmd.congress_id, lambda p: result.append(p.run_placement(cmd.options)))
    return plan, result[0]


async def assign_seat(uow: SeatingUnitOfWork, cmd: c.AssignSeat) -> SeatPlan:
    return await edit(uow, cmd.congress_id, lambda p: p.assign(cmd.seat_id, cmd.delegate_id))


async def swap_seats(uow: SeatingUnitOfWork, cmd: c.SwapSeats) -> SeatPlan:
    if cmd.seat_a == cmd.seat_b:
        raise Invalid("Hai ghế cần đổi chỗ phải khác nhau")
    return await edit(uow, cmd.congress_id, lambda p: p.swap(cmd.seat_a, cmd.seat_b))


async def clear_seat(uow: SeatingUnitOfWork, cmd: c.ClearSeat) -> SeatPlan:
    return await edit(uow, cmd.congress_id, lambda p: p.clear(cmd.seat_id))


async def lock_seats(uow: SeatingUnitOfWork, cmd: c.LockSeats) -> SeatPlan:
    return await edit(uow, cmd.congress_id, lambda p: p.lock(list(cmd.seat_ids), cmd.locked))


async def publish_plan(uow: SeatingUnitOfWork, cmd: c.PublishPlan, now: datetime | None = None) -> SeatPlan:
    plan = await load_plan(uow, cmd.congress_id)
    plan.publish(now or utcnow())
    await uow.emit(SeatingPublished(hall_id=plan.hall.id, seated=len(plan.seats), published_at=plan.published_at),
                   congress_id=cmd.congress_id)
    await save(uow, plan)
    return plan


async def release_removed_delegate(uow: SeatingUnitOfWork, cmd: c.ReleaseRemovedDelegate) -> None:
    """Inside the event consumer's transaction: the caller commits (the event id is claimed there)."""
    plan = await uow.get_plan(cmd.congress_id)
    if plan is not None and plan.remove_person(cmd.delegate_id) is not None:
        await save(uow, plan)
