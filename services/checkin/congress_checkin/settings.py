"""Settings of the check-in service."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from congress_common.settings import ServiceSettings
from pydantic import Field, SecretStr, field_validator, model_validator

from .adapters.face_engine import EngineLimits
from .adapters.template_cipher import demo_key, parse_key

MB = 1024 * 1024


class CheckinSettings(ServiceSettings):
    service_name: str = "checkin"
    # printouts and exports show local times (stored times are UTC)
    timezone: str = "Asia/Ho_Chi_Minh"
    # the address delegates open the app at, printed on invitations (else the console's own address)
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s]+$")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)  # an unknown zone refuses to start
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    # FaceID
    face_key: SecretStr | None = None  # base64 of 32 random bytes: AES-256-GCM key of templates and photos
    face_workers: int = Field(default=2, ge=1, le=16)  # worker processes doing decode/detect/encode
    face_timeout_s: float = Field(default=10.0, gt=0)  # a worker past this is killed and replaced (503)
    face_worker_memory_mb: int = Field(default=2048, ge=256)  # address-space limit of each worker
    face_max_frames: int = Field(default=8, ge=1, le=16)  # frames in one kiosk request
    face_max_frame_bytes: int = Field(default=2 * MB, ge=64 * 1024)  # one camera frame (JPEG)
    face_max_frame_pixels: int = 4_000_000  # 1080p is 2.1 MP
    face_max_photo_bytes: int = 15 * MB  # one enrolment photo
    face_max_photo_pixels: int = 40_000_000
    face_max_photos: int = Field(default=10, ge=1, le=50)  # enrolment photos in one upload
    face_max_zip_bytes: int = 200 * MB
    face_max_zip_photos: int = 5000
    face_min_face_px: int = 120  # narrower faces in a camera frame are "come closer"
    face_kiosk_per_minute: int = 120  # face requests per kiosk device
    face_repeat_seconds: float = 10.0  # the same delegate again at a kiosk within this: counted once
    face_not_me_seconds: float = 120.0  # "Không phải tôi" is possible this long after a face check-in

    @model_validator(mode="after")
    def _face_key_outside_demo(self) -> CheckinSettings:
        if self.face_key is not None:
            parse_key(self.face_key.get_secret_value())
        elif self.mode != "embedded":
            raise ValueError("CONGRESS_FACE_KEY is not set: face templates are encrypted at rest, set base64 of "
                             "32 random bytes (python -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')")
        return self

    def face_cipher_key(self) -> bytes:
        if self.face_key is not None:
            return parse_key(self.face_key.get_secret_value())
        return demo_key(self.secret())  # the embedded demo only (refused above otherwise)

    def face_engine_limits(self) -> EngineLimits:
        return EngineLimits(workers=self.face_workers, timeout_s=self.face_timeout_s, memory_mb=self.face_worker_memory_mb,
                            camera_min_face_px=self.face_min_face_px, camera_max_pixels=self.face_max_frame_pixels,
                            photo_max_pixels=self.face_max_photo_pixels)
