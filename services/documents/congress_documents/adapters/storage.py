"""The ``FileStorage`` port and its adapters: a local folder (embedded run) and S3-compatible storage (production).

A file is put whole or not at all: the local adapter writes a temporary file
and renames it into place; S3 stores an object in one PUT (or a multipart
upload that is aborted on failure). Reads stream byte ranges in chunks, so a
download never holds a whole file in memory.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol

import anyio

CHUNK = 1024 * 1024  # 256 KiB cost a download 10 ms of CPU per 5 MB in the layers each chunk crosses, 1 MiB 5


class FileMissing(LookupError):
    pass


class FileStorage(Protocol):
    name: str

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def put_file(self, key: str, path: Path) -> None:
        """Store the file at ``path`` under ``key``, whole or not at all."""

    async def size(self, key: str) -> int:
        """The stored size; ``FileMissing`` when there is no such file."""

    def read(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        """Bytes ``start``..``end`` (inclusive), in chunks."""

    async def delete(self, key: str) -> None: ...

    def local_path(self, key: str) -> Path | None:
        """Where the file is on this machine's disk, if it is (local storage), for the PDF worker."""

    async def download_to(self, key: str, path: Path) -> None:
        """Copy the file to ``path`` (atomically: a partial copy never appears there)."""


def _safe_key(key: str) -> str:
    if not key or key.startswith("/") or ".." in key.split("/"):
        raise ValueError(f"bad storage key {key!r}")
    return key


class LocalFileStorage:
    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = root

    async def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)

    async def close(self) -> None:
        return None

    def _path(self, key: str) -> Path:
        return self.root / _safe_key(key)

    async def put_file(self, key: str, path: Path) -> None:
        target = self._path(key)

        def copy() -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
            try:
                shutil.copyfile(path, partial)
                with open(partial, "rb+") as handle:
                    os.fsync(handle.fileno())
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)

        await asyncio.to_thread(copy)

    async def size(self, key: str) -> int:
        try:
            return (await asyncio.to_thread(self._path(key).stat)).st_size
        except FileNotFoundError:
            raise FileMissing(key) from None

    async def read(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        async for chunk in read_local(self._path(key), start, end):
            yield chunk

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    def local_path(self, key: str) -> Path | None:
        return self._path(key)

    async def download_to(self, key: str, path: Path) -> None:
        await asyncio.to_thread(atomic_copy, self._path(key), path)


async def read_local(path: Path, start: int, end: int) -> AsyncIterator[bytes]:
    """Bytes ``start``..``end`` (inclusive) of a local file, in chunks read off the event loop: one thread hop
    per chunk (``os.pread`` on a descriptor opened once), the cheapest way that keeps disk waits off the loop."""
    descriptor = await asyncio.to_thread(os.open, path, os.O_RDONLY)
    try:
        position = start
        while position <= end:
            chunk = await asyncio.to_thread(os.pread, descriptor, min(CHUNK, end - position + 1), position)
            if not chunk:
                break
            position += len(chunk)
            yield chunk
    finally:
        os.close(descriptor)


def atomic_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
    try:
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


class S3FileStorage:
    """Any S3-compatible store (MinIO in docker-compose, moto's server in the tests), through aiobotocore."""

    name = "s3"
    MULTIPART_BYTES = 32 * 1024 * 1024
    PART_BYTES = 16 * 1024 * 1024

    def __init__(self, *, endpoint_url: str | None, bucket: str, region: str, access_key: str | None,
                 secret_key: str | None) -> None:
        self.endpoint_url, self.bucket, self.region = endpoint_url, bucket, region
        self.access_key, self.secret_key = access_key, secret_key
        self._stack = None
        self._client = None

    async def start(self) -> None:
        from contextlib import AsyncExitStack

        from aiobotocore.session import get_session

        self._stack = AsyncExitStack()
        self._client = await self._stack.enter_async_context(get_session().create_client(
            "s3", endpoint_url=self.endpoint_url, region_name=self.region,
            aws_access_key_id=self.access_key, aws_secret_access_key=self.secret_key))
        try:
            await self._client.head_bucket(Bucket=self.bucket)
        except self._client.exceptions.ClientError:
            await self._client.create_bucket(Bucket=self.bucket)

    async def close(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
            self._stack = self._client = None

    async def put_file(self, key: str, path: Path) -> None:
        size = (await asyncio.to_thread(path.stat)).st_size
        if size <= self.MULTIPART_BYTES:
            body = await asyncio.to_thread(open, path, "rb")  # botocore streams (and signs) from the file
            try:
                await self._client.put_object(Bucket=self.bucket, Key=_safe_key(key), Body=body,
                                              ContentLength=size, ContentType="application/pdf")
            finally:
                body.close()
            return
        await self._multipart(key, path)

    async def _multipart(self, key: str, path: Path) -> None:
        upload = await self._client.create_multipart_upload(Bucket=self.bucket, Key=_safe_key(key),
                                                            ContentType="application/pdf")
        parts = []
        try:
            async with await anyio.open_file(path, "rb") as handle:
                number = 1
                while data := await handle.read(self.PART_BYTES):
                    reply = await self._client.upload_part(Bucket=self.bucket, Key=key, PartNumber=number,
                                                           UploadId=upload["UploadId"], Body=data)
                    parts.append({"PartNumber": number, "ETag": reply["ETag"]})
                    number += 1
            await self._client.complete_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload["UploadId"],
                                                         MultipartUpload={"Parts": parts})
        except BaseException:
            await self._client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload["UploadId"])
            raise

    async def size(self, key: str) -> int:
        try:
            reply = await self._client.head_object(Bucket=self.bucket, Key=_safe_key(key))
        except self._client.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise FileMissing(key) from None
            raise
        return int(reply["ContentLength"])

    async def read(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        reply = await self._client.get_object(Bucket=self.bucket, Key=_safe_key(key), Range=f"bytes={start}-{end}")
        body = reply["Body"]
        try:
            async for chunk in body.iter_chunks(CHUNK):
                yield chunk
        finally:
            body.close()

    async def delete(self, key: str) -> None:
        await self._client.delete_object(Bucket=self.bucket, Key=_safe_key(key))

    def local_path(self, key: str) -> Path | None:
        return None

    async def download_to(self, key: str, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
        try:
            size = await self.size(key)
            async with await anyio.open_file(partial, "wb") as handle:
                async for chunk in self.read(key, 0, max(0, size - 1)):
                    await handle.write(chunk)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)


def create_storage(settings) -> FileStorage:
    if settings.storage == "s3":
        return S3FileStorage(
            endpoint_url=settings.s3_endpoint_url, bucket=settings.s3_bucket, region=settings.s3_region,
            access_key=settings.s3_access_key.get_secret_value() if settings.s3_access_key else None,
            secret_key=settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else None)
    return LocalFileStorage(settings.storage_path())
