"""Request and response bodies of the check-in API."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from congress_common.contracts import CheckInMethod, CongressRole, DelegateKind
from congress_common.labels import labelled
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..domain.limits import MAX_BIRTH_YEAR, MIN_BIRTH_YEAR, REASON, TEXT_LIMITS


def text(key: str, default: Any = None) -> Any:
    """A text field with the one limit and Vietnamese label of ``limits.TEXT_LIMITS[key]``."""
    limit = TEXT_LIMITS[key]
    return Field(default=default, title=limit.label, min_length=limit.min_length, max_length=limit.max_length)


class CongressLevel(StrEnum):
    grassroots = "grassroots"  # công đoàn cơ sở
    district = "district"  # công đoàn cấp trên trực tiếp cơ sở (huyện, ngành)
    province = "province"  # LĐLĐ tỉnh, công đoàn ngành trung ương
    national = "national"  # Đại hội Công đoàn Việt Nam


LEVEL_LABELS = labelled(CongressLevel, {CongressLevel.grassroots: "Công đoàn cơ sở",
                                        CongressLevel.district: "Công đoàn cấp trên trực tiếp cơ sở",
                                        CongressLevel.province: "Công đoàn tỉnh, ngành TW",
                                        CongressLevel.national: "Toàn quốc"})


class CongressCreate(BaseModel):
    name: str = Field(min_length=3, max_length=300, title="Tên đại hội")
    level: CongressLevel = Field(default=CongressLevel.province, title="Cấp đại hội")
    venue: str | None = Field(default=None, max_length=300, title="Địa điểm")
    starts_on: date | None = Field(default=None, title="Ngày khai mạc")


QuorumNumerator = Field(default=None, ge=1, le=1000, title="Tỷ lệ tối thiểu (tử số)")
QuorumDenominator = Field(default=None, ge=1, le=1000, title="Tỷ lệ tối thiểu (mẫu số)")


class CongressUpdate(BaseModel):
    """The congress's settings; only the fields sent change. The quorum rule defaults to 2/3 of the summoned."""

    name: str = Field(default=None, min_length=3, max_length=300, title="Tên đại hội")  # type: ignore[assignment]
    level: CongressLevel = Field(default=None, title="Cấp đại hội")  # type: ignore[assignment]
    venue: str | None = Field(default=None, max_length=300, title="Địa điểm")
    starts_on: date | None = Field(default=None, title="Ngày khai mạc")
    quorum_numerator: int = QuorumNumerator  # never null: a 422 names the field
    quorum_denominator: int = QuorumDenominator
    age_bands: list[int] = Field(default=None, max_length=6, title="Độ tuổi",  # type: ignore[assignment]
                                        description="Upper ages of the report's bands: [30, 50] is under 30, 30-50, over 50")

    @model_validator(mode="after")
    def _fraction(self) -> CongressUpdate:
        n, d = self.quorum_numerator, self.quorum_denominator
        if n is not None and d is not None and n > d:
            raise ValueError("Tỷ lệ tối thiểu không được lớn hơn 1 (tử số phải nhỏ hơn hoặc bằng mẫu số)")
        return self


class SessionBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str


class CongressPublic(CongressCreate):
    model_config = ConfigDict(from_attributes=True)

    id: str
    created_at: datetime
    quorum_numerator: int = 2
    quorum_denominator: int = 3
    age_bands: list[int] | None = Field(default=None, description="None: the default bands (under 30, 30-50, over 50)")
    current_session: SessionBrief | None = None
    closed_at: datetime | None = None


