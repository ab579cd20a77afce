"""``congress bench seating``: automatic placement at congress size (1,100) and far beyond (10,000).

Runs the seating domain's ``place`` in this process (no HTTP, no database:
what is measured is the algorithm). Baseline, measured in the same run on the
same people and hall: a naive fill that seats everyone in list order, seat
after seat, with no rule at all; the ratio says what the rules cost.

Split delegations are compared with the minimum possible for the instance,
computed here independently of the placement code by an exact search:
the zones (the seats of a section between two aisles) keep the capacity that
is left after the presidium and the guests; if some assignment keeps ``k``
delegations whole, one keeps the ``k`` smallest whole (exchange a kept
delegation for a smaller left-out one), so the minimum number of split
delegations is ``n - k*`` with ``k*`` the largest ``k`` whose ``k`` smallest
delegations pack whole into the zones. Each candidate ``k`` (from an upper
bound downwards) is decided by a depth-first search over the delegations,
largest first, into zones with memoised (delegation, sorted free capacities)
states, zones of equal free capacity tried once, and a capacity bound.
"""
from __future__ import annotations

import json
import random
import statistics
import time
from collections import Counter

import psutil
from congress_seating.domain.hall import Hall, HallSpec, SeatStatus, SectionSpec, seats_from_spec
from congress_seating.domain.people import Person, PlacementOptions
from congress_seating.domain.placement import PlacementResult, place
from rich.console import Console
from rich.table import Table

console = Console(stderr=True)
HALL_ID = "00000000-0000-4000-8000-000000001200"
UNITS = ("LĐLĐ thành phố Thanh Hóa", "LĐLĐ thị xã Nghi Sơn", "LĐLĐ thị xã Bỉm Sơn", "LĐLĐ thành phố Sầm Sơn",
         "LĐLĐ huyện Lang Chánh", "LĐLĐ huyện Bá Thước", "LĐLĐ huyện Quảng Xương", "LĐLĐ huyện Thọ Xuân",
         "LĐLĐ huyện Quan Hóa", "LĐLĐ huyện Mường Lát", "LĐLĐ huyện Hoằng Hóa", "LĐLĐ huyện Ngọc Lặc",
         "Công đoàn ngành Giáo dục", "Công đoàn ngành Y tế", "Công đoàn Khu Kinh tế Nghi Sơn và các KCN",
         "Công đoàn Viên chức tỉnh", "Công đoàn ngành Nông nghiệp và PTNT", "Công đoàn ngành Giao thông - Xây dựng")


def hall_1200() -> Hall:
    """1,200 seats: a 2 × 15 stage; A and C of 18 × 15 and B of 18 × 35, cut by aisles into 8 zones; 4 press seats."""
    spec = HallSpec("Hội trường 1.200 chỗ", (SectionSpec("A", 18, 15, (7,)), SectionSpec("B", 18, 35, (9, 18, 27)),
                                             SectionSpec("C", 18, 15, (8,))), stage_rows=2, stage_seats_per_row=15,
                    reserved={label: "Báo chí" for label in ("A-18-14", "A-18-15", "C-18-01", "C-18-02")})
    return Hall.build(HALL_ID, "bench", spec.name, seats_from_spec(spec))


def hall_11000() -> Hall:
    """11,000 seats: a 3 × 40 stage and eight sections of 40 rows × 34 seats, each with two aisles."""
    spec = HallSpec("Hội trường 11.000 chỗ", tuple(SectionSpec(f"K{i}", 40, 34, (11, 22)) for i in range(1, 9)),
                    stage_rows=3, stage_seats_per_row=40)
    return Hall.build(HALL_ID, "bench", spec.name, seats_from_spec(spec))


def delegation_sizes(total: int, count: int, largest: int, rng: random.Random) -> list[int]:
    """``count`` sizes summing to ``total``, uneven as real delegations are: the first is ``largest`` (more than
    any zone holds, like a province's education union), then a few large and many small."""
    weights = [rng.lognormvariate(0, 0.75) for _ in range(count - 1)]
    sizes = [largest] + [max(4, round((total - largest) * w / sum(weights))) for w in weights]
    sizes[1 + sizes[1:].index(max(sizes[1:]))] += total - sum(sizes)
    return sizes


