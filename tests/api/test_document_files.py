"""Document files through the gateway: ranged downloads, Word/Excel conversion, size limits, races that leave
nothing half-stored, and the same through S3 storage (moto's server, started here on a free port)."""
from __future__ import annotations

import asyncio
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from congress_common.pdf import Fonts
from congress_documents.adapters.converter import ConverterMissing, OfficeConverter
from congress_documents.samples import sample_pdf

from tests.api.test_documents import upload
from tests.conftest import embedded_client, login, pdf_text, skip_unless_ci


def library(system):
    return system.app.state.gateway.clients.clients["documents"]._transport.app.state.library


async def test_ranged_download_through_the_gateway(system, admin, congress):
    data = sample_pdf(Fonts.locate(), pages=6, photo_bytes_per_page=40_000)
    doc = (await upload(system, admin, congress, data)).json()
    url = f"/api/congresses/{congress}/documents/{doc['id']}/file"
    whole = await system.get(url, headers=admin)
    assert whole.status_code == 200 and whole.content == data and whole.headers["accept-ranges"] == "bytes"
    assert "attachment" in whole.headers["content-disposition"] and "filename*=UTF-8''D%E1%BB%B1" in whole.headers[
        "content-disposition"]
    part = await system.get(url, headers={**admin, "range": "bytes=100-1099"})
    assert part.status_code == 206 and part.content == data[100:1100]
    assert part.headers["content-range"] == f"bytes 100-1099/{len(data)}" and part.headers["content-length"] == "1000"
    tail = await system.get(url, headers={**admin, "range": "bytes=-50"})
    assert tail.status_code == 206 and tail.content == data[-50:]
    stale = await system.get(url, headers={**admin, "range": "bytes=0-9", "if-range": '"not-this-one"'})
    assert stale.status_code == 200 and len(stale.content) == len(data)
    past = await system.get(url, headers={**admin, "range": f"bytes={len(data) + 10}-"})
    assert past.status_code == 416 and past.headers["content-range"] == f"bytes */{len(data)}"
    assert "nằm ngoài tệp" in past.json()["detail"]


async def test_oversized_upload_is_refused_while_streaming(system, admin, congress):
    async def three_hundred_mb():
        yield b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bao-cao.pdf\"\r\n\r\n%PDF-1.7\n"
        for _ in range(300):
            yield b"0" * 2**20

    reply = await system.post(f"/api/congresses/{congress}/documents", content=three_hundred_mb(),
                              headers={**admin, "content-type": "multipart/form-data; boundary=x"})
    assert reply.status_code == 413
    assert reply.json()["detail"].startswith("Tệp quá lớn: tối đa 100 MB cho một tài liệu")
    assert (await system.get(f"/api/congresses/{congress}/documents", headers=admin)).json() == []


async def test_a_document_may_be_larger_than_any_other_request(system, admin, congress):
    """A political report with photos runs past the 20 MB every other route allows: its upload route has its own
    limit (CONGRESS_MAX_DOCUMENT_BYTES, 100 MB), in the gateway and in the service; the rest keep theirs."""
    data = sample_pdf(Fonts.locate(), pages=30, photo_bytes_per_page=900_000)
    assert len(data) > 25 * 2**20
    reply = await upload(system, admin, congress, data)
    assert reply.status_code == 201, reply.text
    doc = reply.json()
    second = data + b"\n% ban 2\n"
    version = await system.post(f"/api/congresses/{congress}/documents/{doc['id']}/versions", headers=admin,
                                files={"file": ("v2.pdf", second, "application/pdf")})
    assert version.status_code == 201, version.text
    file_url = f"/api/congresses/{congress}/documents/{doc['id']}/file"
    assert (await system.get(file_url, headers=admin)).content == second
    assert (await system.get(file_url, params={"v": 1}, headers=admin)).content == data
    roster = await system.post(f"/api/congresses/{congress}/delegates/import", headers=admin,
                               files={"file": ("ds.xlsx", data, "application/octet-stream")})
    assert roster.status_code == 413 and "tối đa 20 MB" in roster.json()["detail"]


