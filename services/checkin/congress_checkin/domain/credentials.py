"""The credentials committee's report (báo cáo thẩm tra tư cách đại biểu), computed from one snapshot of the roster.

Every figure comes from the same list of people read at one instant, so the
report never disagrees with itself: summoned, present and absent (with the
reasons), the quorum line, and the composition of the official delegates
present (women, ethnic minorities, party members, age bands, education), by
delegation and by sending unit, with percentages; alternates and guests are
counted apart and never in the quorum.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from congress_common.text import fold, vietnamese_text_key

from .age_bands import age_bands
from .attendance import Attendance, QuorumRule

UNKNOWN = "Chưa rõ"
NO_REASON = "Chưa báo lý do"
MAJORITY_ETHNICITY = "kinh"


@dataclass(frozen=True)
class Member:
    """One person on the roster as the report sees them at the snapshot."""

    code: str
    full_name: str
    sort_key: str
    delegation: str
    kind: str  # official / alternate / guest
    present: bool
    delegate_id: str = ""
    gender: str | None = None
    birth_year: int | None = None
    ethnicity: str | None = None
    party_member: bool | None = None
    education: str | None = None
    sending_unit: str | None = None
    withdrawn_reason: str | None = None
    absence_reason: str | None = None


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    percent: float  # of the base of its section, one decimal
    indent: bool = False  # a "trong đó" (of which) line under the one above


@dataclass(frozen=True)
class Section:
    title: str
    base: int
    rows: list[Share]


@dataclass(frozen=True)
class UnitLine:
    """Attendance of official delegates of one delegation or sending unit."""

    name: str
    summoned: int
    present: int
    percent: float

    @property
    def absent(self) -> int:
        return self.summoned - self.present


@dataclass(frozen=True)
class Absentee:
    delegate_id: str
    delegation: str
    code: str
    full_name: str
    reason: str
    withdrawn: bool


@dataclass(frozen=True)
class KindCount:
    label: str
    total: int
    present: int


@dataclass
class CredentialsReport:
    taken_at: datetime
    attendance: Attendance
    absentees: list[Absentee]
    composition: list[Section]
    by_delegation: list[UnitLine]
    by_sending_unit: list[UnitLine]
    others: list[KindCount] = field(default_factory=list)  # alternates and guests, apart

    @property
    def absent_with_reason(self) -> int:
        return sum(1 for a in self.absentees if a.reason != NO_REASON)


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def build_report(members: Iterable[Member], *, rule: QuorumRule, age_edges: Sequence[int] | None, year: int,
                 taken_at: datetime) -> CredentialsReport:
    members = list(members)
    officials = [m for m in members if m.kind == "official"]
    present = [m for m in officials if m.present]
    attendance = Attendance(summoned=len(officials), present_official=len(present),
                            present_alternate=sum(m.present for m in members if m.kind == "alternate"),
                            present_guest=sum(m.present for m in members if m.kind == "guest"), rule=rule)
    return CredentialsReport(
        taken_at=taken_at, attendance=attendance, absentees=_absentees(officials),
        composition=composition(present, age_edges, year),
        by_delegation=_by_unit(officials, lambda m: m.delegation),
        by_sending_unit=_by_unit(officials, lambda m: m.sending_unit or UNKNOWN),
        others=[_kind_count("Đại biểu dự khuyết", members, "alternate"), _kind_count("Khách mời", members, "guest")])


def _kind_count(label: str, members: list[Member], kind: str) -> KindCount:
    of_kind = [m for m in members if m.kind == kind]
    return KindCount(label, len(of_kind), sum(m.present for m in of_kind))


def _absentees(officials: list[Member]) -> list[Absentee]:
    absent = [m for m in officials if not m.present]
    absent.sort(key=lambda m: (vietnamese_text_key(m.delegation), m.sort_key, m.code))
    return [Absentee(m.delegate_id, m.delegation, m.code, m.full_name, _reason(m), m.withdrawn_reason is not None)
            for m in absent]


def _reason(member: Member) -> str:
    if member.withdrawn_reason is not None:
        return f"Rút khỏi đại hội: {member.withdrawn_reason}"
    return member.absence_reason or NO_REASON


def composition(present: list[Member], age_edges: Sequence[int] | None, year: int) -> list[Section]:
    """The make-up of the official delegates present, each section over all of them (unknowns shown)."""
    base = len(present)

    def section(title: str, counted: Iterable[tuple[str, int, bool]]) -> Section:
        return Section(title, base, [Share(label, n, percent(n, base), indent) for label, n, indent in counted])

    women = sum(m.gender == "female" for m in present)
    men = sum(m.gender == "male" for m in present)
    minorities = Counter(_group(m.ethnicity) for m in present if m.ethnicity and fold(m.ethnicity) != MAJORITY_ETHNICITY)
    kinh = sum(bool(m.ethnicity) and fold(m.ethnicity) == MAJORITY_ETHNICITY for m in present)
    party = sum(m.party_member is True for m in present)
    not_party = sum(m.party_member is False for m in present)
    return [
        section("Giới tính", [("Nữ", women, False), ("Nam", men, False), *_unknown(base - women - men)]),
        section("Dân tộc", [("Dân tộc thiểu số", sum(minorities.values()), False),
                            *((f"trong đó {name}", n, True) for name, n in _ordered(minorities)),
                            ("Dân tộc Kinh", kinh, False), *_unknown(base - kinh - sum(minorities.values()))]),
        section("Đảng viên", [("Đảng viên", party, False), ("Chưa là đảng viên", not_party, False),
                              *_unknown(base - party - not_party)]),
        section("Độ tuổi", _ages(present, age_edges, year)),
        section("Trình độ chuyên môn", _education(present)),
    ]


def _unknown(count: int) -> list[tuple[str, int, bool]]:
    return [(UNKNOWN, count, False)] if count else []


def _ordered(counts: Counter[str]) -> list[tuple[str, int]]:
    """Largest first, then the Vietnamese alphabet."""
    return sorted(counts.items(), key=lambda item: (-item[1], vietnamese_text_key(item[0])))


def _group(text: str) -> str:
    """One spelling for a value typed several ways ("thạc sĩ", "Thạc sĩ "): the first, tidied."""
    cleaned = " ".join(text.split())
    return cleaned[:1].upper() + cleaned[1:]


def _ages(present: list[Member], edges: Sequence[int] | None, year: int) -> list[tuple[str, int, bool]]:
    bands = age_bands(edges)
    counts = Counter(next(b.label for b in bands if b.holds(year - m.birth_year))
                     for m in present if m.birth_year is not None)
    return [(b.label, counts[b.label], False) for b in bands] + _unknown(sum(m.birth_year is None for m in present))


def _education(present: list[Member]) -> list[tuple[str, int, bool]]:
    spelling: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for m in present:
        if m.education and m.education.strip():
            key = fold(m.education)
            label = spelling.setdefault(key, _group(m.education))
            counts[label] += 1
    known = sum(counts.values())
    return [(label, n, False) for label, n in _ordered(counts)] + _unknown(len(present) - known)


def _by_unit(officials: list[Member], unit_of: Callable[[Member], str]) -> list[UnitLine]:
    names: dict[str, str] = {}
    summoned: Counter[str] = Counter()
    here: Counter[str] = Counter()
    for m in officials:
        key = fold(unit_of(m))
        names.setdefault(key, unit_of(m))
        summoned[key] += 1
        here[key] += m.present
    lines = [UnitLine(names[k], summoned[k], here[k], percent(here[k], summoned[k])) for k in summoned]
    return sorted(lines, key=lambda line: vietnamese_text_key(line.name))
