"""Face routes: settings, consent, enrolment (photos, ZIP), unenrol, purge, and the overview with look-alikes."""
from __future__ import annotations

import asyncio
from typing import Annotated

from congress_common.auth import Organiser, OrganiserOrKiosk
from congress_common.errors import Invalid
from congress_common.runtime import SessionDep, UowDep
from fastapi import APIRouter, File, Query, Request, UploadFile, status
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .. import face_enrolment, face_views, handlers
from ..adapters.face_tables import FaceConsent, FaceTemplate
from ..adapters.orm import Delegate
from ..adapters.photo_zip import BadPhotoArchive, read_photo_archive
from ..domain.limits import MAX_PAGE_OFFSET
from ..face_checkin import FaceCheckins
from ..face_enrolment import PhotoResult, PhotoSource
from .face_schemas import (
    ConsentCreate,
    ConsentPublic,
    DelegateFacePublic,
    EnrolmentResult,
    FaceDelegatePage,
    FaceOverview,
    FaceSettingsPublic,
    FaceSettingsUpdate,
    LookalikePublic,
    PersonRef,
    PhotoResultPublic,
    PurgeResult,
)

router = APIRouter(prefix="/api/congresses/{cid}", tags=["faces"])


def faces_of(request: Request) -> FaceCheckins:
    return request.app.state.faces


def actor_of(who) -> str:
    return f"{who.role}:{who.sub}"


async def read_limited(upload: UploadFile, limit: int, what: str) -> bytes:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise Invalid(f"{what} quá lớn (tối đa {limit / (1024 * 1024):g} MB): {upload.filename or ''}".rstrip(": "))
    return data


@router.get("/faces/settings", response_model=FaceSettingsPublic)
async def get_settings(cid: str, session: SessionDep, _who: OrganiserOrKiosk) -> FaceSettingsPublic:
    await handlers.get_congress(session, cid)
    row = await face_enrolment.face_settings(session, cid)
    return FaceSettingsPublic(mode=row.mode, liveness=row.liveness, keep_photos=row.keep_photos)


@router.put("/faces/settings", response_model=FaceSettingsPublic)
async def put_settings(cid: str, body: FaceSettingsUpdate, uow: UowDep, _org: Organiser) -> FaceSettingsPublic:
    row = await face_enrolment.update_face_settings(uow, cid, body.model_dump())
    return FaceSettingsPublic(mode=row.mode, liveness=row.liveness, keep_photos=row.keep_photos)


@router.get("/faces", response_model=FaceOverview)
async def overview(cid: str, request: Request, session: SessionDep, _org: Organiser) -> FaceOverview:
    await handlers.get_congress(session, cid)
    row = await face_enrolment.face_settings(session, cid)
    consented = await session.scalar(select(func.count()).select_from(FaceConsent).where(
        FaceConsent.congress_id == cid, FaceConsent.withdrawn_at.is_(None))) or 0
    templates = await session.scalar(select(func.count()).select_from(FaceTemplate)
                                     .where(FaceTemplate.congress_id == cid)) or 0
    faces = faces_of(request)
    gallery = await faces.gallery(session, cid)
    pairs = gallery.lookalikes(faces.policy)
    people = {d.id: d for d in await session.scalars(
        select(Delegate).where(Delegate.id.in_({p.first for p in pairs} | {p.second for p in pairs})))}
    return FaceOverview(
        settings=FaceSettingsPublic(mode=row.mode, liveness=row.liveness, keep_photos=row.keep_photos),
        consented=consented, enrolled=len(gallery), templates=templates,
        lookalikes=[LookalikePublic(first=_ref(people[p.first]), second=_ref(people[p.second]))
                    for p in pairs if p.first in people and p.second in people])


@router.get("/faces/delegates", response_model=FaceDelegatePage)
async def face_delegates(cid: str, request: Request, session: SessionDep, _org: Organiser, q: str | None = None,
                         state: Annotated[face_views.FaceStatus | None, Query(alias="status")] = None,
                         limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                         offset: Annotated[int, Query(ge=0, le=MAX_PAGE_OFFSET)] = 0) -> FaceDelegatePage:
    """Every delegate with consent (when, how, by whom), photo count and look-alike flag; search without diacritics."""
    await handlers.get_congress(session, cid)
    faces = faces_of(request)
    gallery = await faces.gallery(session, cid)
    return await face_views.list_face_delegates(session, cid, gallery, faces.policy, q=q, status=state,
                                                limit=limit, offset=offset)


def _ref(delegate: Delegate) -> PersonRef:
    return PersonRef(id=delegate.id, code=delegate.code, full_name=delegate.full_name,
                     delegation_name=delegate.delegation.name)


@router.get("/delegates/{did}/face", response_model=DelegateFacePublic)
async def delegate_face(cid: str, did: str, request: Request, session: SessionDep, _org: Organiser) -> DelegateFacePublic:
    await handlers.get_delegate(session, cid, did)
    consent = await session.get(FaceConsent, did)
    photos = await session.scalar(select(func.count()).select_from(FaceTemplate)
                                  .where(FaceTemplate.delegate_id == did)) or 0
    faces = faces_of(request)
    gallery = await faces.gallery(session, cid)
    lookalike = did in gallery.index and gallery.is_lookalike(did, faces.policy)
    return DelegateFacePublic(delegate_id=did, consent=_consent(consent) if consent else None, photos=photos,
                              lookalike=lookalike)


def _consent(consent: FaceConsent) -> ConsentPublic:
    return ConsentPublic(delegate_id=consent.delegate_id, method=consent.method, note=consent.note,
                         given_at=consent.given_at, recorded_by=consent.recorded_by, withdrawn_at=consent.withdrawn_at)


