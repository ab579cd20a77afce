"""Seating rules on the fake unit of work: placement, manual edits, locks, hall changes, publication, races."""
from __future__ import annotations

import pytest
from congress_common.contracts import SeatAssigned, SeatingPublished, SeatReleased
from congress_common.errors import Conflict, Invalid, NotFound
from congress_seating import handlers
from congress_seating.domain import commands as c
from congress_seating.domain.hall import Hall, SeatDef, SeatStatus
from congress_seating.domain.people import DelegationOrder, PlacementOptions
from congress_seating.domain.plan import NeedsConfirmation

from tests.unit.seating_fakes import FakeSeatingUnitOfWork, roster, small_spec

CID = "c1"


async def seated_plan(people, spec=None, options=None):
    uow = FakeSeatingUnitOfWork({CID: people})
    await handlers.create_hall(uow, c.CreateHall(CID, "Hội trường", spec or small_spec()))
    plan, result = await handlers.run_placement(uow, c.RunPlacement(CID, options or PlacementOptions()))
    return uow, plan, result


def blocks(plan):
    """Delegation id -> the zones its members sit in."""
    out: dict[str, set] = {}
    for seat_id, a in plan.seats.items():
        out.setdefault(plan.people[a.delegate_id].delegation_id, set()).add(plan.hall.by_id[seat_id].zone)
    return out


async def test_presidium_on_stage_in_protocol_order_from_the_centre_guests_in_front():
    people = roster({"Lang Chánh": 8, "Nghi Sơn": 6}, presidium=5, guests=4)
    presidium = [p.id for p in people if "presidium" in p.roles]
    protocol = tuple(reversed(presidium))  # the organiser's ranks
    _, plan, result = await seated_plan(people, options=PlacementOptions(protocol=protocol))
    assert result.problems == [] and result.unseated == []
    stage = {a.delegate_id: plan.hall.by_id[s] for s, a in plan.seats.items() if plan.hall.by_id[s].on_stage}
    assert set(stage) == set(presidium)
    centre = (plan.hall.width - 1) / 2
    distances = [abs(stage[d].x - centre) for d in protocol]
    assert distances == sorted(distances)  # rank 1 in the middle, then outwards
    guests = [plan.seat_of(p.id) for p in people if p.kind == "guest"]
    assert all(s.row_index == 0 for s in guests)


async def test_each_delegation_in_one_zone_alternates_at_the_back_and_deterministic():
    people = roster({"Lang Chánh": 12, "Nghi Sơn": 9, "Giáo dục": 14, "Y tế": 7}, alternates=2)
    _, plan, result = await seated_plan(people, small_spec(rows=6, seats=10, aisle=5))
    assert result.split == [] and all(len(z) == 1 for z in blocks(plan).values())
    for delegation in {p.delegation_id for p in people}:
        members = [p for p in people if p.delegation_id == delegation]
        rows = {p.kind: [] for p in members}
        for p in members:
            rows[p.kind].append(plan.seat_of(p.id).row_index)
        assert max(rows["official"]) <= min(rows["alternate"])
    _, again, _ = await seated_plan(people, small_spec(rows=6, seats=10, aisle=5))
    def by_label(p):
        return {p.hall.by_id[s].label: a.delegate_id for s, a in p.seats.items()}

    assert by_label(again) == by_label(plan)


async def test_order_by_size_puts_the_largest_delegation_first():
    people = roster({"Nhỏ": 3, "Lớn": 20, "Vừa": 8})
    _, plan, _ = await seated_plan(people, small_spec(rows=10, seats=10, sections="A"),
                                   PlacementOptions(order=DelegationOrder.size))
    big = [plan.seat_of(p.id).row_index for p in people if p.delegation_name == "LĐLĐ Lớn"]
    small = [plan.seat_of(p.id).row_index for p in people if p.delegation_name == "LĐLĐ Nhỏ"]
    assert min(big) == 0 and min(small) > max(big) - 1


