"""What an import of the delegate list will do, worked out before anything is written.

A row matches an existing delegate by its code, or (without a code) by name,
delegation and birth year. The plan sorts every row into added, changed (with
each changed field, old and new), unchanged and refused, and warns about two
people with the same name in the same delegation. Changing the name of a
delegate who has checked in or whose badge was printed is *protected*: the row
is applied only when the organiser confirms it by its row number. The plan's
``plan_id`` is a digest of all of this, so a confirmation applies exactly the
plan the organiser saw.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from congress_common.text import fold

from .roster_import import LABELS, DelegateRow, ParsedRoster, RowError

COMPARED = ("full_name", "delegation", "kind", "roles", "gender", "birth_year", "ethnicity", "party_member",
            "education", "position", "sending_unit", "phone", "email")


@dataclass(frozen=True)
class ExistingDelegate:
    """The facts about a delegate already in the congress that an import plan needs."""

    id: str
    code: str
    fields: Mapping[str, Any]  # keyed like ``COMPARED``; kind and roles as plain strings
    checked_in: bool = False
    badge_printed: bool = False
    removed: bool = False
    withdrawn: bool = False


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class PlannedChange:
    row: int
    delegate_id: str
    code: str
    full_name: str
    changes: list[FieldChange]
    restores: bool = False
    protected: str | None = None  # why this row must be confirmed on its own


@dataclass(frozen=True)
class PlannedRow:
    row: int
    code: str | None
    full_name: str
    delegation: str


@dataclass(frozen=True)
class RowWarning:
    row: int
    message: str


@dataclass
class ImportPlan:
    added: list[PlannedRow] = field(default_factory=list)
    changed: list[PlannedChange] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)
    refused: list[RowError] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)
    skipped_examples: list[int] = field(default_factory=list)
    rows: dict[int, DelegateRow] = field(default_factory=dict, repr=False)
    matches: dict[int, str] = field(default_factory=dict, repr=False)  # row -> existing delegate id

    @property
    def plan_id(self) -> str:
        decided = {k: [asdict(x) for x in getattr(self, k)] for k in ("added", "changed", "refused", "warnings")}
        decided["unchanged"] = [r.row for r in self.unchanged]
        return hashlib.sha256(json.dumps(decided, sort_keys=True, default=str).encode()).hexdigest()[:32]

    @property
    def refused_rows(self) -> dict[int, list[RowError]]:
        """The refused rows in file order, each with all its errors: one row can have several."""
        grouped: dict[int, list[RowError]] = {}
        for error in sorted(self.refused, key=lambda e: e.row):
            grouped.setdefault(error.row, []).append(error)
        return grouped

    @property
    def needs_confirmation(self) -> bool:
        """Changes to existing people and same-name warnings need the organiser's confirmation."""
        return bool(self.changed or self.warnings)

    @property
    def protected_rows(self) -> set[int]:
        return {c.row for c in self.changed if c.protected}


def row_values(row: DelegateRow) -> dict[str, Any]:
    return {"full_name": row.full_name, "delegation": row.delegation, "kind": str(row.kind),
            "roles": [str(r) for r in row.roles], "gender": row.gender, "birth_year": row.birth_year,
            "ethnicity": row.ethnicity, "party_member": row.party_member, "education": row.education,
            "position": row.position, "sending_unit": row.sending_unit, "phone": row.phone, "email": row.email}


def same_name_key(full_name: str, delegation: str) -> tuple[str, str]:
    """Two people "have the same name" with the same letters and tones, whatever the case and spacing."""
    return " ".join(unicodedata.normalize("NFC", full_name).split()).casefold(), fold(delegation)


def person_key(full_name: str, delegation: str, birth_year: int | None) -> tuple[str, str, int | None]:
    return fold(full_name), fold(delegation), birth_year


