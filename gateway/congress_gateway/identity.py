"""The gateway's identity store: staff accounts (argon2 hashes) and kiosk devices."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from congress_common.contracts import utcnow
from congress_common.db import UtcDateTime
from congress_common.errors import Conflict, NotFound
from sqlalchemy import JSON, Boolean, Integer, String, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

hasher = PasswordHasher()


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    full_name: Mapped[str] = mapped_column(String(200))
    congress_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # part of every token issued to this account; bumped when access shrinks, so older tokens stop working
    token_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class KioskDevice(Base):
    __tablename__ = "kiosk_devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    congress_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    paired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # when a kiosk page first started with it


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str, password: str) -> bool:
    """argon2 is CPU-bound by design (tens of ms): off the event loop the whole system shares."""
    return await asyncio.to_thread(_verify, password_hash, password)


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(hasher.hash, password)


async def authenticate(session: AsyncSession, username: str, password: str) -> User | None:
    user = await session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        await hash_password(password)  # same cost whether or not the user exists
        return None
    return user if user.active and await verify_password(user.password_hash, password) else None


async def ensure_admin(session: AsyncSession, password: str) -> None:
    """Create the ``admin`` account, or make it usable again: the configured password, active, role admin."""
    admin = await session.scalar(select(User).where(User.username == "admin"))
    if admin is None:
        session.add(User(id=str(uuid.uuid4()), username="admin", password_hash=await hash_password(password), role="admin",
                         full_name="Quản trị hệ thống", congress_ids=[], active=True, created_at=utcnow(),
                         token_version=1))
    else:
        if not await verify_password(admin.password_hash, password):
            admin.password_hash = await hash_password(password)
            admin.token_version += 1
        admin.active, admin.role = True, "admin"
    await session.commit()


async def create_user(session: AsyncSession, data: dict[str, Any]) -> User:
    username = data["username"].strip().lower()
    if await session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(f"Tên đăng nhập {username} đã tồn tại")
    user = User(id=str(uuid.uuid4()), username=username, password_hash=await hash_password(data["password"]),
                role=data["role"], full_name=data["full_name"], congress_ids=_unique(data.get("congress_ids", [])),
                active=True, created_at=utcnow(), token_version=1)
    session.add(user)
    await session.commit()
    return user


async def update_user(session: AsyncSession, user_id: str, data: dict[str, Any]) -> User:
    """Change what ``data`` names; a new password, a deactivation or a congress taken away revokes old tokens."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("Không tìm thấy tài khoản")
    revoke = False
    if data.get("active") is False and user.active and user.role == "admin":
        await _refuse_last_admin(session)
    if "password" in data:
        user.password_hash, revoke = await hash_password(data["password"]), True
    if "congress_ids" in data:
        congress_ids = _unique(data["congress_ids"])
        revoke = revoke or bool(set(user.congress_ids) - set(congress_ids))
        user.congress_ids = congress_ids
    if "active" in data:
        revoke = revoke or (user.active and not data["active"])
        user.active = data["active"]
    if "full_name" in data:
        user.full_name = data["full_name"]
    if revoke:
        user.token_version += 1
    await session.commit()
    return user


async def _refuse_last_admin(session: AsyncSession) -> None:
    active_admins = await session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True)))
    if (active_admins or 0) <= 1:
        raise Conflict("Không thể vô hiệu hóa tài khoản quản trị cuối cùng đang hoạt động")


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


async def create_kiosk(session: AsyncSession, congress_id: str, name: str, created_by: str) -> KioskDevice:
    device = KioskDevice(id=str(uuid.uuid4()), congress_id=congress_id, name=name, created_by=created_by,
                         created_at=utcnow())
    session.add(device)
    await session.commit()
    return device


async def mark_kiosk_paired(session: AsyncSession, congress_id: str, device_id: str) -> KioskDevice:
    """The kiosk page started with this device's token: from now on the console shows it in use."""
    device = await session.get(KioskDevice, device_id)
    if device is None or device.congress_id != congress_id:
        raise NotFound("Không tìm thấy thiết bị điểm danh")
    if device.paired_at is None:
        device.paired_at = utcnow()
        await session.commit()
    return device


async def revoke_kiosk(session: AsyncSession, congress_id: str, device_id: str) -> KioskDevice:
    device = await session.get(KioskDevice, device_id)
    if device is None or device.congress_id != congress_id:
        raise NotFound("Không tìm thấy thiết bị điểm danh")
    device.revoked_at = device.revoked_at or utcnow()
    await session.commit()
    return device