async def test_delegation_larger_than_any_section_is_split_as_little_as_possible_and_reported():
    people = roster({"Giáo dục": 70, "Y tế": 10})
    _, plan, result = await seated_plan(people, small_spec(rows=5, seats=10, sections="ABC"))
    assert result.split == ["LĐLĐ Giáo dục"] and len(blocks(plan)["g-Giáo dục"]) == 2
    assert "Giáo dục" in result.problems[0] and "2 phần" in result.problems[0]


async def test_more_people_than_seats_reports_who_is_unseated():
    people = roster({"Lang Chánh": 60, "Nghi Sơn": 50})
    _, plan, result = await seated_plan(people, small_spec(rows=5, seats=10))
    assert len(result.unseated) == 10 and result.problems[0].startswith("Không đủ ghế")
    assert len(plan.seats) == 100 and len(plan.unseated()) == 10


async def test_blocked_and_reserved_seats_stay_empty_in_placement():
    spec = small_spec(rows=2, seats=5, sections="A", blocked=("A-01-03",), reserved={"A-01-04": "Báo chí"})
    _, plan, _ = await seated_plan(roster({"Lang Chánh": 8}), spec)
    used = {plan.hall.by_id[s].label for s in plan.seats}
    assert not {"A-01-03", "A-01-04"} & used and len(used) == 8


async def test_assign_to_a_taken_seat_names_who_sits_there_and_moves_and_swaps():
    people = roster({"Lang Chánh": 4, "Nghi Sơn": 4})
    uow, plan, _ = await seated_plan(people)
    first, other = people[0], people[5]
    seat_of_other = plan.seat_of(other.id)
    with pytest.raises(Conflict, match=f"đã có {other.full_name}"):
        await handlers.assign_seat(uow, c.AssignSeat(CID, seat_of_other.id, first.id))
    empty = next(s for s in plan.hall.floor_seats() if s.id not in plan.seats)
    moved = await handlers.assign_seat(uow, c.AssignSeat(CID, empty.id, first.id))
    assert moved.seat_of(first.id) == empty
    released, assigned = [e for _, e in uow.events[-2:]]
    assert isinstance(released, SeatReleased) and isinstance(assigned, SeatAssigned) and assigned.label == empty.label
    swapped = await handlers.swap_seats(uow, c.SwapSeats(CID, empty.id, seat_of_other.id))
    assert swapped.seat_of(first.id) == seat_of_other and swapped.seat_of(other.id) == empty
    cleared = await handlers.clear_seat(uow, c.ClearSeat(CID, empty.id))
    assert cleared.seat_of(other.id) is None


async def test_locked_seats_survive_a_rerun_and_refuse_a_swap():
    people = roster({"Lang Chánh": 4, "Nghi Sơn": 4})
    uow, plan, _ = await seated_plan(people)
    far = max(plan.hall.floor_seats(), key=lambda s: (s.row_index, s.x))
    await handlers.assign_seat(uow, c.AssignSeat(CID, far.id, people[0].id))
    await handlers.lock_seats(uow, c.LockSeats(CID, (far.id,)))
    plan, _ = await handlers.run_placement(uow, c.RunPlacement(CID, PlacementOptions(order=DelegationOrder.size)))
    assert plan.seat_of(people[0].id) == far and plan.seats[far.id].locked
    other = plan.seat_of(people[3].id)
    with pytest.raises(Conflict, match="giữ cố định"):
        await handlers.swap_seats(uow, c.SwapSeats(CID, far.id, other.id))


async def test_blocked_seat_and_unknown_delegate_are_refused():
    spec = small_spec(rows=2, seats=5, sections="A", blocked=("A-01-01",))
    uow, plan, _ = await seated_plan(roster({"Lang Chánh": 3}), spec)
    with pytest.raises(Invalid, match="A-01-01"):
        await handlers.assign_seat(uow, c.AssignSeat(CID, plan.hall.by_label["A-01-01"].id, "d00001"))
    with pytest.raises(NotFound, match="đã bị xóa"):
        await handlers.assign_seat(uow, c.AssignSeat(CID, plan.hall.by_label["A-02-05"].id, "removed"))


