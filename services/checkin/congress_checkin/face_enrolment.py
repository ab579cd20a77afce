"""Consent, enrolment, unenrolment and purge of face data; the gallery a congress's kiosks match against.

Biometric data (Law 91/2025/QH15, Decree 356/2025): no template exists before
the delegate's explicit consent is recorded (who recorded it, when, how);
templates and kept photos are sealed with AES-GCM; unenrolling, withdrawing
consent or purging deletes them. Events carry ids only.
"""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from congress_common.contracts import DelegateFaceEnrolled, DelegateFaceRemoved, utcnow
from congress_common.errors import Conflict
from congress_common.runtime import UnitOfWork
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from . import handlers
from .adapters.face_engine import FaceEngine
from .adapters.face_tables import FaceConsent, FaceSettingsRow, FaceTemplate
from .adapters.template_cipher import TemplateCipher
from .congress_handlers import ensure_open
from .domain.faces.decision import FaceMode
from .domain.faces.policy import Gallery
from .domain.faces.quality import DEFAULT_PHOTO_RULES, PhotoRules, enrolment_sample
from .domain.faces.samples import ImageRefused


class ConsentMethod(StrEnum):
    paper_form = "paper_form"  # signed form (phiếu đồng ý có chữ ký)
    on_screen = "on_screen"  # confirmed by the delegate on the enrolment station's screen
    electronic = "electronic"  # given in the delegate app or by e-mail


class PhotoSource(StrEnum):
    upload = "upload"
    zip = "zip"
    station = "station"


@dataclass(frozen=True)
class PhotoResult:
    name: str
    accepted: bool
    message: str = ""


async def face_settings(session: AsyncSession, congress_id: str) -> FaceSettingsRow:
    """The congress's face settings (the defaults until an organiser changes them)."""
    row = await session.get(FaceSettingsRow, congress_id)
    if row is None:
        row = FaceSettingsRow(congress_id=congress_id, mode=str(FaceMode.face_then_qr), liveness=True,
                              keep_photos=False, gallery_version=0, updated_at=utcnow())
        session.add(row)
    return row


async def update_face_settings(uow: UnitOfWork, congress_id: str, changes: dict) -> FaceSettingsRow:
    await handlers.get_congress(uow.session, congress_id)
    row = await face_settings(uow.session, congress_id)
    for name in ("mode", "liveness", "keep_photos"):
        if changes.get(name) is not None:
            setattr(row, name, str(changes[name]) if name == "mode" else bool(changes[name]))
    row.updated_at = utcnow()
    await uow.commit()
    return row


async def active_consent(session: AsyncSession, delegate_id: str) -> FaceConsent | None:
    consent = await session.get(FaceConsent, delegate_id)
    return consent if consent is not None and consent.withdrawn_at is None else None


async def record_consent(uow: UnitOfWork, congress_id: str, delegate_id: str, method: ConsentMethod,
                         note: str | None, actor: str) -> FaceConsent:
    ensure_open(await handlers.get_congress(uow.session, congress_id))
    await handlers.get_delegate(uow.session, congress_id, delegate_id)
    consent = await uow.session.get(FaceConsent, delegate_id)
    if consent is None:
        consent = FaceConsent(delegate_id=delegate_id, congress_id=congress_id)
        uow.session.add(consent)
    consent.method, consent.note, consent.given_at, consent.recorded_by = str(method), note, utcnow(), actor
    consent.withdrawn_at = consent.withdrawn_by = None
    await uow.commit()
    return consent


async def withdraw_consent(uow: UnitOfWork, congress_id: str, delegate_id: str, actor: str) -> int:
    """Consent withdrawn: the delegate's templates and photos go with it. Returns how many were deleted."""
    await handlers.get_delegate(uow.session, congress_id, delegate_id)
    consent = await uow.session.get(FaceConsent, delegate_id)
    if consent is not None and consent.withdrawn_at is None:
        consent.withdrawn_at, consent.withdrawn_by = utcnow(), actor
    removed = await _delete_templates(uow, congress_id, [delegate_id])
    await uow.commit()
    return removed


