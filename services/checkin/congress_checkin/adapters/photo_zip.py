"""Enrolment photos from a ZIP named by delegate code (``DB001.jpg``, ``DB001_2.jpg``, ``DB001/front.png``).

Read from the spooled upload (never whole into memory), entry by entry, each
inflated in chunks up to the photo limit, so a zip bomb stops at the first
oversized entry. Runs in a thread: inflating is short but not free.
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png"}
_CHUNK = 64 * 1024
SEPARATORS = re.compile(r"[_\-\s(.]")
OFFICE_NOT_PHOTOS = "Đây là tệp Word/Excel, không phải tệp ZIP ảnh: hãy chọn tệp ZIP chứa ảnh đặt tên theo mã đại biểu"


class BadPhotoArchive(ValueError):
    """Not a readable ZIP, or too many or too large photos (message in Vietnamese)."""


@dataclass
class ArchivePhotos:
    by_code: dict[str, list[tuple[str, bytes]]] = field(default_factory=dict)
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)


def code_of(name: str, codes: Iterable[str]) -> str | None:
    """The delegate code a file name gives: its folder, else the longest code its name starts with."""
    path = PurePosixPath(name)
    folded = {code.casefold(): code for code in codes}
    if len(path.parts) > 1 and path.parts[-2].casefold() in folded:
        return folded[path.parts[-2].casefold()]
    stem = path.stem.casefold()
    for key in sorted(folded, key=len, reverse=True):
        if stem == key or (stem.startswith(key) and SEPARATORS.match(stem[len(key)])):
            return folded[key]
    return None


def read_photo_archive(file: IO[bytes], codes: Iterable[str], *, max_photos: int, max_photo_bytes: int) -> ArchivePhotos:
    codes = list(codes)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, ValueError, OSError):
        raise BadPhotoArchive("Không đọc được tệp ZIP") from None
    found = ArchivePhotos()
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and not PurePosixPath(m.filename).name.startswith(".")
                   and "__MACOSX" not in m.filename]
        photos = [m for m in members if PurePosixPath(m.filename).suffix.lower() in PHOTO_SUFFIXES]
        if not photos:  # a Word or Excel file is a ZIP too: say so, not "not a photo" for each of its parts
            office = any(m.filename == "[Content_Types].xml" for m in members)
            raise BadPhotoArchive(OFFICE_NOT_PHOTOS if office else "Tệp ZIP không có ảnh JPEG hoặc PNG nào")
        if len(photos) > max_photos:
            raise BadPhotoArchive(f"Tệp ZIP có quá nhiều ảnh ({len(photos)}, tối đa {max_photos})")
        for member in members:
            if member not in photos:
                found.unmatched.append((member.filename, "Không phải ảnh JPEG hoặc PNG"))
                continue
            code = code_of(member.filename, codes)
            if code is None:
                found.unmatched.append((member.filename, "Tên tệp không trùng mã đại biểu nào"))
                continue
            data = _read_within(archive, member, max_photo_bytes)
            if data is None:
                found.unmatched.append((member.filename, f"Ảnh quá lớn (tối đa {max_photo_bytes // (1024 * 1024)} MB)"))
                continue
            found.by_code.setdefault(code, []).append((member.filename, data))
    return found


def _read_within(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> bytes | None:
    if member.file_size > limit:
        return None
    chunks, total = [], 0
    try:
        with archive.open(member) as part:
            while chunk := part.read(_CHUNK):
                total += len(chunk)
                if total > limit:
                    return None
                chunks.append(chunk)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        raise BadPhotoArchive(f"Tệp ZIP bị hỏng hoặc được mã hóa ({member.filename})") from None
    return b"".join(chunks)
