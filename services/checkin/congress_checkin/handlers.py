"""Command handlers of the check-in service: each runs in one unit of work and emits its events."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from congress_common.contracts import (
    CheckInMethod,
    CheckInRevoked,
    DelegateCheckedIn,
    DelegateKind,
    DelegateRegistered,
    DelegateReinstated,
    DelegateRemoved,
    DelegateUpdated,
    DelegateWithdrawn,
    utcnow,
)
from congress_common.errors import Conflict, Invalid, NotFound
from congress_common.runtime import UnitOfWork
from congress_common.text import fold, normalize_name, vietnamese_sort_key
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .adapters.orm import CheckIn, Delegate, Delegation
from .congress_handlers import ensure_open, get_congress, new_id
from .domain.badges import InvalidBadge, read_badge_token
from .domain.import_plan import same_name_key
from .domain.limits import REASON

DELEGATE_FIELDS = ("full_name", "kind", "roles", "gender", "birth_year", "ethnicity", "party_member",
                   "education", "position", "sending_unit", "phone", "email")


async def delegation_named(uow: UnitOfWork, congress_id: str, name: str) -> Delegation:
    name = " ".join(name.split())  # unit names keep their acronyms as typed (LĐLĐ, CĐCS, KCN)
    key = fold(name)
    found = await uow.session.scalar(
        select(Delegation).where(Delegation.congress_id == congress_id, Delegation.name_key == key))
    if found is None:
        found = Delegation(id=new_id(), congress_id=congress_id, name=name, name_key=key)
        uow.session.add(found)
    return found


def set_fields(delegate: Delegate, fields: Mapping[str, Any], delegation: Delegation) -> bool:
    """Copy fields onto the delegate and refresh derived keys; True when anything changed."""
    changed = delegate.delegation_id != delegation.id
    for name in DELEGATE_FIELDS:
        if name in fields:
            value = fields[name]
            value = [str(r) for r in value] if name == "roles" else (str(value) if name == "kind" else value)
            if getattr(delegate, name) != value:
                setattr(delegate, name, value)
                changed = True
    delegate.delegation_id, delegate.delegation = delegation.id, delegation
    delegate.full_name = normalize_name(delegate.full_name)
    delegate.sort_key = vietnamese_sort_key(delegate.full_name)
    delegate.search_key = fold(f"{delegate.full_name} {delegate.code} {delegation.name}")
    return changed


def snapshot(delegate: Delegate, event_type: type[DelegateRegistered] | type[DelegateUpdated]):
    return event_type(
        delegate_id=delegate.id, code=delegate.code, full_name=delegate.full_name, sort_key=delegate.sort_key,
        delegation_id=delegate.delegation_id, delegation_name=delegate.delegation.name, kind=delegate.kind,
        roles=delegate.roles or [], gender=delegate.gender, birth_year=delegate.birth_year, position=delegate.position)


async def code_generator(uow: UnitOfWork, congress_id: str, reserved: set[str] | None = None) -> Iterator[str]:
    """Fresh delegate codes DB001, DB002... skipping codes the congress uses and ``reserved`` ones."""
    taken = set(await uow.session.scalars(select(Delegate.code).where(Delegate.congress_id == congress_id)))
    taken |= reserved or set()

    def codes() -> Iterator[str]:
        number = len(taken)
        while True:
            number += 1
            if (code := f"DB{number:03d}") not in taken:
                taken.add(code)
                yield code

    return codes()


async def add_delegate(uow: UnitOfWork, congress_id: str, fields: Mapping[str, Any], code: str) -> Delegate:
    delegation = await delegation_named(uow, congress_id, fields["delegation"])
    now = utcnow()
    delegate = Delegate(id=new_id(), congress_id=congress_id, code=code, full_name=fields["full_name"],
                        roles=[], badge_version=1, created_at=now, updated_at=now)
    set_fields(delegate, fields, delegation)
    uow.session.add(delegate)
    await uow.emit(snapshot(delegate, DelegateRegistered), congress_id=congress_id)
    return delegate


async def register_delegate(uow: UnitOfWork, congress_id: str, fields: Mapping[str, Any], *,
                            allow_duplicate: bool = False) -> Delegate:
    await get_congress(uow.session, congress_id)
    code = fields.get("code")
    if code and await _code_taken(uow, congress_id, code):
        raise Conflict(f"Mã đại biểu {code} đã được dùng")
    if not allow_duplicate:
        await refuse_same_name(uow, congress_id, fields["full_name"], fields["delegation"], None)
    if not code:
        code = next(await code_generator(uow, congress_id))
    delegate = await add_delegate(uow, congress_id, fields, code)
    await uow.commit()
    return delegate


async def refuse_same_name(uow: UnitOfWork, congress_id: str, full_name: str, delegation: str,
                           delegate_id: str | None) -> None:
    """409 when another delegate of the delegation has this name (the form then asks and confirms)."""
    key = same_name_key(full_name, delegation)
    same = await uow.session.scalars(select(Delegate).join(Delegation).where(
        Delegate.congress_id == congress_id, Delegate.removed_at.is_(None), Delegation.name_key == key[1]))
    twin = next((d for d in same if d.id != delegate_id and same_name_key(d.full_name, delegation) == key), None)
    if twin is not None:
        message = (f"Đoàn '{twin.delegation.name}' đã có đại biểu '{twin.full_name}' ({twin.code}). "
                   "Nếu đúng là hai người khác nhau, hãy xác nhận để lưu.")
        raise Conflict(message, errors=[{"field": "full_name", "message": message, "duplicate_of": twin.code}])


async def _code_taken(uow: UnitOfWork, congress_id: str, code: str) -> bool:
    return await uow.session.scalar(
        select(Delegate.id).where(Delegate.congress_id == congress_id, Delegate.code == code)) is not None


async def get_delegate(session, congress_id: str, delegate_id: str) -> Delegate:
    delegate = await session.get(Delegate, delegate_id)
    if delegate is None or delegate.congress_id != congress_id or delegate.removed_at is not None:
        raise NotFound("Không tìm thấy đại biểu")
    return delegate


async def update_delegate(uow: UnitOfWork, congress_id: str, delegate_id: str, fields: Mapping[str, Any], *,
                          allow_duplicate: bool = False) -> Delegate:
    delegate = await get_delegate(uow.session, congress_id, delegate_id)
    if not allow_duplicate and ({"full_name", "delegation"} & fields.keys()):
        await refuse_same_name(uow, congress_id, fields.get("full_name") or delegate.full_name,
                               fields.get("delegation") or delegate.delegation.name, delegate.id)
    delegation = (await delegation_named(uow, congress_id, fields["delegation"])
                  if fields.get("delegation") else delegate.delegation)
    if set_fields(delegate, fields, delegation):
        delegate.updated_at = utcnow()
        await uow.emit(snapshot(delegate, DelegateUpdated), congress_id=congress_id)
    await uow.commit()
    return delegate


async def remove_delegate(uow: UnitOfWork, congress_id: str, delegate_id: str) -> None:
    """Delete a delegate entered by mistake; someone who has checked in can only be withdrawn (with a reason)."""
    delegate = await get_delegate(uow.session, congress_id, delegate_id)
    if await has_attended(uow.session, delegate.id):
        message = (f"Đại biểu {delegate.full_name} ({delegate.code}) đã điểm danh nên không xóa được: "
                   "hãy rút tên khỏi đại hội và ghi lý do, để số liệu thẩm tra tư cách vẫn đúng.")
        raise Conflict(message, errors=[{"field": "delegate_id", "message": message, "withdraw_instead": True}])
    delegate.removed_at = utcnow()
    await uow.emit(DelegateRemoved(delegate_id=delegate.id), congress_id=congress_id)
    await uow.commit()


async def withdraw_delegate(uow: UnitOfWork, congress_id: str, delegate_id: str, reason: str, actor: str) -> Delegate:
    """The delegate leaves the congress: kept on record (summoned, absent with ``reason``); a check-in is closed."""
    congress = ensure_open(await get_congress(uow.session, congress_id))
    delegate = await get_delegate(uow.session, congress_id, delegate_id)
    if delegate.withdrawn_at is not None:
        return delegate  # withdrawing twice is harmless
    now, reason = utcnow(), reason.strip()
    delegate.withdrawn_at, delegate.withdrawn_by, delegate.withdraw_reason = now, actor, reason
    checkin = await active_checkin(uow.session, delegate.id, congress.current_session_id)
    if checkin is not None:  # attendance of earlier sessions is history and stays
        await _revoke(uow, checkin, f"Rút khỏi đại hội: {reason}"[:REASON.max_length], actor)
    await uow.emit(DelegateWithdrawn(delegate_id=delegate.id, reason=reason, withdrawn_at=now), congress_id=congress_id)
    await uow.commit()
    return delegate


async def reinstate_delegate(uow: UnitOfWork, congress_id: str, delegate_id: str) -> Delegate:
    """Undo a withdrawal; the delegate checks in again like anyone else."""
    ensure_open(await get_congress(uow.session, congress_id))
    delegate = await get_delegate(uow.session, congress_id, delegate_id)
    if delegate.withdrawn_at is None:
        return delegate
    delegate.withdrawn_at = delegate.withdrawn_by = delegate.withdraw_reason = None
    await uow.emit(DelegateReinstated(delegate_id=delegate.id), congress_id=congress_id)
    await uow.commit()
    return delegate


async def check_in(uow: UnitOfWork, congress_id: str, delegate_id: str, method: CheckInMethod,
                   actor: str) -> tuple[CheckIn, bool]:
    """Check a delegate in to the congress's current session; a repeat returns the existing check-in and ``False``.

    The one path of every method (desk, QR, face): closing, sessions and withdrawals apply to all of them.
    """
    congress = ensure_open(await get_congress(uow.session, congress_id))
    session_id = congress.current_session_id
    delegate = await get_delegate(uow.session, congress_id, delegate_id)
    existing = await active_checkin(uow.session, delegate.id, session_id)
    if existing is not None:
        return existing, False
    if delegate.withdrawn_at is not None:
        raise Conflict(f"Đại biểu {delegate.full_name} đã rút khỏi đại hội ({delegate.withdraw_reason}); "
                       "khôi phục trên màn hình Đại biểu nếu đại biểu trở lại")
    checkin = CheckIn(id=new_id(), congress_id=congress_id, delegate_id=delegate.id, session_id=session_id,
                      method=str(method), checked_in_at=utcnow(), actor=actor, delegate=delegate)
    uow.session.add(checkin)
    try:
        await uow.session.flush()  # the partial unique index refuses a second active check-in here
        await uow.emit(DelegateCheckedIn(checkin_id=checkin.id, delegate_id=delegate.id, kind=delegate.kind,
                                         method=method, checked_in_at=checkin.checked_in_at, session_id=session_id),
                       congress_id=congress_id)
        await uow.commit()
    except IntegrityError:
        # a concurrent request checked the same delegate in first: report that one
        # (the rollback expired ``delegate``: use the ids we were given, not its attributes)
        await uow.rollback()
        existing = await active_checkin(uow.session, delegate_id, session_id)
        if existing is None:
            raise
        return existing, False
    return checkin, True


async def delegate_by_badge(session, secret: str, congress_id: str, token: str) -> Delegate:
    """The delegate whose current badge carries this QR token; ``Invalid`` for a forged, foreign or replaced one."""
    try:
        delegate_id, version = read_badge_token(secret, congress_id, token)
    except InvalidBadge as exc:
        raise Invalid(str(exc)) from None
    delegate = await get_delegate(session, congress_id, delegate_id)
    if delegate.badge_version != version:
        raise Invalid("Thẻ đại biểu này đã bị thay thế, vui lòng dùng thẻ mới")
    return delegate


async def check_in_by_qr(uow: UnitOfWork, secret: str, congress_id: str, token: str, actor: str) -> tuple[CheckIn, bool]:
    delegate = await delegate_by_badge(uow.session, secret, congress_id, token)
    return await check_in(uow, congress_id, delegate.id, CheckInMethod.qr, actor)


async def active_checkin(session, delegate_id: str, session_id: str | None) -> CheckIn | None:
    return await session.scalar(select(CheckIn).where(
        CheckIn.delegate_id == delegate_id, CheckIn.session_id == session_id, CheckIn.revoked_at.is_(None)))


async def has_attended(session, delegate_id: str) -> bool:
    """Checked in (and not undone) to any session."""
    return await session.scalar(select(CheckIn.id).where(
        CheckIn.delegate_id == delegate_id, CheckIn.revoked_at.is_(None)).limit(1)) is not None


async def revoke_checkin(uow: UnitOfWork, congress_id: str, checkin_id: str, reason: str, actor: str) -> CheckIn:
    congress = ensure_open(await get_congress(uow.session, congress_id))
    checkin = await uow.session.get(CheckIn, checkin_id)
    if checkin is None or checkin.congress_id != congress_id:
        raise NotFound("Không tìm thấy lượt điểm danh")
    if checkin.revoked_at is not None:
        return checkin  # undoing twice is harmless
    if checkin.session_id != congress.current_session_id:
        raise Conflict("Lượt điểm danh này thuộc một phiên đã qua; chỉ hoàn tác được trong phiên đang diễn ra")
    await _revoke(uow, checkin, reason.strip(), actor)
    await uow.commit()
    return checkin


async def _revoke(uow: UnitOfWork, checkin: CheckIn, reason: str, actor: str) -> None:
    checkin.revoked_at, checkin.revoked_by, checkin.revoke_reason = utcnow(), actor, reason
    await uow.emit(CheckInRevoked(checkin_id=checkin.id, delegate_id=checkin.delegate_id,
                                  kind=DelegateKind(checkin.delegate.kind), reason=reason,
                                  revoked_at=checkin.revoked_at, session_id=checkin.session_id),
                   congress_id=checkin.congress_id)


async def reissue_badge(uow: UnitOfWork, congress_id: str, delegate_id: str) -> Delegate:
    """A lost badge: the new version voids the old QR (and PIN); the new badge is yet to be printed."""
    delegate = await get_delegate(uow.session, congress_id, delegate_id)
    delegate.badge_version += 1
    delegate.badge_printed_at = None
    await uow.commit()
    return delegate


async def count_delegates(session, congress_id: str) -> int:
    return await session.scalar(select(func.count()).select_from(Delegate).where(
        Delegate.congress_id == congress_id, Delegate.removed_at.is_(None))) or 0