async def test_duplicate_labels_are_refused_and_nothing_is_saved():
    uow = FakeSeatingUnitOfWork({CID: []})
    seats = (SeatDef("A", "01", 1, "A-1"), SeatDef("A", "01", 2, "A-1"))
    with pytest.raises(Invalid, match="trùng: A-1"):
        await handlers.create_hall(uow, c.CreateHall(CID, "Hội trường", seats=seats))
    assert uow.plans == {} and uow.events == []


async def test_shrinking_the_hall_lists_who_would_lose_a_seat_until_confirmed():
    people = roster({"Lang Chánh": 30})
    uow, plan, _ = await seated_plan(people, small_spec(rows=5, seats=10, sections="A"))
    smaller = small_spec(rows=2, seats=10, sections="A")
    with pytest.raises(NeedsConfirmation) as refused:
        await handlers.create_hall(uow, c.CreateHall(CID, "Hội trường", smaller))
    assert len(refused.value.errors) == 10 and len((await uow.get_plan(CID)).seats) == 30
    plan = await handlers.create_hall(uow, c.CreateHall(CID, "Hội trường", smaller, confirm=True))
    assert len(plan.seats) == 20 and len(plan.hall.floor_seats()) == 20
    assert sum(isinstance(e, SeatReleased) for _, e in uow.events) == 10


async def test_publish_needs_seats_and_emits_the_public_event():
    uow = FakeSeatingUnitOfWork({CID: roster({"Lang Chánh": 3})})
    await handlers.create_hall(uow, c.CreateHall(CID, "Hội trường", small_spec()))
    with pytest.raises(Invalid, match="Chưa xếp chỗ"):
        await handlers.publish_plan(uow, c.PublishPlan(CID))
    await handlers.run_placement(uow, c.RunPlacement(CID, PlacementOptions()))
    plan = await handlers.publish_plan(uow, c.PublishPlan(CID))
    assert plan.published_at and isinstance(uow.events[-1][1], SeatingPublished) and uow.events[-1][1].seated == 3


async def test_removed_delegate_frees_the_seat_and_a_moved_one_stays_put():
    people = roster({"Lang Chánh": 3, "Nghi Sơn": 3})
    uow, plan, _ = await seated_plan(people)
    seat = plan.seat_of(people[0].id)
    uow.roster[CID] = [p for p in people if p.id != people[0].id]
    await handlers.release_removed_delegate(uow, c.ReleaseRemovedDelegate(CID, people[0].id))
    await uow.commit()
    plan = await uow.get_plan(CID)
    assert seat.id not in plan.seats and isinstance(uow.events[-1][1], SeatReleased)
    from dataclasses import replace

    mover = replace(people[1], delegation_id="g-Nghi Sơn", delegation_name="LĐLĐ Nghi Sơn")
    uow.roster[CID] = [mover if p.id == mover.id else p for p in uow.roster[CID]]
    plan = await uow.get_plan(CID)
    assert [p.id for p, _ in plan.moved_delegates()] == [mover.id] and plan.seat_of(mover.id) is not None


async def test_a_withdrawn_delegate_keeps_the_seat_flagged_and_a_rerun_does_not_seat_them():
    from dataclasses import replace

    people = roster({"Lang Chánh": 3, "Nghi Sơn": 3})
    uow, plan, _ = await seated_plan(people)
    seat = plan.seat_of(people[0].id)
    uow.roster[CID] = [replace(p, withdrawn=True) if p.id == people[0].id else p for p in people]
    plan = await uow.get_plan(CID)
    assert plan.seat_of(people[0].id) == seat  # never moved silently
    assert [(p.id, s) for p, s in plan.withdrawn_seated()] == [(people[0].id, seat)]
    await handlers.clear_seat(uow, c.ClearSeat(CID, seat.id))
    plan = await uow.get_plan(CID)
    assert people[0].id not in [p.id for p in plan.unseated()]  # not waiting for a seat either
    plan, result = await handlers.run_placement(uow, c.RunPlacement(CID, PlacementOptions()))
    assert plan.seat_of(people[0].id) is None and result.unseated == []
    assert all(plan.seat_of(p.id) is not None for p in people[1:])


