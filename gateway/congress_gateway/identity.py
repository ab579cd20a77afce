"""The gateway's identity store: staff accounts (argon2 hashes) and kiosk devices."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from congress_common.contracts import utcnow
from congress_common.errors import Conflict, NotFound
from sqlalchemy import JSON, Boolean, DateTime, String, select
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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KioskDevice(Base):
    __tablename__ = "kiosk_devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    congress_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def authenticate(session: AsyncSession, username: str, password: str) -> User | None:
    user = await session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        hasher.hash(password)  # same cost whether or not the user exists
        return None
    return user if user.active and verify_password(user.password_hash, password) else None


async def ensure_admin(session: AsyncSession, password: str) -> None:
    """Create the ``admin`` account, or align its password with the configured one."""
    admin = await session.scalar(select(User).where(User.username == "admin"))
    if admin is None:
        session.add(User(id=str(uuid.uuid4()), username="admin", password_hash=hasher.hash(password), role="admin",
                         full_name="Quản trị hệ thống", congress_ids=[], active=True, created_at=utcnow()))
    elif not verify_password(admin.password_hash, password):
        admin.password_hash = hasher.hash(password)
    await session.commit()


async def create_user(session: AsyncSession, data: dict[str, Any]) -> User:
    username = data["username"].strip().lower()
    if await session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(f"Tên đăng nhập {username} đã tồn tại")
    user = User(id=str(uuid.uuid4()), username=username, password_hash=hasher.hash(data["password"]),
                role=data["role"], full_name=data["full_name"], congress_ids=data.get("congress_ids", []),
                active=True, created_at=utcnow())
    session.add(user)
    await session.commit()
    return user


async def update_user(session: AsyncSession, user_id: str, data: dict[str, Any]) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("Không tìm thấy tài khoản")
    if "password" in data:
        user.password_hash = hasher.hash(data.pop("password"))
    for key, value in data.items():
        setattr(user, key, value)
    await session.commit()
    return user


async def create_kiosk(session: AsyncSession, congress_id: str, name: str, created_by: str) -> KioskDevice:
    device = KioskDevice(id=str(uuid.uuid4()), congress_id=congress_id, name=name, created_by=created_by,
                         created_at=utcnow())
    session.add(device)
    await session.commit()
    return device


async def revoke_kiosk(session: AsyncSession, congress_id: str, device_id: str) -> KioskDevice:
    device = await session.get(KioskDevice, device_id)
    if device is None or device.congress_id != congress_id:
        raise NotFound("Không tìm thấy thiết bị điểm danh")
    device.revoked_at = device.revoked_at or utcnow()
    await session.commit()
    return device
