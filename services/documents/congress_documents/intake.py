"""An upload becomes a PDF ready to store: streamed to a staging folder with its checksum, converted from
Word/Excel if need be, inspected by the PDF worker. Nothing is stored yet; the staging folder is removed
whatever happens.
"""
from __future__ import annotations

import hashlib
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import anyio
from congress_common.errors import DomainError, Invalid
from congress_common.guard import document_too_large
from fastapi import UploadFile

from .adapters.converter import OFFICE_FORMATS, OfficeConverter
from .adapters.pdf_worker import PdfWorker

CHUNK = 256 * 1024
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"


class TooLarge(DomainError):
    status_code = 413


@dataclass(frozen=True)
class StagedPdf:
    path: Path
    sha256: str
    source_sha256: str
    size: int
    pages: int
    original_name: str
    original_format: str


def sniff_format(head: bytes, filename: str) -> str:
    """``pdf``, ``docx`` or ``xlsx`` from the first bytes and the name; ``Invalid`` for anything else."""
    ext = Path(filename).suffix.lower().lstrip(".")
    if PDF_MAGIC in head[:1024]:
        return "pdf"
    if ext == "pdf":
        raise Invalid(f"Tệp «{filename}» có đuôi .pdf nhưng nội dung không phải PDF: hãy xuất lại tệp PDF")
    if head.startswith(ZIP_MAGIC) and ext in OFFICE_FORMATS:
        return ext
    if ext in ("doc", "xls"):
        raise Invalid(f"Tệp .{ext} kiểu cũ chưa được nhận: hãy lưu thành .{ext}x hoặc PDF rồi tải lên")
    raise Invalid("Chỉ nhận tài liệu PDF, Word (.docx) hoặc Excel (.xlsx)")


async def _spool(upload: UploadFile, target: Path, max_bytes: int) -> tuple[str, int, bytes]:
    digest, size, head = hashlib.sha256(), 0, b""
    async with await anyio.open_file(target, "wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(document_too_large(max_bytes))
            if len(head) < 1024:
                head += chunk[:1024]
            digest.update(chunk)
            await out.write(chunk)
    if size == 0:
        raise Invalid("Tệp tải lên rỗng")
    return digest.hexdigest(), size, head


async def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    async with await anyio.open_file(path, "rb") as handle:
        while chunk := await handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class Intake:
    def __init__(self, staging_dir: Path, converter: OfficeConverter, worker: PdfWorker, *, max_bytes: int,
                 max_pages: int) -> None:
        self.staging_dir, self.converter, self.worker = staging_dir, converter, worker
        self.max_bytes, self.max_pages = max_bytes, max_pages

    @asynccontextmanager
    async def stage(self, upload: UploadFile) -> AsyncIterator[StagedPdf]:
        self.staging_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="upload-", dir=self.staging_dir))
        try:
            yield await self._prepare(upload, work)
        finally:
            await anyio.to_thread.run_sync(lambda: shutil.rmtree(work, ignore_errors=True))

    async def _prepare(self, upload: UploadFile, work: Path) -> StagedPdf:
        name = Path(upload.filename or "tai-lieu.pdf").name[:300]
        source = work / f"source-{uuid.uuid4().hex}"
        source_sha, size, head = await _spool(upload, source, self.max_bytes)
        fmt = sniff_format(head, name)
        pdf, sha = source, source_sha
        if fmt != "pdf":
            pdf = await self.converter.to_pdf(source, fmt, work)
            sha, size = await _sha256(pdf), pdf.stat().st_size
            if size > self.max_bytes:
                raise TooLarge(document_too_large(self.max_bytes))
        pages = await self.worker.inspect(pdf, self.max_pages)
        return StagedPdf(path=pdf, sha256=sha, source_sha256=source_sha, size=size, pages=pages,
                         original_name=name, original_format=fmt)