class RacingUnitOfWork(FakeSeatingUnitOfWork):
    """Lets another organiser's edit commit between our load and our save."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.interleave = None

    async def save_plan(self, plan, *, hall_changed):
        if self.interleave is not None:
            other, self.interleave = self.interleave, None
            await other()
        await super().save_plan(plan, hall_changed=hall_changed)


async def test_two_organisers_taking_one_seat_the_second_gets_a_409_naming_the_first():
    people = roster({"Lang Chánh": 2})
    uow = RacingUnitOfWork({CID: people})
    await handlers.create_hall(uow, c.CreateHall(CID, "Hội trường", small_spec()))
    seat = uow.plans[CID].hall.by_label["A-03-05"]
    uow.interleave = lambda: handlers.assign_seat(uow, c.AssignSeat(CID, seat.id, people[1].id))
    with pytest.raises(Conflict, match=f"vừa được xếp cho {people[1].full_name}"):
        await handlers.assign_seat(uow, c.AssignSeat(CID, seat.id, people[0].id))
    assert (await uow.get_plan(CID)).seats[seat.id].delegate_id == people[1].id


def test_hall_layout_zones_and_labels():
    from congress_seating.domain.hall import seats_from_spec

    hall = Hall.build("00000000-0000-0000-0000-000000000001", CID, "H", seats_from_spec(small_spec(aisle=5)))
    assert len(hall.stage_seats()) == 10 and len(hall.floor_seats()) == 100
    assert {s.zone for s in hall.floor_seats()} == {("A", 0), ("A", 1), ("B", 0), ("B", 1)}
    assert hall.by_label["B-05-10"].status is SeatStatus.open
    with pytest.raises(Invalid, match="Z-01-01"):
        seats_from_spec(small_spec(blocked=("Z-01-01",)))


def test_the_benchmarks_exact_minimum_matches_brute_force_and_placement_never_beats_it():
    import itertools
    import random

    from congress_seating.domain.placement import pack

    from congress_cli.bench_seating import minimum_splits

    rng = random.Random(7)
    for _ in range(150):
        sizes = [rng.randint(1, 9) for _ in range(rng.randint(1, 6))]
        caps = [rng.randint(2, 12) for _ in range(rng.randint(1, 3))]
        best = 0
        for where in itertools.product(range(len(caps) + 1), repeat=len(sizes)):  # len(caps): split
            load = [0] * len(caps)
            for size, zone in zip(sizes, where, strict=True):
                if zone < len(caps):
                    load[zone] += size
            if all(used <= cap for used, cap in zip(load, caps, strict=True)):
                best = max(best, sum(z < len(caps) for z in where))
        assert minimum_splits(sizes, caps) == len(sizes) - best, (sizes, caps)
        assert pack(sizes, caps).count(None) >= len(sizes) - best


async def test_a_swap_racing_a_rerun_is_a_409_and_nothing_is_half_saved():
    people = roster({"Lang Chánh": 5, "Nghi Sơn": 8})  # by size, Nghi Sơn comes first: the re-run moves everyone
    uow = RacingUnitOfWork({CID: people})
    await handlers.create_hall(uow, c.CreateHall(CID, "Hội trường", small_spec(sections="A")))
    plan, _ = await handlers.run_placement(uow, c.RunPlacement(CID, PlacementOptions()))
    first, last = plan.seat_of(people[0].id), plan.seat_of(people[-1].id)
    uow.interleave = lambda: handlers.run_placement(uow, c.RunPlacement(CID, PlacementOptions(order=DelegationOrder.size)))
    with pytest.raises(Conflict, match="tải lại sơ đồ"):
        await handlers.swap_seats(uow, c.SwapSeats(CID, first.id, last.id))
    rerun = await uow.get_plan(CID)  # the re-run's plan, whole: everyone seated once, the swap not applied
    assert sorted(a.delegate_id for a in rerun.seats.values()) == sorted(p.id for p in people)
    assert not (rerun.seat_of(people[0].id) == last and rerun.seat_of(people[-1].id) == first)
