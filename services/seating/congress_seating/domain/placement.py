"""Automatic placement: presidium on the stage, guests in front, each delegation in one block.

Deterministic for the same input. Steps:

1. the presidium, then the secretariat, in protocol rank, on the stage
   seats from the centre outwards, front stage row first;
2. invited guests in the front rows, from the centre outwards;
3. delegations: each zone (the seats of a section between two aisles) is a
   front-to-back serpentine sequence of free seats, so consecutive seats are
   neighbours. Which delegation goes whole into which zone is a bin-packing
   choice: the organiser's order with first fit into the most central zones,
   or best fit by decreasing size when that splits fewer delegations. Inside a
   zone the delegations follow the organiser's order front to back, officials
   first and alternates at the back of their block. Delegations that fit no
   zone whole are split over the largest leftovers, in as few pieces as
   possible, and reported.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .hall import Hall, Seat, SeatStatus
from .people import Delegation, Person, PlacementOptions, delegations_in_order, protocol_order


@dataclass
class PlacementResult:
    assignments: dict[str, str]  # seat id -> delegate id
    problems: list[str] = field(default_factory=list)
    split: list[str] = field(default_factory=list)  # names of delegations split over several zones
    unseated: list[str] = field(default_factory=list)  # delegate ids without a seat


def centre_out(seats: list[Seat], centre: float) -> list[Seat]:
    return sorted(seats, key=lambda s: (s.row_index, abs(s.x - centre), s.x))


def zone_sequences(seats: list[Seat]) -> dict[tuple[str, int], list[Seat]]:
    """Free seats of each zone front to back, alternating direction row by row (a serpentine)."""
    zones: dict[tuple[str, int], list[Seat]] = defaultdict(list)
    for seat in seats:
        zones[seat.zone].append(seat)
    for zone, members in zones.items():
        rows = sorted({s.row_index for s in members})
        turn = {r: i % 2 for i, r in enumerate(rows)}
        members.sort(key=lambda s: (s.row_index, -s.number if turn[s.row_index] else s.number))
        zones[zone] = members
    return zones


def pack_first_fit(sizes: list[int], caps: list[int]) -> list[int | None]:
    room, where = list(caps), []
    for size in sizes:
        zone = next((z for z, r in enumerate(room) if r >= size), None)
        if zone is not None:
            room[zone] -= size
        where.append(zone)
    return where


def pack_best_fit_decreasing(sizes: list[int], caps: list[int]) -> list[int | None]:
    room, where = list(caps), [None] * len(sizes)
    for i in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        fits = [z for z, r in enumerate(room) if r >= sizes[i]]
        if fits:
            zone = min(fits, key=lambda z: (room[z] - sizes[i], z))
            room[zone] -= sizes[i]
            where[i] = zone
    return where


def pack_smallest(sizes: list[int], caps: list[int], k: int) -> list[int | None]:
    """Best fit decreasing of the ``k`` smallest groups only (the others are left to be split)."""
    chosen = sorted(range(len(sizes)), key=lambda i: (sizes[i], i))[:k]
    where: list[int | None] = [None] * len(sizes)
    for i, zone in zip(chosen, pack_best_fit_decreasing([sizes[i] for i in chosen], caps), strict=True):
        where[i] = zone
    return where


def pack(sizes: list[int], caps: list[int]) -> list[int | None]:
    """Zone of each group (None: to be split); the organiser's order unless another packing splits fewer.

    If some packing keeps ``k`` groups whole, one keeps the ``k`` smallest whole (swap any kept group
    for a smaller left-out one), so after first fit and best fit decreasing it searches, by halving,
    the largest ``k`` whose smallest groups best fit decreasing packs whole.
    """
    best = pack_first_fit(sizes, caps)
    if None not in best:
        return best
    decreasing = pack_best_fit_decreasing(sizes, caps)
    if decreasing.count(None) < best.count(None):
        best = decreasing
    low, high = len(sizes) - best.count(None) + 1, len(sizes)
    while low <= high:
        k = (low + high) // 2
        attempt = pack_smallest(sizes, caps, k)
        if attempt.count(None) == len(sizes) - k:
            best, low = attempt, k + 1
        else:
            high = k - 1
    return best


def place(hall: Hall, people: list[Person], fixed: dict[str, str], options: PlacementOptions) -> PlacementResult:
    """Seat everyone not already in ``fixed`` (locked seat id -> delegate id)."""
    result = PlacementResult(assignments=dict(fixed))
    seated = set(fixed.values())
    todo = sorted((p for p in people if p.id not in seated), key=lambda p: (p.code, p.id))
    free = [s for s in hall.seats if s.status is SeatStatus.open and s.id not in fixed]
    centre = (hall.width - 1) / 2
    stage_people = protocol_order(todo, options.protocol)
    stage_seats = centre_out([s for s in free if s.on_stage], centre)
    _fill(result, stage_seats, stage_people)
    if len(stage_people) > len(stage_seats):
        result.problems.append(f"Sân khấu thiếu {len(stage_people) - len(stage_seats)} chỗ cho Đoàn Chủ tịch "
                               "và Đoàn Thư ký: những người còn lại ngồi cùng đoàn của mình")
    seated = set(result.assignments.values())
    guests = [p for p in todo if p.kind == "guest" and p.id not in seated]
    floor = [s for s in free if not s.on_stage]
    _fill(result, centre_out(floor, centre), guests)
    taken = set(result.assignments)
    seated = set(result.assignments.values())
    rest = [p for p in todo if p.id not in seated and p.kind != "guest"]
    _place_delegations(result, [s for s in floor if s.id not in taken], delegations_in_order(rest, options), centre)
    seated = set(result.assignments.values())
    result.unseated = [p.id for p in todo if p.id not in seated]
    if result.unseated:
        result.problems.insert(0, f"Không đủ ghế: còn {len(result.unseated)} người chưa có chỗ "
                                  f"(hội trường còn trống {len(free)} ghế cho {len(todo)} người)")
    return result


def _fill(result: PlacementResult, seats: list[Seat], people: list[Person]) -> None:
    for seat, person in zip(seats, people, strict=False):
        result.assignments[seat.id] = person.id


def _place_delegations(result: PlacementResult, seats: list[Seat], groups: list[Delegation], centre: float) -> None:
    zones = zone_sequences(seats)
    keys = sorted(zones, key=lambda z: (abs(sum(s.x for s in zones[z]) / len(zones[z]) - centre), z))
    caps = [len(zones[z]) for z in keys]
    where = pack([len(g.members) for g in groups], caps)
    cursor = [0] * len(keys)
    for index, group in enumerate(groups):  # organiser's order: earlier groups nearer the front of their zone
        zone = where[index]
        if zone is not None:
            _fill(result, zones[keys[zone]][cursor[zone]:], group.members)
            cursor[zone] += len(group.members)
    for index, group in enumerate(groups):
        if where[index] is None:
            _split(result, group, zones, keys, cursor)


def _split(result: PlacementResult, group: Delegation, zones, keys, cursor: list[int]) -> None:
    left = list(group.members)
    pieces = 0
    by_room = sorted(range(len(keys)), key=lambda z: (-(len(zones[keys[z]]) - cursor[z]), z))
    for zone in by_room:
        room = len(zones[keys[zone]]) - cursor[zone]
        if not left or room <= 0:
            continue
        take, left = left[:room], left[room:]
        _fill(result, zones[keys[zone]][cursor[zone]:], take)
        cursor[zone] += len(take)
        pieces += 1
    if pieces > 1:
        result.split.append(group.name)
        result.problems.append(f"Đoàn {group.name} ({len(group.members)} người) không vừa một khối ghế liền nhau: "
                               f"chia thành {pieces} phần")
