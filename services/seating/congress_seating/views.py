"""Read side of the seating service: the plan as the seat map shows it, and a delegate's own seat."""
from __future__ import annotations

from congress_common.text import row_label

from .api.schemas import DelegationView, MySeat, PersonView, PlanView, SeatView
from .colours import colour
from .domain.plan import SeatPlan


def plan_view(plan: SeatPlan) -> PlanView:
    seat_of = {a.delegate_id: s for s, a in plan.seats.items()}
    people = sorted(plan.people.values(), key=lambda p: (p.code, p.id))
    delegations: dict[str, DelegationView] = {}
    for p in people:
        view = delegations.setdefault(p.delegation_id, DelegationView(
            id=p.delegation_id, name=p.delegation_name, size=0, seated=0, colour=colour(len(delegations))))
        view.size += not p.withdrawn or p.id in seat_of
        view.seated += p.id in seat_of
    warnings = [f"{p.full_name} đã chuyển sang {p.delegation_name} nhưng vẫn ngồi ghế {seat.label}"
                for p, seat in plan.moved_delegates()]
    warnings += [f"{p.full_name} ({p.delegation_name}) đã rút khỏi đại hội nhưng vẫn giữ ghế {seat.label}"
                 for p, seat in plan.withdrawn_seated()]
    return PlanView(
        hall_id=plan.hall.id, name=plan.hall.name, width=plan.hall.width, height=plan.hall.height,
        published_at=plan.published_at, order=plan.options.order,
        delegation_order=list(plan.options.delegation_order), protocol=list(plan.options.protocol),
        seats=[SeatView(id=s.id, label=s.label, section=s.section, row=s.row, number=s.number, x=s.x, y=s.y,
                        status=str(s.status), purpose=s.purpose, stage=s.on_stage,
                        delegate_id=plan.seats[s.id].delegate_id if s.id in plan.seats else None,
                        locked=plan.seats[s.id].locked if s.id in plan.seats else False) for s in plan.hall.seats],
        people=[PersonView(id=p.id, code=p.code, full_name=p.full_name, delegation_id=p.delegation_id,
                           delegation_name=p.delegation_name, kind=p.kind, roles=list(p.roles), present=p.present,
                           withdrawn=p.withdrawn, seat_id=seat_of.get(p.id)) for p in people],
        delegations=list(delegations.values()), warnings=warnings)


def my_seat(plan: SeatPlan | None, delegate_id: str) -> MySeat:
    if plan is None or plan.published_at is None:
        return MySeat(published=False, message="Sơ đồ chỗ ngồi chưa được công bố")
    seat = plan.seat_of(delegate_id)
    if seat is None:
        return MySeat(published=True, message="Bạn chưa được xếp chỗ: vui lòng liên hệ Ban Tổ chức")
    where = "Sân khấu" if seat.on_stage else f"Khu {seat.section}"
    return MySeat(published=True, message=f"{where}, hàng {row_label(seat.row)}, ghế số {seat.number}", label=seat.label,
                  section=seat.section, row=seat.row, number=seat.number, x=seat.x, y=seat.y,
                  hall_name=plan.hall.name, width=plan.hall.width, height=plan.hall.height,
                  map=[(s.x, s.y, s.on_stage) for s in plan.hall.seats])
