"""Badge photos from the face enrolment: each delegate's first kept enrolment photo, opened and shrunk to badge size.

Only where the congress keeps photos (``face_settings.keep_photos``); a delegate who withdrew consent or was
unenrolled has no templates left, so no photo. The photos are AES-GCM sealed at rest like the templates; opening and
shrinking them runs in a thread so a batch of 1,100 badges never holds the event loop.
"""
from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence

from PIL import Image, ImageOps
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .face_tables import FaceSettingsRow, FaceTemplate
from .template_cipher import TemplateCipher

BADGE_PHOTO_SIZE = (300, 400)  # 3:4, about 340 dpi on the badge's 22 × 29 mm


class EnrolledBadgePhotos:
    def __init__(self, cipher: TemplateCipher) -> None:
        self.cipher = cipher

    async def photos(self, session: AsyncSession, congress_id: str, delegate_ids: Sequence[str]) -> dict[str, bytes]:
        keeps = await session.scalar(select(FaceSettingsRow.keep_photos)
                                     .where(FaceSettingsRow.congress_id == congress_id))
        if not keeps or not delegate_ids:
            return {}
        rows = await session.execute(
            select(FaceTemplate.delegate_id, FaceTemplate.photo)
            .where(FaceTemplate.congress_id == congress_id, FaceTemplate.delegate_id.in_(list(delegate_ids)),
                   FaceTemplate.photo.is_not(None))
            .order_by(FaceTemplate.created_at, FaceTemplate.id))
        first: dict[str, bytes] = {}
        for delegate_id, sealed in rows:
            first.setdefault(delegate_id, sealed)
        return await asyncio.to_thread(self._open_all, congress_id, first)

    def _open_all(self, congress_id: str, sealed: dict[str, bytes]) -> dict[str, bytes]:
        return {delegate_id: badge_photo(self.cipher.open(photo, congress_id, delegate_id))
                for delegate_id, photo in sealed.items()}


def badge_photo(data: bytes) -> bytes:
    """A 300 × 400 JPEG cut from the middle of the photo (JPEG decoded at a reduced scale: an enrolment photo may be
    a 12-megapixel phone picture)."""
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (BADGE_PHOTO_SIZE[0] * 2, BADGE_PHOTO_SIZE[1] * 2))
        upright = ImageOps.exif_transpose(image).convert("RGB")
    out = io.BytesIO()
    ImageOps.fit(upright, BADGE_PHOTO_SIZE, method=Image.Resampling.LANCZOS).save(out, format="JPEG", quality=85)
    return out.getvalue()
