"""Request and response bodies of the check-in API."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from congress_common.contracts import CheckInMethod, CongressRole, DelegateKind
from pydantic import BaseModel, ConfigDict, Field, model_validator


class CongressLevel(StrEnum):
    grassroots = "grassroots"  # công đoàn cơ sở
    district = "district"  # công đoàn cấp trên trực tiếp cơ sở (huyện, ngành)
    province = "province"  # LĐLĐ tỉnh, công đoàn ngành trung ương
    national = "national"  # Đại hội Công đoàn Việt Nam


class CongressCreate(BaseModel):
    name: str = Field(min_length=3, max_length=300)
    level: CongressLevel = CongressLevel.province
    venue: str | None = Field(default=None, max_length=300)
    starts_on: date | None = None


class CongressPublic(CongressCreate):
    model_config = ConfigDict(from_attributes=True)

    id: str
    created_at: datetime


class DelegateFields(BaseModel):
    roles: list[CongressRole] = []
    gender: str | None = Field(default=None, pattern="^(male|female)$")
    birth_year: int | None = Field(default=None, ge=1930, le=2010)
    ethnicity: str | None = Field(default=None, max_length=60)
    party_member: bool | None = None
    education: str | None = Field(default=None, max_length=120)
    position: str | None = Field(default=None, max_length=300)
    sending_unit: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=30)
    email: str | None = Field(default=None, max_length=200)


class DelegateCreate(DelegateFields):
    full_name: str = Field(min_length=2, max_length=200)
    delegation: str = Field(min_length=2, max_length=300)
    kind: DelegateKind = DelegateKind.official
    code: str | None = Field(default=None, min_length=1, max_length=40)


class DelegateUpdate(DelegateFields):
    """Only the fields sent are changed (``exclude_unset``)."""

    full_name: str | None = Field(default=None, min_length=2, max_length=200)
    delegation: str | None = Field(default=None, min_length=2, max_length=300)
    kind: DelegateKind | None = None
    roles: list[CongressRole] | None = None


class DelegatePublic(DelegateFields):
    id: str
    code: str
    full_name: str
    delegation_id: str
    delegation_name: str
    kind: DelegateKind
    checked_in: bool = False
    checkin_id: str | None = None
    checked_in_at: datetime | None = None
    checkin_method: CheckInMethod | None = None


class DelegatePage(BaseModel):
    items: list[DelegatePublic]
    total: int


class DelegationPublic(BaseModel):
    id: str
    name: str
    delegates: int


class ImportSummary(BaseModel):
    created: int
    updated: int
    unchanged: int
    total: int


class DelegateCredentials(BaseModel):
    delegate_id: str
    code: str
    pin: str
    qr: str


class CheckInCreate(BaseModel):
    delegate_id: str | None = Field(default=None, max_length=36)
    qr: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _exactly_one(self) -> CheckInCreate:
        if (self.delegate_id is None) == (self.qr is None):
            raise ValueError("Cần đúng một trong hai: delegate_id hoặc qr")
        return self


class SeatPublic(BaseModel):
    """A delegate's seat in the published plan (``section`` SK is the stage)."""

    label: str
    section: str
    row: str
    number: int


class CheckInPublic(BaseModel):
    id: str
    delegate_id: str
    full_name: str
    delegation_name: str
    kind: DelegateKind
    method: CheckInMethod
    checked_in_at: datetime
    already_checked_in: bool = False
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    seat: SeatPublic | None = Field(default=None, description="the delegate's seat once the seat plan is published")


class RevokeRequest(BaseModel):
    reason: str = Field(min_length=3, max_length=500)


class AttendancePublic(BaseModel):
    summoned: int
    present: int
    absent: int
    quorum_required: int
    quorum_met: bool
    present_by_kind: dict[str, int]


class DelegateLogin(BaseModel):
    congress_id: str
    code: str = Field(min_length=1, max_length=40)
    pin: str = Field(min_length=4, max_length=12)


class DelegateIdentity(BaseModel):
    delegate_id: str
    congress_id: str
    full_name: str
