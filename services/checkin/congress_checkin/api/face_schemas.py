"""Request and response bodies of the face routes: never a template, a photo or a distance."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ..domain.faces.decision import FaceMode, FaceOutcome
from ..domain.faces.liveness import Challenge
from ..face_enrolment import ConsentMethod
from .schemas import SeatPublic


class FaceSettingsPublic(BaseModel):
    mode: FaceMode = Field(title="Cách điểm danh bằng khuôn mặt")
    liveness: bool = Field(title="Kiểm tra người thật")
    keep_photos: bool = Field(title="Lưu ảnh đăng ký")


class FaceSettingsUpdate(BaseModel):
    mode: FaceMode | None = None
    liveness: bool | None = None
    keep_photos: bool | None = None


class ConsentCreate(BaseModel):
    method: ConsentMethod = Field(title="Hình thức đồng ý")
    note: str | None = Field(default=None, max_length=300, title="Ghi chú")


class ConsentPublic(BaseModel):
    delegate_id: str
    method: ConsentMethod
    note: str | None
    given_at: datetime
    recorded_by: str
    withdrawn_at: datetime | None = None


class PersonRef(BaseModel):
    id: str
    code: str
    full_name: str
    delegation_name: str


class PhotoResultPublic(BaseModel):
    name: str
    accepted: bool
    message: str = ""
    code: str | None = None  # ZIP import: the delegate code the file name gave


class EnrolmentResult(BaseModel):
    accepted: int
    refused: int
    photos: list[PhotoResultPublic]
    lookalikes: list[PersonRef] = Field(default=[], description=(
        "Other enrolled delegates this delegate's face is now too close to (a photo of the wrong person?): "
        "each of them checks in with the badge as well as the face"))


class DelegateFacePublic(BaseModel):
    delegate_id: str
    consent: ConsentPublic | None
    photos: int
    lookalike: bool = Field(description="Too close to another enrolled delegate: never checked in by face alone")


class FaceDelegateRow(BaseModel):
    """One delegate on the organisers' face screen: consent and enrolment, never a template, photo or distance."""

    id: str
    code: str
    full_name: str
    delegation_name: str
    kind: str
    consent: bool = Field(description="Consent given and not withdrawn")
    consent_method: ConsentMethod | None = None
    consent_given_at: datetime | None = None
    consent_recorded_by: str | None = None
    consent_withdrawn_at: datetime | None = None
    photos: int = Field(description="Enrolment photos accepted (templates stored)")
    lookalike: bool = Field(description="Too close to another enrolled delegate: never checked in by face alone")


class FaceDelegatePage(BaseModel):
    items: list[FaceDelegateRow]
    total: int


class LookalikePublic(BaseModel):
    first: PersonRef
    second: PersonRef


class FaceOverview(BaseModel):
    settings: FaceSettingsPublic
    consented: int
    enrolled: int
    templates: int
    lookalikes: list[LookalikePublic]


class PurgeResult(BaseModel):
    delegates: int
    templates: int


class FaceDelegate(BaseModel):
    id: str
    code: str
    full_name: str
    delegation_name: str
    kind: str


class FaceCheckInResult(BaseModel):
    outcome: FaceOutcome
    message: str = ""
    challenge: Challenge | None = None
    challenge_prompt: str | None = None
    delegate: FaceDelegate | None = None
    seat: SeatPublic | None = None
    checkin_id: str | None = None
    method: str | None = None
    checked_in_at: datetime | None = None
    qr: str | None = Field(default=None, description="The badge token read from the frames (badge=true)")
