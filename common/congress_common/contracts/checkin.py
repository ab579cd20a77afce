"""Events published by the check-in service (roster, check-ins) on topic ``congress.checkin``."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from .envelope import Audience, IntegrationEvent

TOPIC_CHECKIN = "congress.checkin"


class DelegateKind(StrEnum):
    official = "official"  # đại biểu chính thức
    alternate = "alternate"  # đại biểu dự khuyết
    guest = "guest"  # khách mời


class CongressRole(StrEnum):
    presidium = "presidium"  # Đoàn Chủ tịch
    secretariat = "secretariat"  # Đoàn Thư ký
    credentials = "credentials"  # Ban Thẩm tra tư cách đại biểu
    election_board = "election_board"  # Ban bầu cử


class CheckInMethod(StrEnum):
    desk = "desk"
    qr = "qr"
    face = "face"  # recognised by face alone (1:N)
    qr_face = "qr_face"  # badge QR plus a face that matches that delegate (1:1)


class CongressCreated(IntegrationEvent):
    TYPE = "congress.created"
    TOPIC = TOPIC_CHECKIN
    AUDIENCE = Audience.public

    congress_id: str
    name: str
    level: str
    venue: str | None = None
    starts_on: date | None = None


class CongressUpdated(CongressCreated):
    TYPE = "congress.updated"


class CongressClosed(IntegrationEvent):
    """The congress is over: check-in is frozen; biometric data collected for it must now be deleted."""

    TYPE = "congress.closed"
    TOPIC = TOPIC_CHECKIN
    AUDIENCE = Audience.public

    congress_id: str
    closed_at: datetime


class CongressSessionStarted(IntegrationEvent):
    """Check-ins now go to this session; ``present_delegate_ids`` are those already checked in to it."""

    TYPE = "congress.session_started"
    TOPIC = TOPIC_CHECKIN
    AUDIENCE = Audience.public

    session_id: str
    name: str
    present_delegate_ids: list[str] = []


class DelegateSnapshot(IntegrationEvent):
    """The public facts about a delegate that other services keep read models of."""

    delegate_id: str
    code: str
    full_name: str
    sort_key: str
    delegation_id: str
    delegation_name: str
    kind: DelegateKind
    roles: list[CongressRole] = []
    gender: str | None = None
    birth_year: int | None = None
    position: str | None = None


class DelegateRegistered(DelegateSnapshot):
    TYPE = "delegate.registered"
    TOPIC = TOPIC_CHECKIN
    AUDIENCE = Audience.staff


class DelegateUpdated(DelegateSnapshot):
    TYPE = "delegate.updated"
    TOPIC = TOPIC_CHECKIN
    AUDIENCE = Audience.staff


class DelegateRemoved(IntegrationEvent):
    TYPE = "delegate.removed"
    TOPIC = TOPIC_CHECKIN
    AUDIENCE = Audience.staff

    delegate_id: str


class DelegateWithdrawn(IntegrationEvent):
    """The delegate left the congress (illness, duty, credentials not accepted): kept on record, absent with the reason."""

    TYPE = "delegate.withdrawn"
    TOPIC = TOPIC_CHECKIN
    AUDIENCE = Audience.staff

    delegate_id: str
    reason: str
    withdrawn_at: datetime


class DelegateReinstated(IntegrationEvent):
    """A withdrawal was undone: the delegate takes part again."""

    TYPE = "delegate.reinstated"
    TOPIC = TOPIC_CHECKIN
    AUDIENCE = Audience.staff

    delegate_id: str


class DelegateCheckedIn(IntegrationEvent):
    TYPE = "delegate.checked_in"
    TOPIC = TOPIC_CHECKIN
    AUDIENCE = Audience.public

    checkin_id: str
    delegate_id: str
    kind: DelegateKind
    method: CheckInMethod
    checked_in_at: datetime
    session_id: str | None = None  # the session attended (absent from events before sessions existed)


class CheckInRevoked(IntegrationEvent):
    TYPE = "delegate.checkin_revoked"
    TOPIC = TOPIC_CHECKIN
    AUDIENCE = Audience.public

    checkin_id: str
    delegate_id: str
    kind: DelegateKind
    reason: str
    revoked_at: datetime
    session_id: str | None = None


class DelegateFaceEnrolled(IntegrationEvent):
    """A delegate's face templates changed (enrolled or more photos added): ids only, never a template."""

    TYPE = "delegate.face_enrolled"
    TOPIC = TOPIC_CHECKIN
    AUDIENCE = Audience.staff

    delegate_id: str


class DelegateFaceRemoved(IntegrationEvent):
    """Every face template (and kept photo) of a delegate was deleted: unenrolled, consent withdrawn or purged."""

    TYPE = "delegate.face_removed"
    TOPIC = TOPIC_CHECKIN
    AUDIENCE = Audience.staff

    delegate_id: str
