"""The FileStorage contract, run against the local folder and a real S3 protocol server (moto, free port)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from congress_documents.adapters.storage import FileMissing, LocalFileStorage, S3FileStorage


@pytest.fixture(params=["local", "s3"])
async def storage(request, tmp_path):
    if request.param == "local":
        store = LocalFileStorage(tmp_path / "kho")
    else:
        store = S3FileStorage(endpoint_url=request.getfixturevalue("moto_s3"), bucket=f"kho-{os.getpid()}",
                              region="us-east-1", access_key="a", secret_key="b")
        store.MULTIPART_BYTES = 6 * 2**20  # exercise the multipart path with a small file
        store.PART_BYTES = 5 * 2**20
    await store.start()
    yield store
    await store.close()


async def collect(storage, key, start, end) -> bytes:
    return b"".join([chunk async for chunk in storage.read(key, start, end)])


async def test_put_read_ranges_delete(storage, tmp_path: Path):
    data = os.urandom(7 * 2**20 + 123)  # above the test's multipart threshold
    source = tmp_path / "tai-lieu.pdf"
    source.write_bytes(data)
    await storage.put_file("c1/d1/v1.pdf", source)
    assert await storage.size("c1/d1/v1.pdf") == len(data)
    assert await collect(storage, "c1/d1/v1.pdf", 0, len(data) - 1) == data
    assert await collect(storage, "c1/d1/v1.pdf", 1000, 300_000) == data[1000:300_001]
    copy = tmp_path / "ban-sao.pdf"
    await storage.download_to("c1/d1/v1.pdf", copy)
    assert copy.read_bytes() == data
    await storage.delete("c1/d1/v1.pdf")
    with pytest.raises(FileMissing):
        await storage.size("c1/d1/v1.pdf")


async def test_keys_cannot_leave_the_store(storage, tmp_path: Path):
    source = tmp_path / "x.pdf"
    source.write_bytes(b"%PDF-1.7")
    for key in ("../x.pdf", "/etc/x.pdf", "a/../../x.pdf"):
        with pytest.raises(ValueError):
            await storage.put_file(key, source)
