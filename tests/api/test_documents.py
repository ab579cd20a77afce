"""Documents through the gateway: upload, audiences, release with the agenda, versions, receipts, watermark."""
from __future__ import annotations

import asyncio
import contextlib
import io
from datetime import timedelta

import pikepdf
import pypdfium2
import pytest
from congress_common.contracts import utcnow
from congress_common.pdf import Fonts
from congress_documents.samples import sample_pdf

from tests.conftest import create_congress, create_random_delegate, make_delegate_login, make_organiser, pdf_text, until

LANG_CHANH, GIAO_DUC = "LĐLĐ huyện Lang Chánh", "Công đoàn ngành Giáo dục"


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    return Fonts.locate()


def page_texts(data: bytes) -> list[str]:
    """Each page's text in content order (pdfium), so the diagonal watermark reads as written."""
    document = pypdfium2.PdfDocument(data)
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


def pdf_file(data: bytes, name: str = "du-thao-nghi-quyet.pdf"):
    return {"file": (name, data, "application/pdf")}


async def upload(system, headers, cid, data: bytes, **fields):
    form = {"title": "Dự thảo Nghị quyết Đại hội", "category": "resolution", **fields}
    return await system.post(f"/api/congresses/{cid}/documents", headers=headers, data=form, files=pdf_file(data))


async def people(system, admin, cid) -> dict:
    """An official and an alternate of Lang Chánh, a presidium member of Giáo dục, with their tokens."""
    official = await create_random_delegate(system, admin, cid, kind="official", delegation=LANG_CHANH)
    alternate = await create_random_delegate(system, admin, cid, kind="alternate", delegation=LANG_CHANH)
    presidium = await create_random_delegate(system, admin, cid, kind="official", delegation=GIAO_DUC,
                                             roles=["presidium"])

    async def known():
        reply = await system.get(f"/api/congresses/{cid}/documents/audience", headers=admin)
        return len(reply.json()["readers"]) == 3

    await until(known)
    out = {"official": official, "alternate": alternate, "presidium": presidium}
    for role, person in list(out.items()):
        out[f"{role}_h"] = await make_delegate_login(system, admin, cid, person["id"])
    return out


async def titles(system, headers, cid) -> list[str]:
    reply = await system.get(f"/api/congresses/{cid}/documents", headers=headers)
    assert reply.status_code == 200, reply.text
    return [d["title"] for d in reply.json()]


@contextlib.contextmanager
def events(system, cid):
    """What the gateway's live stream receives for this congress."""
    with system.app.state.gateway.fanout.client(cid) as queue:
        yield queue


async def next_event(queue, type_: str, timeout: float = 5.0, **payload):
    """The next event of this type (whose payload has these values) that the stream receives."""
    async def find():
        while True:
            envelope = await queue.get()
            if envelope.type == type_ and all(envelope.payload.get(k) == v for k, v in payload.items()):
                return envelope

    return await asyncio.wait_for(find(), timeout)


