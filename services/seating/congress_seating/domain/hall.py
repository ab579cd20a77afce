"""A congress hall: a stage and sections; a section has rows; a row has seats with printed labels.

Seats between two aisles of a section form a *zone*: placement keeps a
delegation inside one zone (whole rows or adjacent seats) unless it cannot fit.
"""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from congress_common.errors import Invalid

STAGE = "SK"  # section code of the stage (sân khấu)
MAX_SEATS = 20_000


class SeatStatus(StrEnum):
    open = "open"
    blocked = "blocked"  # broken, pillar, camera: nobody sits here
    reserved = "reserved"  # kept for a purpose (press, accessibility, credentials committee): manual only


@dataclass(frozen=True, slots=True)
class Seat:
    id: str
    label: str
    section: str
    row: str
    row_index: int  # 0 = nearest the stage (or the front stage row)
    number: int
    block: int  # aisle-bounded block of the row (0, 1, ...)
    x: float
    y: float
    status: SeatStatus = SeatStatus.open
    purpose: str | None = None

    @property
    def on_stage(self) -> bool:
        return self.section == STAGE

    @property
    def zone(self) -> tuple[str, int]:
        return self.section, self.block


@dataclass(frozen=True)
class SectionSpec:
    code: str
    rows: int
    seats_per_row: int
    aisles_after: tuple[int, ...] = ()  # seat numbers followed by an aisle
    name: str = ""


@dataclass(frozen=True)
class HallSpec:
    """A hall defined by form: stage rows and sections (rows × seats, aisles), some seats blocked or reserved."""

    name: str
    sections: tuple[SectionSpec, ...]
    stage_rows: int = 1
    stage_seats_per_row: int = 10
    blocked: tuple[str, ...] = ()
    reserved: dict[str, str] = field(default_factory=dict)  # label -> purpose


@dataclass(frozen=True)
class SeatDef:
    """One seat as a form or a spreadsheet describes it, before it gets an id and a place on the map."""

    section: str
    row: str
    number: int
    label: str
    block: int = 0
    status: SeatStatus = SeatStatus.open
    purpose: str | None = None


def row_text(section: str, row: int | str) -> str:
    """The row as stored: floor rows two digits ("07"), stage rows plain ("1"), named rows as given."""
    text = str(row)
    if not text.isdigit():
        return text
    return str(int(text)) if section == STAGE else f"{int(text):02d}"


def seat_label(section: str, row: int | str, number: int) -> str:
    shown = f"{int(row):02d}" if str(row).isdigit() else str(row)
    return f"{section}-{shown}-{number:02d}"


def seat_id(hall_id: str, label: str) -> str:
    """Stable: the same label in the same hall keeps its id across edits, so its occupant is kept."""
    return str(uuid.uuid5(uuid.UUID(hall_id), label))


def seats_from_spec(spec: HallSpec) -> list[SeatDef]:
    if not spec.sections:
        raise Invalid("Hội trường cần ít nhất một khu ghế")
    if len({s.code for s in spec.sections}) != len(spec.sections) or any(s.code == STAGE for s in spec.sections):
        raise Invalid(f"Mã khu bị trùng hoặc trùng với mã sân khấu ({STAGE})")
    defs = [SeatDef(STAGE, row_text(STAGE, r), n, seat_label(STAGE, r, n))
            for r in range(1, spec.stage_rows + 1) for n in range(1, spec.stage_seats_per_row + 1)]
    for section in spec.sections:
        for r in range(1, section.rows + 1):
            for n in range(1, section.seats_per_row + 1):
                block = sum(1 for a in section.aisles_after if a < n)
                defs.append(SeatDef(section.code, row_text(section.code, r), n, seat_label(section.code, r, n), block))
    known = {d.label for d in defs}
    unknown = [label for label in (*spec.blocked, *spec.reserved) if label not in known]
    if unknown:
        raise Invalid(f"Không có ghế mang nhãn: {', '.join(unknown[:10])}")
    blocked = set(spec.blocked)
    return [SeatDef(d.section, d.row, d.number, d.label, d.block,
                    SeatStatus.blocked if d.label in blocked else
                    SeatStatus.reserved if d.label in spec.reserved else SeatStatus.open,
                    spec.reserved.get(d.label)) for d in defs]


@dataclass
class Hall:
    id: str
    congress_id: str
    name: str
    seats: list[Seat]

    def __post_init__(self) -> None:
        self.by_id = {s.id: s for s in self.seats}
        self.by_label = {s.label: s for s in self.seats}

    @classmethod
    def build(cls, hall_id: str, congress_id: str, name: str, defs: list[SeatDef]) -> Hall:
        """Check the seat list (duplicate labels, size) and lay it out: stage on top, sections left to right."""
        if not defs:
            raise Invalid("Hội trường chưa có ghế nào")
        if len(defs) > MAX_SEATS:
            raise Invalid(f"Hội trường quá lớn: tối đa {MAX_SEATS} ghế")
        duplicates = [label for label, n in Counter(d.label for d in defs).items() if n > 1]
        if duplicates:
            raise Invalid(f"Nhãn ghế bị trùng: {', '.join(sorted(duplicates)[:10])}")
        return cls(hall_id, congress_id, name, _layout(hall_id, defs))

    def stage_seats(self) -> list[Seat]:
        return [s for s in self.seats if s.on_stage]

    def floor_seats(self) -> list[Seat]:
        return [s for s in self.seats if not s.on_stage]

    @property
    def width(self) -> float:
        return max(s.x for s in self.seats) + 1

    @property
    def height(self) -> float:
        return max(s.y for s in self.seats) + 1


def _natural(row: str) -> tuple[int, int, str]:
    return (0, int(row), row) if row.isdigit() else (1, 0, row)


def _row_order(defs: list[SeatDef]) -> dict[tuple[str, str], int]:
    """Front-to-back index of each (section, row), rows ordered naturally (2 before 10)."""
    order: dict[tuple[str, str], int] = {}
    for section in dict.fromkeys(d.section for d in defs):
        rows = sorted({d.row for d in defs if d.section == section}, key=_natural)
        order.update({(section, row): i for i, row in enumerate(rows)})
    return order


def _layout(hall_id: str, defs: list[SeatDef]) -> list[Seat]:
    rows = _row_order(defs)
    sections = list(dict.fromkeys(d.section for d in defs if d.section != STAGE))
    widths = {s: max(d.number + d.block for d in defs if d.section == s) for s in sections}
    x0, offsets = 0.0, {}
    for section in sections:
        offsets[section] = x0
        x0 += widths[section] + 2  # a wide aisle between sections
    floor_width = max(x0 - 2, 1)
    stage = [d for d in defs if d.section == STAGE]
    stage_rows = max((rows[(STAGE, d.row)] for d in stage), default=-1) + 1
    stage_width = max((d.number for d in stage), default=0)
    seats = []
    for d in defs:
        if d.section == STAGE:
            x, y = (floor_width - stage_width) / 2 + d.number - 1, rows[(STAGE, d.row)]
        else:
            x, y = offsets[d.section] + d.number - 1 + d.block, stage_rows + 1.5 + rows[(d.section, d.row)]
        seats.append(Seat(seat_id(hall_id, d.label), d.label, d.section, d.row, rows[(d.section, d.row)],
                          d.number, d.block, x, y, d.status, d.purpose))
    return seats
