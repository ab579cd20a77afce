"""Importing the organisers' delegate list: all rows or none, and a re-import changes nothing."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from congress_common.contracts import DelegateRegistered, DelegateUpdated, utcnow
from congress_common.errors import Invalid
from congress_common.runtime import UnitOfWork
from congress_common.text import fold
from sqlalchemy import select

from .adapters.orm import Delegate, Delegation
from .domain.roster_import import DelegateRow, ImportFileError, parse_delegate_workbook
from .handlers import add_delegate, code_generator, delegation_named, get_congress, set_fields, snapshot


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def parse_upload(data: bytes) -> list[DelegateRow]:
    """Rows of a valid workbook; ``Invalid`` with every row error otherwise."""
    try:
        rows, errors = parse_delegate_workbook(data)
    except ImportFileError as exc:
        raise Invalid(str(exc)) from None
    if errors:
        raise Invalid(f"Tệp có {len(errors)} lỗi, chưa nhập đại biểu nào. Sửa các dòng dưới đây rồi nhập lại.",
                      errors=[{"row": e.row, "column": e.column, "message": e.message} for e in errors])
    if not rows:
        raise Invalid("Tệp không có dòng đại biểu nào")
    return rows


def row_fields(row: DelegateRow) -> dict[str, Any]:
    return {
        "full_name": row.full_name, "delegation": row.delegation, "kind": row.kind, "roles": list(row.roles),
        "gender": row.gender, "birth_year": row.birth_year, "ethnicity": row.ethnicity,
        "party_member": row.party_member, "education": row.education, "position": row.position,
        "sending_unit": row.sending_unit, "phone": row.phone, "email": row.email,
    }


def person_key(full_name: str, delegation: str, birth_year: int | None) -> tuple[str, str, int | None]:
    return fold(full_name), fold(delegation), birth_year


async def import_roster(uow: UnitOfWork, congress_id: str, rows: list[DelegateRow]) -> ImportCounts:
    await get_congress(uow.session, congress_id)
    existing = list(await uow.session.scalars(select(Delegate).where(Delegate.congress_id == congress_id)))
    by_code = {d.code: d for d in existing}
    by_person = {person_key(d.full_name, d.delegation.name, d.birth_year): d for d in existing if d.removed_at is None}
    delegations = {d.name_key: d for d in await uow.session.scalars(
        select(Delegation).where(Delegation.congress_id == congress_id))}
    codes = await code_generator(uow, congress_id, reserved={row.code for row in rows if row.code})
    counts = ImportCounts()
    for row in rows:
        match = by_code.get(row.code) if row.code else by_person.get(person_key(row.full_name, row.delegation, row.birth_year))
        if match is None:
            await add_delegate(uow, congress_id, row_fields(row), row.code or next(codes))
            counts.created += 1
        elif await _update_from_row(uow, congress_id, match, row, delegations):
            counts.updated += 1
        else:
            counts.unchanged += 1
    await uow.commit()
    return counts


async def _update_from_row(uow: UnitOfWork, congress_id: str, delegate: Delegate, row: DelegateRow,
                           delegations: dict[str, Delegation]) -> bool:
    delegation = delegations.get(fold(row.delegation))
    if delegation is None:
        delegation = delegations[fold(row.delegation)] = await delegation_named(uow, congress_id, row.delegation)
    restored = delegate.removed_at is not None
    delegate.removed_at = None
    if not set_fields(delegate, row_fields(row), delegation) and not restored:
        return False
    delegate.updated_at = utcnow()
    event = DelegateRegistered if restored else DelegateUpdated
    await uow.emit(snapshot(delegate, event), congress_id=congress_id)
    return True
