"""Importing the organisers' delegate list: preview first, then apply exactly the plan that was confirmed.

All rows or none: a file with refused rows imports nothing. Adding people
needs no confirmation; changing existing people, or adding a second person
with the same name to a delegation, needs the ``plan_id`` of the preview the
organiser saw. A protected row (renaming someone who has checked in or whose
badge was printed) is applied only when confirmed by its row number, and is
otherwise left out and reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from congress_common.contracts import DelegateRegistered, DelegateUpdated, utcnow
from congress_common.errors import Conflict, Invalid
from congress_common.runtime import UnitOfWork
from congress_common.text import fold
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .adapters.orm import CheckIn, Delegate, Delegation
from .domain.import_plan import ExistingDelegate, ImportPlan, plan_import, row_values
from .domain.roster_import import DelegateRow, ParsedRoster
from .handlers import add_delegate, code_generator, delegation_named, get_congress, set_fields, snapshot


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_rows: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


async def existing_delegates(session: AsyncSession, congress_id: str) -> list[ExistingDelegate]:
    checked_in = set(await session.scalars(select(CheckIn.delegate_id).where(
        CheckIn.congress_id == congress_id, CheckIn.revoked_at.is_(None))))
    delegates = await session.scalars(select(Delegate).where(Delegate.congress_id == congress_id))
    return [ExistingDelegate(
        id=d.id, code=d.code, fields={**{k: getattr(d, k) for k in _STORED}, "delegation": d.delegation.name,
                                      "roles": list(d.roles or [])},
        checked_in=d.id in checked_in, badge_printed=d.badge_printed_at is not None,
        removed=d.removed_at is not None, withdrawn=getattr(d, "withdrawn_at", None) is not None,
    ) for d in delegates]


_STORED = ("full_name", "kind", "gender", "birth_year", "ethnicity", "party_member", "education", "position",
           "sending_unit", "phone", "email")


async def preview_import(session: AsyncSession, congress_id: str, parsed: ParsedRoster) -> ImportPlan:
    await get_congress(session, congress_id)
    return plan_import(parsed, await existing_delegates(session, congress_id))


async def import_roster(uow: UnitOfWork, congress_id: str, parsed: ParsedRoster, *, plan_id: str | None = None,
                        confirm_rows: frozenset[int] = frozenset()) -> ImportCounts:
    plan = await preview_import(uow.session, congress_id, parsed)
    _check_applicable(plan, plan_id)
    delegations = {d.name_key: d for d in await uow.session.scalars(
        select(Delegation).where(Delegation.congress_id == congress_id))}
    codes = await code_generator(uow, congress_id, reserved={r.code for r in plan.rows.values() if r.code})
    counts = ImportCounts(unchanged=len(plan.unchanged))
    for added in plan.added:
        row = plan.rows[added.row]
        await add_delegate(uow, congress_id, _fields(row), row.code or next(codes))
        counts.created += 1
    for change in plan.changed:
        if change.protected and change.row not in confirm_rows:
            counts.skipped_rows.append(change.row)
            continue
        delegate = await uow.session.get(Delegate, change.delegate_id)
        await _update_from_row(uow, congress_id, delegate, plan.rows[change.row], delegations)
        counts.updated += 1
    await uow.commit()
    return counts


def _check_applicable(plan: ImportPlan, plan_id: str | None) -> None:
    if plan.refused:
        rows, errors = len(plan.refused_rows), len(plan.refused)
        raise Invalid(f"Tệp có {rows} dòng bị từ chối ({errors} lỗi), chưa nhập đại biểu nào. "
                      "Sửa các dòng dưới đây rồi nhập lại.",
                      errors=[{"row": e.row, "column": e.column, "message": e.message} for e in plan.refused])
    if not plan.rows:
        raise Invalid("Tệp không có dòng đại biểu nào")
    if plan.needs_confirmation and plan_id != plan.plan_id:
        if plan_id is None:
            raise Conflict(f"Tệp này thay đổi {len(plan.changed)} đại biểu đã có và có {len(plan.warnings)} cảnh báo "
                           "trùng tên: hãy xem trước và xác nhận (plan_id) rồi nhập")
        raise Conflict("Danh sách đại biểu đã thay đổi từ lúc xem trước; hãy xem trước lại rồi xác nhận")


def _fields(row: DelegateRow) -> dict:
    return {**row_values(row), "kind": row.kind, "roles": list(row.roles)}


async def _update_from_row(uow: UnitOfWork, congress_id: str, delegate: Delegate, row: DelegateRow,
                           delegations: dict[str, Delegation]) -> None:
    delegation = delegations.get(fold(row.delegation))
    if delegation is None:
        delegation = delegations[fold(row.delegation)] = await delegation_named(uow, congress_id, row.delegation)
    restored = delegate.removed_at is not None
    delegate.removed_at = None
    set_fields(delegate, _fields(row), delegation)
    delegate.updated_at = utcnow()
    await uow.emit(snapshot(delegate, DelegateRegistered if restored else DelegateUpdated), congress_id=congress_id)