async def test_concurrent_versions_leave_no_file_without_its_version(system, admin, congress):
    fonts = Fonts.locate()
    doc = (await upload(system, admin, congress, sample_pdf(fonts, pages=1, seed=10))).json()
    url = f"/api/congresses/{congress}/documents/{doc['id']}/versions"
    replies = await asyncio.gather(*(system.post(url, headers=admin, files={
        "file": ("v.pdf", sample_pdf(fonts, pages=1, seed=20 + n), "application/pdf")}) for n in range(4)))
    assert {r.status_code for r in replies} <= {201, 409}, [r.text for r in replies]
    detail = (await system.get(f"/api/congresses/{congress}/documents/{doc['id']}", headers=admin)).json()
    numbers = [v["number"] for v in detail["versions"]]
    assert numbers == list(range(1, len(numbers) + 1))
    stored = list(library(system).storage.root.rglob("*.pdf"))
    assert len(stored) == len(numbers), (stored, numbers)
    assert not list((library(system).cache_dir / "staging").iterdir())


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Đoàn đại biểu"])
    sheet.append(["Nguyễn Thị Thủy", "LĐLĐ huyện Lang Chánh"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _docx(text: str) -> bytes:
    """The smallest Word document: one paragraph."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                         'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="applica'
                         'tion/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="ap'
                         'plication/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxml'
                         'formats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                         'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                         'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.'
                         'xml"/></Relationships>')
        archive.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://'
                         'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
                         f'{text}</w:t></w:r></w:p></w:body></w:document>')
    return out.getvalue()


async def test_word_and_excel_become_pdf(system, admin, congress):
    if shutil.which("soffice") is None:
        skip_unless_ci("LibreOffice is not installed (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)")
    cases = [("bao-cao.docx", _docx("Báo cáo chính trị trình Đại hội"), "Báo cáo chính trị trình Đại hội"),
             ("danh-sach.xlsx", _xlsx(), "LĐLĐ huyện Lang Chánh")]
    for name, data, expected in cases:
        reply = await system.post(f"/api/congresses/{congress}/documents", headers=admin, data={"title": name},
                                  files={"file": (name, data, "application/octet-stream")})
        assert reply.status_code == 201, reply.text
        version = reply.json()["versions"][0]
        assert version["original_format"] == name.rsplit(".", 1)[1] and version["original_name"] == name
        pdf = await system.get(f"/api/congresses/{congress}/documents/{reply.json()['id']}/file", headers=admin)
        assert expected in pdf_text(pdf.content)


async def test_without_libreoffice_word_is_refused_clearly(tmp_path: Path):
    with pytest.raises(ConverterMissing) as refused:
        await OfficeConverter(None).to_pdf(tmp_path / "x.docx", "docx", tmp_path)
    assert refused.value.status_code == 415 and "lưu tệp thành PDF" in refused.value.message


async def test_documents_in_s3_storage(tmp_path, monkeypatch, moto_s3):
    """The whole system with CONGRESS_STORAGE=s3 against a real S3 protocol server."""
    for key, value in {"CONGRESS_STORAGE": "s3", "CONGRESS_S3_ENDPOINT_URL": moto_s3, "CONGRESS_S3_BUCKET": "dai-hoi",
                       "CONGRESS_S3_ACCESS_KEY": "thu-nghiem", "CONGRESS_S3_SECRET_KEY": "thu-nghiem"}.items():
        monkeypatch.setenv(key, value)
    data = sample_pdf(Fonts.locate(), pages=3, photo_bytes_per_page=30_000)
    async for system in embedded_client(tmp_path):
        admin = await login(system)
        from tests.conftest import create_congress

        cid = await create_congress(system, admin)
        doc = (await upload(system, admin, cid, data)).json()
        assert library(system).storage.name == "s3"
        base = f"/api/congresses/{cid}/documents/{doc['id']}"
        assert (await system.get(f"{base}/file", headers=admin)).content == data
        part = await system.get(f"{base}/file", headers={**admin, "range": "bytes=10-19"})
        assert part.status_code == 206 and part.content == data[10:20]
        page = await system.get(f"{base}/pages/2", headers=admin)
        assert page.status_code == 200 and page.headers["content-type"] == "image/webp"
        assert not list((tmp_path / "documents").rglob("*.pdf"))  # nothing in the local folder
