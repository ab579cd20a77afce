"""Request and response bodies of the seating API."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ..domain.hall import MAX_SEATS, HallSpec, SectionSpec
from ..domain.people import DelegationOrder, PlacementOptions

Code = Field(min_length=1, max_length=6, pattern=r"^[A-Za-z0-9]+$", title="Mã khu")


class SectionCreate(BaseModel):
    code: str = Code
    rows: int = Field(ge=1, le=200, title="Số hàng của khu")
    seats_per_row: int = Field(ge=1, le=200, title="Số ghế mỗi hàng")
    aisles_after: list[int] = Field(default=[], max_length=20, title="Lối đi sau ghế",
                                    description="seat numbers followed by an aisle")


class HallCreate(BaseModel):
    name: str = Field(min_length=2, max_length=200, title="Tên hội trường")
    stage_rows: int = Field(default=1, ge=0, le=10, title="Số hàng trên sân khấu")
    stage_seats_per_row: int = Field(default=10, ge=1, le=100, title="Số ghế mỗi hàng trên sân khấu")
    sections: list[SectionCreate] = Field(min_length=1, max_length=40, title="Các khu ghế")
    blocked: list[str] = Field(default=[], max_length=MAX_SEATS)
    reserved: dict[str, str] = Field(default={}, description="seat label -> purpose (Báo chí, Ban Thẩm tra...)")
    confirm: bool = Field(default=False, description="go ahead even if the change unseats people")

    def spec(self) -> HallSpec:
        return HallSpec(self.name, tuple(SectionSpec(s.code.upper(), s.rows, s.seats_per_row, tuple(s.aisles_after))
                                         for s in self.sections),
                        self.stage_rows, self.stage_seats_per_row, tuple(self.blocked), dict(self.reserved))


class HallCopy(BaseModel):
    from_congress_id: str = Field(max_length=36)
    confirm: bool = False


class PlacementRequest(BaseModel):
    order: DelegationOrder = DelegationOrder.list
    delegation_order: list[str] = Field(default=[], max_length=2000, description="delegation ids, for order=custom")
    protocol: list[str] = Field(default=[], max_length=500, description="presidium/secretariat delegate ids by rank")

    def options(self) -> PlacementOptions:
        return PlacementOptions(self.order, tuple(self.delegation_order), tuple(self.protocol))


class PlacementReport(BaseModel):
    seated: int
    unseated: int
    split: list[str]
    problems: list[str]


class AssignRequest(BaseModel):
    seat_id: str = Field(max_length=36)
    delegate_id: str = Field(max_length=36)


class SwapRequest(BaseModel):
    seat_a: str = Field(max_length=36)
    seat_b: str = Field(max_length=36)


class ClearRequest(BaseModel):
    seat_id: str = Field(max_length=36)


class LockRequest(BaseModel):
    seat_ids: list[str] = Field(min_length=1, max_length=MAX_SEATS)
    locked: bool = True


class SeatView(BaseModel):
    id: str
    label: str
    section: str
    row: str
    number: int
    x: float
    y: float
    status: str
    purpose: str | None = None
    stage: bool
    delegate_id: str | None = None
    locked: bool = False


class PersonView(BaseModel):
    id: str
    code: str
    full_name: str
    delegation_id: str
    delegation_name: str
    kind: str
    roles: list[str]
    present: bool
    withdrawn: bool = False
    seat_id: str | None = None


class DelegationView(BaseModel):
    id: str
    name: str
    size: int
    seated: int
    colour: str = Field(description="#rrggbb, the same on the seat map and the printed chart")


class PlanView(BaseModel):
    hall_id: str
    name: str
    width: float
    height: float
    published_at: datetime | None
    order: DelegationOrder
    delegation_order: list[str]
    protocol: list[str]
    seats: list[SeatView]
    people: list[PersonView]
    delegations: list[DelegationView]
    warnings: list[str]


class MySeat(BaseModel):
    published: bool
    message: str
    label: str | None = None
    section: str | None = None
    row: str | None = None
    number: int | None = None
    x: float | None = None
    y: float | None = None
    hall_name: str | None = None
    width: float | None = None
    height: float | None = None
    map: list[tuple[float, float, bool]] = Field(default=[], description="every seat as (x, y, on stage)")
