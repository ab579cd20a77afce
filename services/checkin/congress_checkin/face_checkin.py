"""Check-in by face at a kiosk: one request (a burst of frames, maybe a badge), one decision, one check-in.

The engine (worker processes) turns frames into samples; the policy decides;
an accepted face checks in through ``handlers.check_in``, the one path every
check-in takes. The gallery of a congress is decrypted once and cached in
memory until its version changes (enrol, unenrol, purge).
"""
from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from congress_common.contracts import CheckInMethod
from congress_common.errors import DomainError
from congress_common.runtime import UnitOfWork
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from . import handlers
from .adapters.face_engine import FaceEngine
from .adapters.face_tables import FaceSettingsRow
from .adapters.orm import CheckIn, Delegate
from .adapters.template_cipher import TemplateCipher
from .domain.faces.decision import BurstDecision, FaceMode, FaceOutcome, FaceRules, decide
from .domain.faces.liveness import Challenge
from .domain.faces.policy import FacePolicy, Gallery
from .face_enrolment import face_settings, load_gallery


class TooManyRequests(DomainError):
    status_code = 429


@dataclass(frozen=True)
class FaceAttempt:
    frames: Sequence[bytes]
    actor: str
    device: str  # the kiosk (or organiser) making the request: throttled on its own
    qr: str | None = None
    challenge: Challenge | None = None
    badge: bool = False  # read the badge QR from the frames (the kiosk camera) first
    queued: bool = False  # sent later from the kiosk's offline queue: the badge alone (the person has gone in)
    idempotency_key: str | None = None


@dataclass(frozen=True)
class FaceResult:
    decision: BurstDecision
    checkin: CheckIn | None = None
    delegate: Delegate | None = None
    qr: str | None = None  # the badge token read from the frames, so the kiosk can ask for the face with it


class FaceCheckins:
    """Owns the face engine, the template cipher, the per-congress gallery cache and the per-kiosk throttle."""

    def __init__(self, engine: FaceEngine, cipher: TemplateCipher, *, per_minute: int, not_me_seconds: float) -> None:
        self.engine, self.cipher = engine, cipher
        self.policy = FacePolicy()
        self.per_minute, self.not_me_seconds = per_minute, not_me_seconds
        self._galleries: dict[str, tuple[int, Gallery]] = {}
        self._requests: dict[str, deque[float]] = {}
        self._not_me: dict[tuple[str, str], float] = {}

    def throttle(self, device: str) -> None:
        now, window = time.monotonic(), self._requests.setdefault(device, deque())
        while window and now - window[0] > 60:
            window.popleft()
        if len(window) >= self.per_minute:
            raise TooManyRequests("Thiết bị gửi quá nhiều yêu cầu nhận diện, vui lòng chờ giây lát")
        window.append(now)

    async def gallery(self, session: AsyncSession, congress_id: str) -> Gallery:
        version = await session.scalar(select(FaceSettingsRow.gallery_version)
                                       .where(FaceSettingsRow.congress_id == congress_id)) or 0
        cached = self._galleries.get(congress_id)
        if cached is None or cached[0] != version:
            cached = (version, await load_gallery(session, self.cipher, congress_id))
            self._galleries[congress_id] = cached
        return cached[1]

    def forget(self, congress_id: str) -> None:
        self._galleries.pop(congress_id, None)

    def said_not_me(self, congress_id: str, delegate_id: str) -> None:
        self._not_me[(congress_id, delegate_id)] = time.monotonic()

    def _recently_denied(self, congress_id: str, delegate_id: str) -> bool:
        at = self._not_me.get((congress_id, delegate_id))
        return at is not None and time.monotonic() - at < self.not_me_seconds

    async def check_in(self, uow: UnitOfWork, secret: str, congress_id: str, attempt: FaceAttempt) -> FaceResult:
        self.throttle(attempt.device)
        await handlers.get_congress(uow.session, congress_id)
        settings = await face_settings(uow.session, congress_id)
        rules = FaceRules(mode=FaceMode(settings.mode), liveness=settings.liveness, policy=self.policy)
        gallery = await self.gallery(uow.session, congress_id)
        qr = attempt.qr or (await self.engine.read_qr(attempt.frames) if attempt.badge else None)
        if attempt.badge and not qr:
            return FaceResult(BurstDecision(FaceOutcome.unknown, "no_badge_read",
                                            message="Chưa đọc được mã QR: đưa thẻ gần camera hơn, giữ yên"))
        badge = None
        if qr:
            badge = await handlers.delegate_by_badge(uow.session, secret, congress_id, qr)
            if badge.id not in gallery.index or attempt.queued:  # not enrolled, or sent later: the badge alone
                return await self._record(uow, congress_id, badge.id, CheckInMethod.qr, attempt.actor,
                                          BurstDecision(FaceOutcome.checked_in, "badge_only", badge.id), qr=qr)
        if not attempt.frames:
            return FaceResult(BurstDecision(FaceOutcome.no_face, "no_frames", message="Hãy nhìn vào camera"), qr=qr)
        outcomes = await self.engine.burst(attempt.frames)
        decision = decide(outcomes, gallery, rules, badge_delegate=badge.id if badge else None,
                          challenge=attempt.challenge)
        if decision.outcome is not FaceOutcome.checked_in or decision.delegate_id is None:
            return FaceResult(decision, qr=qr)
        if badge is None and self._recently_denied(congress_id, decision.delegate_id):
            return FaceResult(BurstDecision(FaceOutcome.unsure_show_badge, "said_not_me",
                                            message="Mời đưa thẻ đại biểu vào camera"))
        method = CheckInMethod.qr_face if badge else CheckInMethod.face
        return await self._record(uow, congress_id, decision.delegate_id, method, attempt.actor, decision, qr=qr)

    async def _record(self, uow: UnitOfWork, congress_id: str, delegate_id: str, method: CheckInMethod, actor: str,
                      decision: BurstDecision, qr: str | None = None) -> FaceResult:
        checkin, created = await handlers.check_in(uow, congress_id, delegate_id, method, actor)
        if not created:
            decision = BurstDecision(FaceOutcome.already_checked_in, decision.reason, delegate_id)
        return FaceResult(decision, checkin, checkin.delegate, qr=qr)