def plan_import(parsed: ParsedRoster, existing: Iterable[ExistingDelegate]) -> ImportPlan:
    existing = list(existing)
    plan = ImportPlan(refused=list(parsed.errors), skipped_examples=list(parsed.skipped_examples))
    by_code = {fold(d.code): d for d in existing}
    by_person: dict[tuple, list[ExistingDelegate]] = defaultdict(list)
    for d in sorted(existing, key=lambda d: d.code):
        if not (d.removed or d.withdrawn):
            by_person[person_key(d.fields["full_name"], d.fields["delegation"], d.fields["birth_year"])].append(d)
    for row in parsed.rows:
        match = by_code.get(fold(row.code)) if row.code else _take(by_person, row)
        _plan_row(plan, row, match)
    plan.warnings = _same_name_warnings(plan, existing)
    return plan


def _take(by_person: dict[tuple, list[ExistingDelegate]], row: DelegateRow) -> ExistingDelegate | None:
    """The next existing delegate with the row's name, delegation and birth year (two rows match two people)."""
    found = by_person.get(person_key(row.full_name, row.delegation, row.birth_year))
    return found.pop(0) if found else None


def _plan_row(plan: ImportPlan, row: DelegateRow, match: ExistingDelegate | None) -> None:
    number = row.row_number
    if match is None:
        plan.rows[number] = row
        plan.added.append(PlannedRow(number, row.code, row.full_name, row.delegation))
        return
    if match.withdrawn:
        plan.refused.append(RowError(number, LABELS["code"], f"Đại biểu {match.code} ({match.fields['full_name']}) "
                                     "đã rút khỏi đại hội; hãy khôi phục trên màn hình Đại biểu trước khi nhập"))
        return
    plan.rows[number], plan.matches[number] = row, match.id
    new = row_values(row)
    changes = [FieldChange(k, LABELS[k], match.fields.get(k), new[k]) for k in COMPARED if _differs(match.fields.get(k), new[k])]
    if not changes and not match.removed:
        plan.unchanged.append(PlannedRow(number, match.code, row.full_name, row.delegation))
        return
    plan.changed.append(PlannedChange(number, match.id, match.code, match.fields["full_name"], changes,
                                      restores=match.removed, protected=_protection(match, changes)))


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, list) or isinstance(new, list):
        return sorted(old or []) != sorted(new or [])
    return old != new


def _protection(match: ExistingDelegate, changes: list[FieldChange]) -> str | None:
    if not any(c.field == "full_name" for c in changes):
        return None
    if match.checked_in:
        return "Đổi họ tên của đại biểu đã điểm danh"
    if match.badge_printed:
        return "Đổi họ tên của đại biểu đã in thẻ"
    return None


def _same_name_warnings(plan: ImportPlan, existing: list[ExistingDelegate]) -> list[RowWarning]:
    """Warn on each added or renamed/moved row whose name is already in its delegation after the import."""
    final: dict[str, tuple[str, str]] = {d.id: (d.fields["full_name"], d.fields["delegation"])
                                        for d in existing if not (d.removed or d.withdrawn)}
    labels: dict[str, str] = {d.id: f"đại biểu {d.code}" for d in existing}
    touched: dict[str, int] = {}
    for number, row in plan.rows.items():
        ident = plan.matches.get(number, f"row:{number}")
        if ident.startswith("row:") or any(c.row == number and _renames(c) for c in plan.changed):
            touched[ident] = number
        final[ident] = (row.full_name, row.delegation)
        labels[ident] = f"dòng {number}"
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ident, (name, delegation) in final.items():
        groups[same_name_key(name, delegation)].append(ident)
    warnings = []
    for ident, number in sorted(touched.items(), key=lambda item: item[1]):
        name, delegation = final[ident]
        others = [labels[o] for o in groups[same_name_key(name, delegation)] if o != ident]
        if others:
            warnings.append(RowWarning(number, f"Đoàn '{delegation}' có hai người tên '{name}' "
                                               f"(trùng với {', '.join(others)}); xác nhận nếu đúng là hai người khác nhau"))
    return warnings


def _renames(change: PlannedChange) -> bool:
    return change.restores or any(c.field in ("full_name", "delegation") for c in change.changes)
