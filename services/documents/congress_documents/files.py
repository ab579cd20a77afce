"""The files side of the service: storage, the upload intake, page images and watermarked copies (cached),
and downloads streamed with HTTP Range."""
from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from .adapters.converter import OfficeConverter
from .adapters.orm import DocumentVersion
from .adapters.pdf_worker import PdfWorker
from .adapters.storage import FileStorage, read_local
from .intake import Intake

PAGE_WIDTHS = (480, 800, 1200, 1600)
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def snap_width(width: int) -> int:
    """The nearest rendered width at or above ``width`` (a few sizes, so the cache stays small)."""
    return next((w for w in PAGE_WIDTHS if w >= width), PAGE_WIDTHS[-1])


class Library:
    def __init__(self, *, storage: FileStorage, worker: PdfWorker, converter: OfficeConverter, cache_dir: Path,
                 max_bytes: int, max_pages: int) -> None:
        self.storage, self.worker, self.cache_dir = storage, worker, cache_dir
        self.intake = Intake(cache_dir / "staging", converter, worker, max_bytes=max_bytes, max_pages=max_pages)
        self._downloads: dict[str, asyncio.Future[None]] = {}

    async def start(self) -> None:
        await self.storage.start()
        self.cache_dir.mkdir(parents=True, exist_ok=True)

    async def close(self) -> None:
        await self.worker.close()
        await self.storage.close()

    async def source(self, version: DocumentVersion) -> Path:
        """The version's PDF on local disk: the stored file itself, or a cached copy of the S3 object."""
        local = self.storage.local_path(version.storage_key)
        if local is not None:
            return local
        target = self.cache_dir / "sources" / f"{version.sha256}.pdf"
        if not target.exists():
            running = self._downloads.get(version.sha256)
            if running is None:
                running = asyncio.ensure_future(self.storage.download_to(version.storage_key, target))
                self._downloads[version.sha256] = running
                running.add_done_callback(lambda _f: self._downloads.pop(version.sha256, None))
            await asyncio.shield(running)
        return target

    async def page(self, version: DocumentVersion, index: int, width: int) -> Path:
        target = self.cache_dir / "pages" / version.sha256 / str(width) / f"{index + 1}.webp"
        if not target.exists():
            await self.worker.render_page(await self.source(version), index, width, target, None)
        return target

    async def stamped_page(self, version: DocumentVersion, index: int, width: int, delegate_id: str,
                           lines: list[str]) -> Path:
        target = self.cache_dir / "stamped" / version.sha256 / delegate_id / str(width) / f"{index + 1}.webp"
        if not target.exists():
            await self.worker.render_page(await self.source(version), index, width, target, lines)
        return target

    async def watermarked(self, version: DocumentVersion, delegate_id: str, lines: list[str]) -> Path:
        target = self.cache_dir / "watermarked" / version.sha256 / f"{delegate_id}.pdf"
        if not target.exists():
            await self.worker.watermark(await self.source(version), target, lines)
        return target


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive


class RangeNotSatisfiable(Exception):
    pass


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """One ``bytes=`` range of a ``size``-byte file; ``None`` for the whole file (no header, several ranges or a
    malformed one, which RFC 9110 lets a server ignore); ``RangeNotSatisfiable`` past the end."""
    if not header:
        return None
    match = RANGE.match(header.strip())
    if match is None or (not match[1] and not match[2]):
        return None
    if not match[1]:  # the last N bytes
        suffix = int(match[2])
        if suffix == 0:
            raise RangeNotSatisfiable
        return ByteRange(max(0, size - suffix), size - 1)
    start = int(match[1])
    end = min(int(match[2]), size - 1) if match[2] else size - 1
    if start >= size or end < start:
        raise RangeNotSatisfiable
    return ByteRange(start, end)


def content_disposition(filename: str, *, inline: bool = False) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode() or "tai-lieu.pdf"
    ascii_name = ascii_name.replace('"', "")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def ranged_response(request: Request, *, size: int, etag: str, filename: str,
                    read: Callable[[int, int], AsyncIterator[bytes]], media_type: str = "application/pdf") -> Response:
    """The file, or the one byte range asked for (206), streamed; 416 with a Vietnamese message past the end."""
    headers = {"accept-ranges": "bytes", "etag": f'"{etag}"', "cache-control": "private, no-cache",
               "content-disposition": content_disposition(filename)}
    if_range = request.headers.get("if-range")
    wanted = None if if_range and if_range.strip() != f'"{etag}"' else request.headers.get("range")
    try:
        byte_range = parse_range(wanted, size)
    except RangeNotSatisfiable:
        return JSONResponse({"detail": f"Khoảng dữ liệu yêu cầu ({wanted}) nằm ngoài tệp: tệp chỉ có {size} byte"},
                            status_code=416, headers={"content-range": f"bytes */{size}"})
    if byte_range is None:
        return StreamingResponse(read(0, size - 1), media_type=media_type,
                                 headers={**headers, "content-length": str(size)})
    length = byte_range.end - byte_range.start + 1
    return StreamingResponse(read(byte_range.start, byte_range.end), status_code=206, media_type=media_type,
                             headers={**headers, "content-length": str(length),
                                      "content-range": f"bytes {byte_range.start}-{byte_range.end}/{size}"})


def local_reader(path: Path) -> Callable[[int, int], AsyncIterator[bytes]]:
    return lambda start, end: read_local(path, start, end)