async def test_official_draft_released_with_its_agenda_item(system, admin, congress, fonts):
    who = await people(system, admin, congress)
    organiser = await make_organiser(system, admin, congress)
    programme = await system.post(f"/api/congresses/{congress}/agenda/sessions", headers=organiser,
                                  json={"title": "Phiên thứ nhất: Khai mạc"})
    item = await system.post(f"/api/congresses/{congress}/agenda/items", headers=organiser,
                             json={"session_id": programme.json()["id"], "title": "Thảo luận Dự thảo Nghị quyết"})
    assert item.status_code == 201, item.text
    item_id = item.json()["id"]
    reply = await upload(system, organiser, congress, sample_pdf(fonts, pages=4), audience="official",
                         release="agenda_item", agenda_item_id=item_id, confidential="true")
    assert reply.status_code == 201, reply.text
    doc = reply.json()
    assert doc["released_at"] is None and doc["pages"] == 4 and doc["audience_size"] == 2
    base = f"/api/congresses/{congress}/documents/{doc['id']}"

    assert await titles(system, who["official_h"], congress) == []  # not before its item opens
    assert (await system.get(f"{base}/pages/1", headers=who["official_h"])).status_code == 404
    with events(system, congress) as queue:
        opened = await system.post(f"/api/congresses/{congress}/agenda/items/{item_id}/open", headers=organiser)
        assert opened.status_code == 200 and opened.json()["released_documents"] == 1
        published = await next_event(queue, "document.published")
        assert published.payload["document_id"] == doc["id"] and "title" not in published.payload
        assert (await next_event(queue, "agenda.item_opened")).payload["item_id"] == item_id
    agenda = (await system.get(f"/api/congresses/{congress}/agenda", headers=who["alternate_h"])).json()
    assert agenda["current_item"]["title"] == "Thảo luận Dự thảo Nghị quyết"

    listed = (await system.get(f"/api/congresses/{congress}/documents", headers=who["official_h"])).json()
    assert [(d["title"], d["state"], d["version"]) for d in listed] == [("Dự thảo Nghị quyết Đại hội", "new", 1)]
    page = await system.get(f"{base}/pages/3", params={"width": 800, "v": 1}, headers=who["official_h"])
    assert page.status_code == 200 and page.headers["content-type"] == "image/webp" and len(page.content) > 5000
    # the alternate and the presidium member from another delegation are not official... the presidium member is
    for role in ("alternate_h",):
        for path in (base, f"{base}/file", f"{base}/pages/1"):
            assert (await system.get(path, headers=who[role])).status_code == 404, (role, path)
    assert await titles(system, who["alternate_h"], congress) == []
    assert await titles(system, who["presidium_h"], congress) == ["Dự thảo Nghị quyết Đại hội"]

    # the download carries the reader's name and code on every page; the organiser's copy carries nothing
    official = who["official"]
    mine = await system.get(f"{base}/file", headers=who["official_h"])
    assert mine.status_code == 200 and mine.headers["content-type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(mine.content)) as pdf:
        assert len(pdf.pages) == 4
    pages = page_texts(mine.content)
    assert len(pages) == 4 and all(official["full_name"] in p and official["code"] in p for p in pages), pages[0]
    assert "Trang 3" in pdf_text(mine.content)  # the document itself is still there, readable
    clean = page_texts((await system.get(f"{base}/file", headers=organiser)).content)
    assert official["full_name"] not in " ".join(clean) and "Trang 3" in clean[2]

    receipts = (await system.get(f"{base}/receipts", headers=organiser)).json()
    assert receipts["audience_size"] == 2 and receipts["opened"] == 1 and receipts["not_opened"] == 1
    assert receipts["readers"][0]["full_name"] == official["full_name"] and receipts["readers"][0]["downloaded_at"]
    assert receipts["not_opened_readers"][0]["full_name"] == who["presidium"]["full_name"]


async def test_turning_pages_does_not_rewrite_the_receipt(system, admin, congress, fonts, monkeypatch):
    """A receipt that already says as much is left alone for a minute; a download or a later opening is recorded."""
    import congress_documents.views as views

    who = await people(system, admin, congress)
    doc = (await upload(system, admin, congress, sample_pdf(fonts, pages=3))).json()
    base = f"/api/congresses/{congress}/documents/{doc['id']}"

    async def mine() -> dict:
        receipts = (await system.get(f"{base}/receipts", headers=admin)).json()["readers"]
        return next(r for r in receipts if r["full_name"] == who["official"]["full_name"])

    for page in (1, 2, 3):
        assert (await system.get(f"{base}/pages/{page}", headers=who["official_h"])).status_code == 200
    first = await mine()
    assert first["first_opened_at"] == first["last_opened_at"] and first["downloaded_at"] is None
    assert (await system.get(f"{base}/file", headers=who["official_h"])).status_code == 200
    downloaded = await mine()
    assert downloaded["downloaded_at"] and downloaded["first_opened_at"] == first["first_opened_at"]
    later = utcnow() + timedelta(minutes=2)
    monkeypatch.setattr(views, "utcnow", lambda: later)
    assert (await system.get(f"{base}/pages/2", headers=who["official_h"])).status_code == 200
    again = await mine()
    assert again["last_opened_at"] > downloaded["last_opened_at"] and again["first_opened_at"] == first["first_opened_at"]


async def test_a_reader_opening_several_pages_at_once_gets_them_all(system, admin, congress, fonts):
    """Found in a browser run: two first openings at once race to insert the receipt; the loser's rollback
    expired the request's objects and the page became a 500."""
    who = await people(system, admin, congress)
    doc = (await upload(system, admin, congress, sample_pdf(fonts, pages=6, seed=31))).json()
    base = f"/api/congresses/{congress}/documents/{doc['id']}"
    for n in range(1, 7):  # rendered (and cached) first, so that the reader's requests reach the receipt together
        assert (await system.get(f"{base}/pages/{n}", headers=admin)).status_code == 200
    replies = await asyncio.gather(*(system.get(f"{base}/pages/{n}", headers=who["official_h"]) for n in range(1, 7)),
                                   system.get(f"{base}/file", headers=who["official_h"]))
    assert [r.status_code for r in replies] == [200] * 7, [r.text[:200] for r in replies if r.status_code != 200]
    receipts = (await system.get(f"{base}/receipts", headers=admin)).json()
    assert receipts["opened"] == 1


async def test_numbers_past_what_the_database_holds_are_a_422(system, admin, congress, fonts):
    """Found by the fuzzer: an offset (or a version) beyond a 64-bit integer reached SQLite and was a 500."""
    doc = (await upload(system, admin, congress, sample_pdf(fonts, pages=1, seed=41))).json()
    huge = "85945585168291037184"
    for path, params in [(f"/api/congresses/{congress}/delegates", {"offset": huge}),
                         (f"/api/congresses/{congress}/faces/delegates", {"offset": huge}),
                         (f"/api/congresses/{congress}/documents/{doc['id']}/file", {"v": huge}),
                         (f"/api/congresses/{congress}/documents/{doc['id']}/pages/1", {"v": huge})]:
        reply = await system.get(path, params=params, headers=admin)
        assert reply.status_code == 422 and reply.json()["detail"], (path, reply.status_code, reply.text[:200])


async def test_delegate_of_another_congress_gets_404(system, admin, congress, fonts):
    await people(system, admin, congress)
    doc = (await upload(system, admin, congress, sample_pdf(fonts, pages=1))).json()
    other = await create_congress(system, admin)
    stranger = await create_random_delegate(system, admin, other)
    stranger_h = await make_delegate_login(system, admin, other, stranger["id"])
    for path in ("", f"/{doc['id']}", f"/{doc['id']}/file", f"/{doc['id']}/pages/1"):
        reply = await system.get(f"/api/congresses/{congress}/documents{path}", headers=stranger_h)
        assert reply.status_code == 404 and reply.json()["detail"], path
    # and through their own congress's path the document is not there either
    assert (await system.get(f"/api/congresses/{other}/documents/{doc['id']}/file", headers=stranger_h)).status_code == 404


async def test_versions_duplicates_and_reading_state(system, admin, congress, fonts):
    who = await people(system, admin, congress)
    first = sample_pdf(fonts, pages=2, seed=1, title="Quy chế bầu cử")
    doc = (await upload(system, admin, congress, first, title="Quy chế bầu cử", category="election")).json()
    base = f"/api/congresses/{congress}/documents/{doc['id']}"
    assert (await system.get(f"{base}/pages/1", params={"v": 1}, headers=who["official_h"])).status_code == 200

    again = await upload(system, admin, congress, first, title="Quy chế bầu cử (bản sao)")
    assert again.status_code == 409 and "Quy chế bầu cử" in again.json()["detail"]
    with events(system, congress) as queue:
        second = await system.post(f"{base}/versions", headers=admin, data={"note": "Sửa Điều 5"},
                                   files=pdf_file(sample_pdf(fonts, pages=3, seed=2, title="Quy chế bầu cử")))
        assert second.status_code == 201, second.text
        added = await next_event(queue, "document.version_added")
    assert added.payload == {**added.payload, "document_id": doc["id"], "version": 2, "released": True}
    assert [v["number"] for v in second.json()["versions"]] == [1, 2] and second.json()["pages"] == 3

    listed = (await system.get(f"/api/congresses/{congress}/documents", headers=who["official_h"])).json()[0]
    assert (listed["state"], listed["read_version"], listed["version"]) == ("updated", 1, 2)
    old = await system.get(f"{base}/file", params={"v": 1}, headers=who["official_h"])
    assert old.status_code == 200 and old.content == first  # the old version is kept as it was
    assert (await system.get(f"{base}/pages/3", params={"v": 2}, headers=who["official_h"])).status_code == 200
    listed = (await system.get(f"/api/congresses/{congress}/documents", headers=who["official_h"])).json()[0]
    assert listed["state"] == "read"
    assert (await system.get(f"{base}/pages/3", params={"v": 1}, headers=who["official_h"])).status_code == 422
    for asked in (f"{base}/file", f"{base}/pages/1"):
        missing = await system.get(asked, params={"v": 9}, headers=who["official_h"])
        assert missing.status_code == 422 and missing.json()["detail"] == "Tài liệu không có bản 9 (bản mới nhất là bản 2)"

    withdrawn = await system.post(f"{base}/withdraw", headers=admin, json={"reason": "Ban hành nhầm"})
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    assert (await system.get(f"{base}/file", headers=who["official_h"])).status_code == 404
    assert await titles(system, who["official_h"], congress) == []


async def test_named_delegations_and_timed_release(system, admin, congress, fonts):
    who = await people(system, admin, congress)
    delegations = (await system.get(f"/api/congresses/{congress}/delegations", headers=admin)).json()
    giao_duc = next(d["id"] for d in delegations if d["name"] == GIAO_DUC)
    unknown = await upload(system, admin, congress, sample_pdf(fonts, pages=1, seed=3), audience="delegations",
                           delegation_ids="khong-co-doan-nay")
    assert unknown.status_code == 422 and "đoàn đại biểu" in unknown.json()["detail"]
    past = await upload(system, admin, congress, sample_pdf(fonts, pages=1, seed=3), release="at",
                        release_at=(utcnow() - timedelta(minutes=5)).isoformat())
    assert past.status_code == 422 and "đã qua" in past.json()["detail"]
    with events(system, congress) as queue:
        soon = await upload(system, admin, congress, sample_pdf(fonts, pages=1, seed=3), title="Tham luận tổ 3",
                            category="speech", audience="delegations", delegation_ids=giao_duc, release="at",
                            release_at=(utcnow() + timedelta(seconds=3)).isoformat())
        assert soon.status_code == 201 and soon.json()["released_at"] is None, soon.text
        assert await titles(system, who["presidium_h"], congress) == []
        published = await next_event(queue, "document.published", timeout=15)
    assert published.payload["document_id"] == soon.json()["id"]
    assert await titles(system, who["presidium_h"], congress) == ["Tham luận tổ 3"]
    assert await titles(system, who["official_h"], congress) == []  # Lang Chánh is not among the delegations


async def test_bad_files_are_refused_in_vietnamese_and_nothing_is_stored(system, admin, congress, fonts):
    good = sample_pdf(fonts, pages=1, seed=4)
    with io.BytesIO() as out:
        with pikepdf.open(io.BytesIO(good)) as pdf:
            pdf.save(out, encryption=pikepdf.Encryption(user="mat-khau", owner="chu-so-huu"))
        encrypted = out.getvalue()
    cases = {
        "encrypted": (encrypted, "mật khẩu"),
        "broken": (good[:400], "hỏng"),
        "not a pdf": (b"PK\x03\x04 this is a zip pretending", "không phải PDF"),
        "empty": (b"", "rỗng"),
    }
    for name, (data, message) in cases.items():
        reply = await upload(system, admin, congress, data)
        assert reply.status_code in (415, 422), (name, reply.text)
        assert message in reply.json()["detail"], (name, reply.json()["detail"])
    exe = await system.post(f"/api/congresses/{congress}/documents", headers=admin, data={"title": "Chương trình"},
                            files={"file": ("chuong-trinh.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert exe.status_code == 422 and "PDF, Word" in exe.json()["detail"]
    assert (await system.get(f"/api/congresses/{congress}/documents", headers=admin)).json() == []
    storage_root = system.app.state.gateway.clients.clients["documents"]._transport.app.state.library.storage.root
    assert not list(storage_root.rglob("*.pdf"))


async def test_upload_form_refusals_name_the_field_in_vietnamese(system, admin, congress, fonts):
    await people(system, admin, congress)
    data = sample_pdf(fonts, pages=1, seed=5)
    cases = {
        "time without zone": ({"release": "at", "release_at": "2030-08-10T13:30"}, "kèm múi giờ"),
        "not a time": ({"release": "at", "release_at": "ngày mai"}, "Thời điểm phát hành phải là ngày giờ"),
        "no time": ({"release": "at"}, "Cần chọn thời điểm phát hành"),
        "no delegation": ({"audience": "delegations"}, "ít nhất một đoàn"),
        "no agenda item": ({"release": "agenda_item"}, "Cần chọn mục chương trình"),
        "unknown agenda item": ({"release": "agenda_item", "agenda_item_id": "khong-co"}, "Không tìm thấy mục chương trình"),
        "unknown audience": ({"audience": "khach"}, "Người được đọc không hợp lệ"),
        "unknown category": ({"category": "bao-cao"}, "Loại tài liệu không hợp lệ (chọn một trong: “Chương trình, kịch bản”, "
                                                      "“Báo cáo”, “Nghị quyết”, “Bầu cử”, “Nhân sự”, “Tham luận” hoặc "
                                                      "“Tài liệu khác”)"),
        "short title": ({"title": "A"}, "Tên tài liệu phải có ít nhất 2 ký tự"),
    }
    for name, (fields, message) in cases.items():
        reply = await upload(system, admin, congress, data, **fields)
        assert reply.status_code in (404, 422) and message in reply.json()["detail"], (name, reply.text)
    assert (await system.get(f"/api/congresses/{congress}/documents", headers=admin)).json() == []


async def test_announcements_live_and_caught_up(system, admin, congress):
    who = await people(system, admin, congress)
    url = f"/api/congresses/{congress}/announcements"
    first = await system.post(url, headers=admin, json={"text": "Đại biểu về hội trường lúc 13h30"})
    assert first.status_code == 201
    with events(system, congress) as queue:
        urgent = await system.post(url, headers=admin, json={"text": "Tổ 3 thảo luận tại phòng 201", "priority": "urgent"})
        posted = await next_event(queue, "announcement.posted", announcement_id=urgent.json()["id"])
    assert posted.payload["text"] == "Tổ 3 thảo luận tại phòng 201" and posted.payload["priority"] == "urgent"
    listed = (await system.get(url, headers=who["alternate_h"])).json()
    assert [a["text"] for a in listed] == ["Tổ 3 thảo luận tại phòng 201", "Đại biểu về hội trường lúc 13h30"]
    missed = (await system.get(url, headers=who["alternate_h"], params={"since": first.json()["posted_at"]})).json()
    assert [a["id"] for a in missed] == [urgent.json()["id"]]
    empty = await system.post(url, headers=admin, json={"text": " "})
    assert empty.status_code == 422 and "Nội dung thông báo" in empty.json()["detail"]


async def test_agenda_sessions_and_items_are_edited(system, admin, congress):
    who = await people(system, admin, congress)
    organiser = await make_organiser(system, admin, congress)
    url = f"/api/congresses/{congress}/agenda"
    first = (await system.post(f"{url}/sessions", headers=organiser, json={"title": "Phiên trù bị"})).json()
    second = (await system.post(f"{url}/sessions", headers=organiser, json={"title": "Phiên chính thức"})).json()
    item = (await system.post(f"{url}/items", headers=organiser, json={
        "session_id": first["id"], "title": "Báo cáo chính trị", "presenter": "Đồng chí Chủ tịch",
        "starts_at": "2023-08-10T08:30:00+07:00"})).json()

    renamed = await system.patch(f"{url}/sessions/{first['id']}", headers=organiser,
                                 json={"title": "Phiên thứ nhất: Khai mạc", "starts_at": "2023-08-10T07:30:00+07:00"})
    assert renamed.status_code == 200 and renamed.json()["title"] == "Phiên thứ nhất: Khai mạc", renamed.text
    await system.post(f"{url}/items/{item['id']}/open", headers=organiser)
    edited = await system.patch(f"{url}/items/{item['id']}", headers=organiser,
                                json={"title": "  Thảo luận Báo cáo chính trị ", "presenter": " ", "starts_at": None})
    assert edited.status_code == 200, edited.text
    assert edited.json() == {**edited.json(), "title": "Thảo luận Báo cáo chính trị", "presenter": None,
                             "starts_at": None, "current": True}
    with events(system, congress) as queue:  # phones re-read the agenda
        moved = await system.patch(f"{url}/items/{item['id']}", headers=organiser, json={"session_id": second["id"]})
        # the earlier edit's event may still be on its way: wait for the one that says where the item went
        await next_event(queue, "agenda.changed", item_id=item["id"], session_id=second["id"])
    assert moved.status_code == 200 and moved.json()["title"] == "Thảo luận Báo cáo chính trị"  # the rest is kept

    agenda = (await system.get(url, headers=who["official_h"])).json()
    assert [(s["title"], [i["title"] for i in s["items"]]) for s in agenda["sessions"]] == [
        ("Phiên thứ nhất: Khai mạc", []), ("Phiên chính thức", ["Thảo luận Báo cáo chính trị"])]
    assert agenda["sessions"][0]["starts_at"].startswith("2023-08-10T00:30:00")
    assert agenda["current_item"] == {**agenda["current_item"], "title": "Thảo luận Báo cáo chính trị",
                                      "session_id": second["id"]}

    refused = {
        "empty title": (f"{url}/items/{item['id']}", {"title": "  "}, 422, "ít nhất 2 ký tự"),
        "null title": (f"{url}/sessions/{first['id']}", {"title": None}, 422, "ít nhất 2 ký tự"),
        "unknown session": (f"{url}/items/{item['id']}", {"session_id": "khong-co"}, 404, "phiên họp"),
        "unknown item": (f"{url}/items/khong-co", {"title": "Bế mạc"}, 404, "mục chương trình"),
        "bad time": (f"{url}/items/{item['id']}", {"starts_at": "8 giờ sáng"}, 422, "Thời gian phải là ngày giờ"),
    }
    for name, (path, body, status, message) in refused.items():
        reply = await system.patch(path, headers=organiser, json=body)
        assert reply.status_code == status and message in reply.json()["detail"], (name, reply.text)
    other = await create_congress(system, admin)
    foreign = await system.patch(f"/api/congresses/{other}/agenda/items/{item['id']}", headers=admin,
                                 json={"title": "Bế mạc"})
    assert foreign.status_code == 404