class OpenCongress(BaseModel):
    """A congress a delegate may log in to, as anyone may see it: its name and date, nothing else."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    starts_on: date | None = None


class SessionCreate(BaseModel):
    name: str = Field(min_length=2, max_length=200, title="Tên phiên họp")


class SessionPublic(SessionBrief):
    position: int
    current: bool
    present: int = Field(description="official delegates checked in to this session")


class AbsenceNoteCreate(BaseModel):
    reason: str = Field(min_length=2, max_length=REASON.max_length, title="Lý do vắng mặt")
    session_id: str | None = Field(default=None, max_length=36, description="default: the current session")


class AbsenceNotePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    session_id: str
    delegate_id: str
    reason: str
    recorded_at: datetime


class DelegateFields(BaseModel):
    """The same limits as the Excel import (``domain/limits.py``), with the labels the form shows."""

    roles: list[CongressRole] = Field(default=[], title="Vai trò tại đại hội")
    gender: str | None = Field(default=None, pattern="^(male|female)$", title="Giới tính")
    birth_year: int | None = Field(default=None, ge=MIN_BIRTH_YEAR, le=MAX_BIRTH_YEAR, title="Năm sinh")
    ethnicity: str | None = text("ethnicity")
    party_member: bool | None = Field(default=None, title="Đảng viên")
    education: str | None = text("education")
    position: str | None = text("position")
    sending_unit: str | None = text("sending_unit")
    phone: str | None = text("phone")
    email: str | None = text("email")


class DelegateCreate(DelegateFields):
    full_name: str = text("full_name", ...)
    delegation: str = text("delegation", ...)
    kind: DelegateKind = Field(default=DelegateKind.official, title="Loại đại biểu")
    code: str | None = text("code")


class DelegateUpdate(DelegateFields):
    """Only the fields sent are changed (``exclude_unset``). The name, delegation, kind and roles cannot be
    null (a 422 names the field); the other attributes can, to clear them."""

    full_name: str = text("full_name")
    delegation: str = text("delegation")
    kind: DelegateKind = Field(default=None, title="Loại đại biểu")  # type: ignore[assignment]
    roles: list[CongressRole] = Field(default=None, title="Vai trò tại đại hội")  # type: ignore[assignment]


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
    withdrawn: bool = False
    withdrawn_at: datetime | None = None
    withdraw_reason: str | None = None
    badge_printed_at: datetime | None = None


class DelegatePage(BaseModel):
    items: list[DelegatePublic]
    total: int


class DelegationPublic(BaseModel):
    id: str
    name: str
    delegates: int
    badges_printed: int = 0


class ImportSummary(BaseModel):
    created: int
    updated: int
    unchanged: int
    total: int
    skipped_rows: list[int] = Field(default=[], description="Protected rows left out because they were not confirmed")


CellValue = str | int | bool | list[str] | None


class FieldChangePublic(BaseModel):
    field: str
    label: str
    old: CellValue
    new: CellValue


class PlannedChangePublic(BaseModel):
    row: int
    delegate_id: str
    code: str
    full_name: str
    changes: list[FieldChangePublic]
    restores: bool = Field(description="The delegate had been deleted and comes back")
    protected: str | None = Field(description="Why this row must be confirmed on its own (confirm_rows)")


class PlannedRowPublic(BaseModel):
    row: int
    code: str | None
    full_name: str
    delegation: str


class RowIssue(BaseModel):
    row: int
    column: str | None = None
    message: str


class CellIssue(BaseModel):
    column: str | None = None
    message: str


class RefusedRow(BaseModel):
    """One refused row of the file with all its errors (``refused`` lists the same errors one by one)."""

    row: int
    errors: list[CellIssue]


class ImportPreview(BaseModel):
    """What importing the file would do; nothing is written. Confirm by sending ``plan_id`` with the file."""

    plan_id: str
    needs_confirmation: bool
    added: list[PlannedRowPublic]
    changed: list[PlannedChangePublic]
    unchanged: list[PlannedRowPublic]
    refused: list[RowIssue]
    refused_rows: list[RefusedRow]
    warnings: list[RowIssue]
    skipped_examples: list[int]


class DelegateCredentials(BaseModel):
    delegate_id: str
    code: str
    pin: str
    qr: str


class CheckInCreate(BaseModel):
    """Exactly one of ``delegate_id`` (the desk) or ``qr`` (a badge), as the schema's ``oneOf`` says."""

    model_config = ConfigDict(json_schema_extra={"oneOf": [{"required": ["delegate_id"]}, {"required": ["qr"]}]})

    delegate_id: str | None = Field(default=None, max_length=36)
    qr: str | None = Field(default=None, max_length=500)
    idempotency_key: str | None = Field(default=None, min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$",
                                        description="One per attempt (kiosk offline queue): a repeat answers the first result")

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
    reason: str = Field(min_length=REASON.min_length, max_length=REASON.max_length, title=REASON.label)


class WithdrawRequest(RevokeRequest):
    """Why the delegate leaves the congress (counted with the absent in the credentials report)."""


class AttendancePublic(BaseModel):
    summoned: int
    present: int
    absent: int
    quorum_required: int
    quorum_met: bool
    quorum_rule: str = Field(default="2/3", description="the congress's rule, e.g. 2/3 of the summoned")
    present_by_kind: dict[str, int]
    session_id: str | None = None
    session_name: str | None = None
    closed: bool = False


class DelegateLogin(BaseModel):
    """Code + PIN from the invitation, or the badge's QR token."""

    congress_id: str
    code: str | None = Field(default=None, min_length=1, max_length=40)
    pin: str | None = Field(default=None, min_length=4, max_length=12)
    qr: str | None = Field(default=None, max_length=400)


class DelegateIdentity(BaseModel):
    delegate_id: str
    congress_id: str
    full_name: str
    badge_version: int


class TokenVersions(BaseModel):
    versions: dict[str, int]  # delegate id -> badge version


class ShareRow(BaseModel):
    label: str
    count: int
    percent: float = Field(description="of the official delegates present, one decimal")
    indent: bool = Field(description="an 'of which' line under the one above")


class CompositionSection(BaseModel):
    title: str
    base: int
    rows: list[ShareRow]


class UnitAttendance(BaseModel):
    name: str
    summoned: int
    present: int
    absent: int
    percent: float


class AbsenteePublic(BaseModel):
    delegate_id: str
    delegation: str
    code: str
    full_name: str
    reason: str
    withdrawn: bool


class KindAttendance(BaseModel):
    label: str
    total: int
    present: int


class CredentialsReportPublic(BaseModel):
    """The credentials committee's report at ``taken_at``: every number from one snapshot of the roster."""

    congress_name: str
    taken_at: datetime
    attendance: AttendancePublic
    absent_with_reason: int
    absentees: list[AbsenteePublic]
    composition: list[CompositionSection]
    by_delegation: list[UnitAttendance]
    by_sending_unit: list[UnitAttendance]
    others: list[KindAttendance] = Field(description="alternates and guests, never counted in the quorum")


class PrintRequest(BaseModel):
    """Who to print: everyone (no field), one delegation, or the delegates picked (ids)."""

    delegation_id: str | None = Field(default=None, max_length=36)
    delegate_ids: list[str] | None = Field(default=None, max_length=3000)
    base_url: str | None = Field(default=None, max_length=200, pattern=r"^https?://[^\s/]+(:\d+)?/?$",
                                 description="the console's address, printed as the app's when CONGRESS_PUBLIC_URL "
                                             "is unset")