def roster(delegates: int, delegations: int, largest: int, presidium: int, guests: int,
           seed: int = 20) -> list[Person]:
    rng = random.Random(seed)
    people: list[Person] = []

    def add(name: str, group: str, kind: str = "official", roles: tuple[str, ...] = ()) -> None:
        i = len(people) + 1
        people.append(Person(f"p{i:06d}", f"DB{i:05d}", f"{name} {i}", f"{i:06d}", f"g-{group}", group, kind, roles))

    for index, size in enumerate(delegation_sizes(delegates, delegations, largest, rng)):
        group = UNITS[(index + 12) % len(UNITS)] if index < len(UNITS) else f"Công đoàn cơ sở số {index + 1:03d}"
        for k in range(size):
            add("Nguyễn Thị Thủy", group, "alternate" if k >= size - max(1, size // 12) else "official")
    for _ in range(presidium):
        add("Lê Văn Chủ Tịch", "Thường trực LĐLĐ tỉnh", roles=("presidium",))
    for _ in range(guests):
        add("Trần Khách Mời", "Khách mời", kind="guest")
    return people


def naive_fill(hall: Hall, people: list[Person]) -> dict[str, str]:
    seats = [s for s in hall.seats if s.status is SeatStatus.open]
    return {seat.id: person.id for seat, person in zip(seats, people, strict=False)}


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


# -- the independent minimum ------------------------------------------------------------------------

def packing_instance(hall: Hall, people: list[Person], result: PlacementResult) -> tuple[list[int], list[int]]:
    """Delegation sizes to seat on the floor, and each zone's capacity left after the presidium and the guests."""
    by_id = {p.id: p for p in people}
    on_stage = {d for s, d in result.assignments.items() if hall.by_id[s].on_stage}
    guest_seats = {s for s, d in result.assignments.items() if by_id[d].kind == "guest"}
    caps = Counter(s.zone for s in hall.floor_seats() if s.status is SeatStatus.open and s.id not in guest_seats)
    sizes = Counter(p.delegation_id for p in people if p.kind != "guest" and p.id not in on_stage)
    return sorted(sizes.values()), sorted(caps.values(), reverse=True)


def fits(items: list[int], caps: list[int]) -> bool:
    """Exact: can every item go whole into some zone? ``items`` in any order."""
    items = sorted(items, reverse=True)
    suffix = [0] * (len(items) + 1)
    for i in range(len(items) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + items[i]
    failed: set[tuple[int, tuple[int, ...]]] = set()

    def search(i: int, free: tuple[int, ...]) -> bool:
        if i == len(items):
            return True
        smallest = items[-1]
        if suffix[i] > sum(c for c in free if c >= smallest) or (i, free) in failed:
            return False
        tried = set()
        for j, room in enumerate(free):
            if room >= items[i] and room not in tried:
                tried.add(room)
                after = tuple(sorted((*free[:j], room - items[i], *free[j + 1:]), reverse=True))
                if search(i + 1, after):
                    return True
        failed.add((i, free))
        return False

    return search(0, tuple(sorted(caps, reverse=True)))


def minimum_splits(sizes: list[int], caps: list[int]) -> int:
    sizes = sorted(sizes)
    total, bound = 0, 0
    for size in sizes:  # upper bound on k: the k smallest must fit in total, each in the largest zone
        total += size
        if size > max(caps) or total > sum(caps):
            break
        bound += 1
    for k in range(bound, -1, -1):
        if fits(sizes[:k], caps):
            return len(sizes) - k
    return len(sizes)


# -- the command ------------------------------------------------------------------------------------

def measure(hall: Hall, people: list[Person], repeat: int) -> dict[str, float]:
    placement_ms, result = timed(lambda: place(hall, people, {}, PlacementOptions()), repeat)
    baseline_ms, _ = timed(lambda: naive_fill(hall, people), repeat)
    started = time.perf_counter()
    minimum = minimum_splits(*packing_instance(hall, people, result))
    search_ms = (time.perf_counter() - started) * 1000
    return {"ms": placement_ms, "baseline_ms": baseline_ms, "split": len(result.split), "min_split": minimum,
            "unseated": len(result.unseated), "search_ms": search_ms, "seats": len(hall.seats),
            "people": len(people)}


def run_seating_bench(*, json_output: bool) -> int:
    small = measure(hall_1200(), roster(1100, 45, 180, 25, 40), repeat=15)
    large = measure(hall_11000(), roster(10_000, 400, 600, 50, 200), repeat=3)
    rss = psutil.Process().memory_info().rss / 2**20
    table = Table(title="automatic placement (presidium on stage, guests in front, delegations in blocks)")
    for column in ("people → seats", "ms", "naive fill ms", "× baseline", "split", "min split (exact)",
                   "unseated", "exact search ms"):
        table.add_column(column, justify="right")
    for f in (small, large):
        table.add_row(f"{f['people']:,} → {f['seats']:,}", f"{f['ms']:.1f}", f"{f['baseline_ms']:.2f}",
                      f"{f['ms'] / f['baseline_ms']:.0f}×", str(f["split"]), str(f["min_split"]), str(f["unseated"]),
                      f"{f['search_ms']:.0f}")
    Console().print(table)
    console.print(f"RSS {rss:.0f} MB; targets: under 100 ms (1,100) and under 1 s (10,000)")
    for f in (small, large):
        if f["split"] < f["min_split"]:
            console.print(f"[red]placement split fewer than the exact minimum ({f['split']} < {f['min_split']}):"
                          " the minimum search is wrong[/]")
            return 1
    if json_output:
        print(json.dumps({"bench": "seating", "ms_1100": round(small["ms"], 2), "ms_10000": round(large["ms"], 1),
                          "baseline_ms_1100": round(small["baseline_ms"], 3),
                          "baseline_ms_10000": round(large["baseline_ms"], 2),
                          "split_1100": small["split"], "min_split_1100": small["min_split"],
                          "split_10000": large["split"], "min_split_10000": large["min_split"],
                          "rss_mb": round(rss, 1)}))
    return 0