@router.post("/delegates/{did}/face/consent", response_model=ConsentPublic, status_code=status.HTTP_201_CREATED)
async def give_consent(cid: str, did: str, body: ConsentCreate, uow: UowDep, org: Organiser) -> ConsentPublic:
    consent = await face_enrolment.record_consent(uow, cid, did, body.method, body.note, actor_of(org))
    return _consent(consent)


@router.delete("/delegates/{did}/face/consent", response_model=PurgeResult)
async def withdraw_consent(cid: str, did: str, uow: UowDep, org: Organiser) -> PurgeResult:
    removed = await face_enrolment.withdraw_consent(uow, cid, did, actor_of(org))
    return PurgeResult(delegates=1 if removed else 0, templates=removed)


Photos = Annotated[list[UploadFile], File(description="Enrolment photos (JPEG or PNG), one face each")]


@router.post("/delegates/{did}/face/photos", response_model=EnrolmentResult, status_code=status.HTTP_201_CREATED,
             responses={422: {"description": "No photo was usable: each with its reason"}})
async def upload_photos(cid: str, did: str, photos: Photos, request: Request, uow: UowDep, org: Organiser,
                        source: PhotoSource = PhotoSource.upload) -> EnrolmentResult:
    settings = request.app.state.runtime.settings
    if len(photos) > settings.face_max_photos:
        raise Invalid(f"Tối đa {settings.face_max_photos} ảnh mỗi lần")
    data = [(p.filename or f"anh-{i}", await read_limited(p, settings.face_max_photo_bytes, "Ảnh"))
            for i, p in enumerate(photos, start=1)]
    faces = faces_of(request)
    results = await face_enrolment.enrol_photos(uow, faces.engine, faces.cipher, cid, did, data, source, actor_of(org))
    body = _enrolment(results, require_one=True)
    body.lookalikes = await _lookalikes_of(uow.session, faces, cid, did)
    return body


async def _lookalikes_of(session: AsyncSession, faces: FaceCheckins, cid: str, did: str) -> list[PersonRef]:
    """The enrolled delegates whose face this delegate's is too close to, told at once after an upload."""
    gallery = await faces.gallery(session, cid)
    others = {p.second if p.first == did else p.first for p in gallery.lookalikes(faces.policy) if did in (p.first, p.second)}
    if not others:
        return []
    return [_ref(d) for d in await session.scalars(select(Delegate).where(Delegate.id.in_(others))
                                                   .order_by(Delegate.sort_key))]


def _enrolment(results: list[PhotoResult], *, require_one: bool, codes: dict[str, str] | None = None) -> EnrolmentResult:
    body = EnrolmentResult(accepted=sum(r.accepted for r in results), refused=sum(not r.accepted for r in results),
                           photos=[PhotoResultPublic(name=r.name, accepted=r.accepted, message=r.message,
                                                     code=(codes or {}).get(r.name)) for r in results])
    if require_one and not body.accepted:
        raise Invalid("Không ảnh nào dùng được: " + "; ".join(f"{r.name}: {r.message}" for r in results),
                      errors=[p.model_dump() for p in body.photos])
    return body


@router.post("/faces/import", response_model=EnrolmentResult)
async def import_zip(cid: str, file: UploadFile, request: Request, uow: UowDep, org: Organiser) -> EnrolmentResult:
    """A ZIP of photos named by delegate code; delegates without consent are refused, the rest enrolled."""
    settings = request.app.state.runtime.settings
    await handlers.get_congress(uow.session, cid)
    if (file.size or 0) > settings.face_max_zip_bytes:
        raise Invalid(f"Tệp ZIP quá lớn (tối đa {settings.face_max_zip_bytes // (1024 * 1024)} MB)")
    delegates = {d.code: d for d in await uow.session.scalars(
        select(Delegate).where(Delegate.congress_id == cid, Delegate.removed_at.is_(None)))}
    try:
        found = await asyncio.to_thread(read_photo_archive, file.file, delegates, max_photos=settings.face_max_zip_photos,
                                        max_photo_bytes=settings.face_max_photo_bytes)
    except BadPhotoArchive as exc:
        raise Invalid(str(exc)) from None
    results = [PhotoResult(name, False, why) for name, why in found.unmatched]
    codes: dict[str, str] = {}
    faces = faces_of(request)
    for code, photos in found.by_code.items():
        codes.update({name: code for name, _ in photos})
        if await face_enrolment.active_consent(uow.session, delegates[code].id) is None:
            results += [PhotoResult(name, False, "Đại biểu chưa đồng ý dùng khuôn mặt để điểm danh") for name, _ in photos]
            continue
        results += await face_enrolment.enrol_photos(uow, faces.engine, faces.cipher, cid, delegates[code].id, photos,
                                                     PhotoSource.zip, actor_of(org))
    return _enrolment(results, require_one=False, codes=codes)


@router.delete("/delegates/{did}/face", response_model=PurgeResult)
async def unenrol(cid: str, did: str, uow: UowDep, _org: Organiser) -> PurgeResult:
    removed = await face_enrolment.unenrol(uow, cid, did)
    return PurgeResult(delegates=1 if removed else 0, templates=removed)


@router.post("/faces/purge", response_model=PurgeResult)
async def purge(cid: str, uow: UowDep, _org: Organiser) -> PurgeResult:
    delegates, templates = await face_enrolment.purge_congress(uow, cid)
    return PurgeResult(delegates=delegates, templates=templates)