async def enrol_photos(uow: UnitOfWork, engine: FaceEngine, cipher: TemplateCipher, congress_id: str,
                       delegate_id: str, photos: Sequence[tuple[str, bytes]], source: PhotoSource,
                       actor: str, rules: PhotoRules = DEFAULT_PHOTO_RULES) -> list[PhotoResult]:
    """Check each photo (exactly one usable face, large, sharp, frontal); store the good ones' templates, sealed."""
    ensure_open(await handlers.get_congress(uow.session, congress_id))  # a closed congress keeps no faces
    await handlers.get_delegate(uow.session, congress_id, delegate_id)
    if await active_consent(uow.session, delegate_id) is None:
        raise Conflict("Đại biểu chưa đồng ý dùng khuôn mặt để điểm danh: hãy ghi nhận sự đồng ý trước khi đăng ký ảnh")
    settings = await face_settings(uow.session, congress_id)
    outcomes = await asyncio.gather(*(engine.photo(data) for _, data in photos))
    results = []
    for (name, data), outcome in zip(photos, outcomes, strict=True):
        try:
            sample = enrolment_sample(outcome, rules)
        except ImageRefused as exc:
            results.append(PhotoResult(name, False, str(exc)))
            continue
        uow.session.add(FaceTemplate(
            id=str(uuid.uuid4()), congress_id=congress_id, delegate_id=delegate_id, source=str(source),
            sealed=cipher.seal_encoding(sample.encoding, congress_id, delegate_id),
            photo=cipher.seal(data, congress_id, delegate_id) if settings.keep_photos else None,
            created_at=utcnow(), created_by=actor))
        results.append(PhotoResult(name, True))
    if any(r.accepted for r in results):
        settings.gallery_version += 1
        await uow.emit(DelegateFaceEnrolled(delegate_id=delegate_id), congress_id=congress_id)
        await uow.commit()
    return results


async def unenrol(uow: UnitOfWork, congress_id: str, delegate_id: str) -> int:
    await handlers.get_delegate(uow.session, congress_id, delegate_id)
    removed = await _delete_templates(uow, congress_id, [delegate_id])
    await uow.commit()
    return removed


async def purge_congress(uow: UnitOfWork, congress_id: str) -> tuple[int, int]:
    """Every template and photo of the congress deleted: ``(delegates, templates)``."""
    await handlers.get_congress(uow.session, congress_id)
    purged = await delete_congress_faces(uow, congress_id)
    await uow.commit()
    return purged


async def delete_congress_faces(uow: UnitOfWork, congress_id: str) -> tuple[int, int]:
    """Stage the deletion of every template and photo of the congress (closing it calls this in its transaction)."""
    enrolled = list(await uow.session.scalars(
        select(FaceTemplate.delegate_id).where(FaceTemplate.congress_id == congress_id).distinct()))
    removed = await _delete_templates(uow, congress_id, enrolled)
    return len(enrolled), removed


async def _delete_templates(uow: UnitOfWork, congress_id: str, delegate_ids: Sequence[str]) -> int:
    if not delegate_ids:
        return 0
    result = await uow.session.execute(delete(FaceTemplate).where(
        FaceTemplate.congress_id == congress_id, FaceTemplate.delegate_id.in_(list(delegate_ids))))
    if result.rowcount:
        settings = await face_settings(uow.session, congress_id)
        settings.gallery_version += 1
        for delegate_id in delegate_ids:
            await uow.emit(DelegateFaceRemoved(delegate_id=delegate_id), congress_id=congress_id)
    return result.rowcount or 0


async def load_gallery(session: AsyncSession, cipher: TemplateCipher, congress_id: str) -> Gallery:
    """The congress's enrolled delegates (consent given, not removed), templates decrypted in memory only."""
    from .adapters.orm import Delegate

    rows = await session.execute(
        select(FaceTemplate.delegate_id, FaceTemplate.sealed)
        .join(FaceConsent, FaceConsent.delegate_id == FaceTemplate.delegate_id)
        .join(Delegate, Delegate.id == FaceTemplate.delegate_id)
        .where(FaceTemplate.congress_id == congress_id, FaceConsent.withdrawn_at.is_(None),
               Delegate.removed_at.is_(None)))
    encodings: dict[str, list] = {}
    for delegate_id, sealed in rows:
        encodings.setdefault(delegate_id, []).append(cipher.open_encoding(sealed, congress_id, delegate_id))
    return Gallery(encodings)
