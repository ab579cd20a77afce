"""Staff accounts (admin) and kiosk devices (organisers of the congress)."""
from __future__ import annotations

import asyncio
import base64
from datetime import datetime, timedelta
from typing import Annotated

from congress_common.auth import Principal, Role, issue_token
from congress_common.errors import Invalid
from congress_common.pdf import qr_png
from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from .. import identity
from ..deps import Caller, GatewayDep, SessionDep, ensure

router = APIRouter(prefix="/api", tags=["accounts"])


CongressIds = list[Annotated[str, Field(min_length=1, max_length=36)]]


class UserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9_.\-]+$", title="Tên đăng nhập")
    password: str = Field(min_length=8, max_length=200, title="Mật khẩu")
    full_name: str = Field(min_length=2, max_length=200, title="Họ và tên")
    role: Role = Field(default=Role.organiser, title="Vai trò")
    congress_ids: CongressIds = Field(default=[], max_length=200, title="Đại hội được quản lý")


class UserUpdate(BaseModel):
    """Only the fields sent change; none of them may be null (a 422 names the field)."""

    password: str = Field(default=None, min_length=8, max_length=200, title="Mật khẩu")  # type: ignore[assignment]
    full_name: str = Field(default=None, min_length=2, max_length=200, title="Họ và tên")  # type: ignore[assignment]
    congress_ids: CongressIds = Field(default=None, max_length=200, title="Đại hội được quản lý")  # type: ignore[assignment]
    active: bool = Field(default=None, title="Đang hoạt động")  # type: ignore[assignment]


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    username: str
    full_name: str
    role: Role
    congress_ids: list[str]
    active: bool


ORIGIN = r"^https?://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?/?$"  # scheme, host, port: nothing after


class KioskCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120, title="Tên thiết bị")
    console_url: str | None = Field(default=None, max_length=200, pattern=ORIGIN, title="Địa chỉ trang quản trị",
                                    description="the console's origin: the pairing link and its QR open the kiosk "
                                                "page there")


class KioskPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    congress_id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None = None
    paired_at: datetime | None = Field(default=None, description="When a kiosk page first started with the "
                                                                 "device's code; none yet: not set up")
    token: str | None = None


class KioskCreated(KioskPublic):
    """Answered once, at creation: the token, and the link a tablet opens it with (the token in the fragment,
    which no server or log sees), as text and as a QR code (a PNG data URL) for the tablet's camera app."""

    token: str
    pairing_link: str | None = None
    pairing_qr: str | None = None


@router.get("/users", response_model=list[UserPublic])
async def list_users(session: SessionDep, caller: Caller) -> list:
    ensure(caller, Role.admin)
    return list(await session.scalars(select(identity.User).order_by(identity.User.username)))


@router.post("/users", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
async def create_user(body: UserCreate, session: SessionDep, caller: Caller):
    ensure(caller, Role.admin)
    if body.role in (Role.kiosk, Role.delegate):
        raise Invalid("Tài khoản nhân sự chỉ có vai trò admin hoặc organiser")
    return await identity.create_user(session, body.model_dump())


@router.patch("/users/{user_id}", response_model=UserPublic)
async def update_user(user_id: str, body: UserUpdate, session: SessionDep, gateway: GatewayDep, caller: Caller):
    """Reset the password, disable or enable, change the congresses; the last active admin stays active."""
    ensure(caller, Role.admin)
    user = await identity.update_user(session, user_id, body.model_dump(exclude_unset=True))
    gateway.principals.forget(f"user:{user.username}")
    return user


@router.get("/congresses/{cid}/kiosks", response_model=list[KioskPublic])
async def list_kiosks(cid: str, session: SessionDep, caller: Caller) -> list:
    ensure(caller, Role.organiser, congress_id=cid)
    return list(await session.scalars(select(identity.KioskDevice).where(identity.KioskDevice.congress_id == cid)
                                      .order_by(identity.KioskDevice.created_at)))


@router.post("/congresses/{cid}/kiosks", response_model=KioskCreated, status_code=status.HTTP_201_CREATED)
async def create_kiosk(cid: str, body: KioskCreate, session: SessionDep, gateway: GatewayDep,
                       caller: Caller) -> KioskCreated:
    ensure(caller, Role.organiser, congress_id=cid)
    device = await identity.create_kiosk(session, cid, body.name, caller.sub)
    principal = Principal(sub=device.id, role=Role.kiosk, name=device.name, congress_ids=[cid], token_id=device.id)
    token = issue_token(gateway.settings.secret(), principal, timedelta(days=gateway.settings.kiosk_token_days))
    pairing = {}
    if body.console_url:
        link = pairing_link(body.console_url, token)
        pairing = {"pairing_link": link, "pairing_qr": await asyncio.to_thread(qr_data_url, link)}
    return KioskCreated.model_validate({**KioskPublic.model_validate(device).model_dump(), "token": token, **pairing})


def pairing_link(console_url: str, token: str) -> str:
    """The kiosk page with its token in the fragment: kiosk/main.js reads it, then takes it off the address bar."""
    return f"{console_url.rstrip('/')}/kiosk/#token={token}"


def qr_data_url(text: str) -> str:
    """A QR code of ``text`` as a PNG data URL, three pixels a module (about 280 px for a pairing link)."""
    return "data:image/png;base64," + base64.b64encode(qr_png(text, scale=3)).decode("ascii")


@router.post("/congresses/{cid}/kiosks/paired", response_model=KioskPublic)
async def kiosk_paired(cid: str, session: SessionDep, caller: Caller):
    """Called by the kiosk page once it has started with its code: the console then shows the device in use."""
    if caller.role is not Role.kiosk:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Chỉ thiết bị điểm danh mới báo đã được cài đặt")
    ensure(caller, Role.kiosk, congress_id=cid)
    return await identity.mark_kiosk_paired(session, cid, caller.sub)


@router.delete("/congresses/{cid}/kiosks/{device_id}", response_model=KioskPublic)
async def revoke_kiosk(cid: str, device_id: str, session: SessionDep, gateway: GatewayDep, caller: Caller):
    ensure(caller, Role.organiser, congress_id=cid)
    device = await identity.revoke_kiosk(session, cid, device_id)
    gateway.forget_kiosk(device.id)
    return device
