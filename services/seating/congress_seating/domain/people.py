"""Who is to be seated: the seating service's own view of the roster (from check-in events)."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

PRESIDIUM, SECRETARIAT = "presidium", "secretariat"


class DelegationOrder(StrEnum):
    list = "list"  # the order of the imported list (delegate codes DB001, DB002...)
    size = "size"  # largest delegation first
    custom = "custom"  # the order the organiser dragged


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    code: str
    full_name: str
    sort_key: str
    delegation_id: str
    delegation_name: str
    kind: str  # official | alternate | guest
    roles: tuple[str, ...] = ()
    present: bool = False
    withdrawn: bool = False  # left the congress (kept on record): never placed, their seat flagged

    @property
    def on_stage_role(self) -> str | None:
        return PRESIDIUM if PRESIDIUM in self.roles else SECRETARIAT if SECRETARIAT in self.roles else None


@dataclass(frozen=True)
class PlacementOptions:
    order: DelegationOrder = DelegationOrder.list
    delegation_order: tuple[str, ...] = ()  # delegation ids, for ``custom``
    protocol: tuple[str, ...] = ()  # delegate ids of the presidium and secretariat in protocol rank


@dataclass
class Delegation:
    id: str
    name: str
    members: list[Person] = field(default_factory=list)

    @property
    def first_code(self) -> str:
        return min(p.code for p in self.members)


def delegations_in_order(people: list[Person], options: PlacementOptions) -> list[Delegation]:
    groups: dict[str, Delegation] = {}
    for person in people:
        groups.setdefault(person.delegation_id, Delegation(person.delegation_id, person.delegation_name)).members.append(person)
    for group in groups.values():  # officials first, alternates at the back of the block
        group.members.sort(key=lambda p: (p.kind == "alternate", p.sort_key, p.id))
    listed = sorted(groups.values(), key=lambda g: (g.first_code, g.id))
    if options.order is DelegationOrder.size:
        return sorted(listed, key=lambda g: -len(g.members))
    if options.order is DelegationOrder.custom:
        rank = {d: i for i, d in enumerate(options.delegation_order)}
        return sorted(listed, key=lambda g: rank.get(g.id, len(rank)))
    return listed


def protocol_order(people: list[Person], protocol: tuple[str, ...]) -> list[Person]:
    """Presidium first, then secretariat; each in the organiser's protocol rank, then list order."""
    rank = {d: i for i, d in enumerate(protocol)}
    stage = [p for p in people if p.on_stage_role]
    return sorted(stage, key=lambda p: (p.on_stage_role != PRESIDIUM, rank.get(p.id, len(rank)), p.code, p.id))
