"""Invitations and badges in batch (all, one delegation, a selection), marking badges printed, re-issuing a badge."""
from __future__ import annotations

import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import zxingcpp
from PIL import Image

from tests.conftest import create_random_delegate, import_roster, pdf_text, roster

MUONG_LAT = "LĐLĐ huyện Mường Lát"


def first_page(pdf: bytes, dpi: int = 150) -> Image.Image:
    """The first page as a greyscale image, to read the printed QR codes back."""
    return pdfium.PdfDocument(pdf)[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")


def qr_codes(image: Image.Image) -> set[str]:
    """Every QR code on the image, read back with zxing-cpp."""
    return {code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)}


def pages_and_images(pdf: bytes) -> tuple[int, int]:
    """How many pages, and how many images on them (every QR code, every photo)."""
    document = pdfium.PdfDocument(pdf)
    images = sum(1 for page in document for _obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    return len(document), images


async def _delegation(system, admin, cid) -> tuple[list[dict], list[dict]]:
    rows = roster(12)
    for index in (0, 1, 2):
        rows[index] = {**rows[index], "delegation": MUONG_LAT}
    rows[0] = {**rows[0], "full_name": "Nguyễn Thị Thủy", "kind": "official"}
    rows[2] = {**rows[2], "kind": "guest"}
    assert (await import_roster(system, admin, cid, rows)).status_code == 200
    people = (await system.get(f"/api/congresses/{cid}/delegates", params={"limit": 100}, headers=admin)).json()["items"]
    return people, [d for d in people if d["delegation_name"] == MUONG_LAT]


async def _credentials(system, admin, cid, delegate_id) -> dict:
    return (await system.get(f"/api/congresses/{cid}/delegates/{delegate_id}/credentials", headers=admin)).json()


async def test_invitations_for_one_delegation_carry_code_pin_and_the_badge_qr(system, admin, congress):
    base = f"/api/congresses/{congress}"
    await system.patch(base, json={"venue": "Hội trường Tỉnh ủy Đắk Lắk", "starts_on": "2023-08-10"}, headers=admin)
    _people, delegation = await _delegation(system, admin, congress)
    reply = await system.post(f"{base}/print/invitations", headers=admin,
                              json={"delegation_id": delegation[0]["delegation_id"], "base_url": "http://daihoi.test"})
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/pdf"
    text = pdf_text(reply.content)
    guests = sum(d["kind"] == "guest" for d in delegation)
    assert guests >= 1 and text.count("GIẤY MỜI") == guests  # guests are invited, delegates summoned
    assert text.count("GIẤY TRIỆU TẬP") == len(delegation) - guests
    words = " ".join(text.split())
    for needle in ("Nguyễn Thị Thủy", MUONG_LAT, "Hội trường Tỉnh ủy Đắk Lắk", "10/08/2023"):
        assert needle in words, needle
    assert f"http://daihoi.test/app/?c={congress}" in "".join(text.split())  # the app's address, maybe wrapped
    thuy = next(d for d in delegation if d["full_name"] == "Nguyễn Thị Thủy")
    creds = await _credentials(system, admin, congress, thuy["id"])
    assert creds["code"] in text and creds["pin"] in text
    first = await system.post(f"{base}/print/invitations", json={"delegate_ids": [thuy["id"]]}, headers=admin)
    assert qr_codes(first_page(first.content)) == {creds["qr"]}  # the printed QR checks her in


async def test_badges_in_batch_mark_them_printed_and_protect_renames(system, admin, congress):
    """Regression: a badge was never marked printed, so an import could rename someone wearing theirs."""
    base = f"/api/congresses/{congress}"
    people, _delegation_members = await _delegation(system, admin, congress)
    picked = [d["id"] for d in people[:9]]
    reply = await system.post(f"{base}/print/badges", json={"delegate_ids": picked}, headers=admin)
    assert reply.status_code == 200
    text = pdf_text(reply.content)
    assert text.count("Trang") == 0 and "Mã đại biểu: " in text  # badges carry no page footer
    assert "ĐẠI BIỂU CHÍNH THỨC" in text and people[0]["full_name"] in text
    assert pages_and_images(reply.content) == (2, 9)  # nine badges (a QR each), eight to a sheet
    codes = qr_codes(first_page(reply.content))
    assert len(codes) == 8 and (await _credentials(system, admin, congress, people[0]["id"]))["qr"] in codes
    listed = {d["id"]: d for d in (await system.get(f"{base}/delegates", headers=admin)).json()["items"]}
    assert all(listed[i]["badge_printed_at"] for i in picked)
    assert not any(d["badge_printed_at"] for i, d in listed.items() if i not in picked)
    delegations = {d["id"]: d for d in (await system.get(f"{base}/delegations", headers=admin)).json()}
    assert sum(d["badges_printed"] for d in delegations.values()) == 9

    rows = [{"code": d["code"], "full_name": d["full_name"], "delegation": d["delegation_name"], "kind": d["kind"]}
            for d in people]
    rows[0] = {**rows[0], "full_name": "Trần Văn Đổi Tên"}
    plan = (await import_roster(system, admin, congress, rows, preview=True)).json()
    renamed = next(c for c in plan["changed"] if c["code"] == people[0]["code"])
    assert renamed["protected"] == "Đổi họ tên của đại biểu đã in thẻ"


async def test_reissuing_a_lost_badge_voids_the_old_one(system, admin, congress):
    base = f"/api/congresses/{congress}"
    delegate = await create_random_delegate(system, admin, congress)
    old = await _credentials(system, admin, congress, delegate["id"])
    await system.post(f"{base}/print/badges", json={"delegate_ids": [delegate["id"]]}, headers=admin)
    new = (await system.post(f"{base}/delegates/{delegate['id']}/badge/reissue", headers=admin)).json()
    assert new["qr"] != old["qr"] and new["pin"] != old["pin"]
    lost = await system.post(f"{base}/checkins", json={"qr": old["qr"]}, headers=admin)
    assert lost.status_code == 422 and "thay thế" in lost.json()["detail"]
    old_pin = await system.post("/api/auth/delegate", json={"congress_id": congress, "code": old["code"],
                                                            "pin": old["pin"]})
    assert old_pin.status_code == 401
    assert (await system.post(f"{base}/checkins", json={"qr": new["qr"]}, headers=admin)).status_code == 201
    listed = (await system.get(f"{base}/delegates/{delegate['id']}", headers=admin)).json()
    assert listed["badge_printed_at"] is None  # the new badge is still to print


async def test_photos_come_from_the_hook_and_withdrawn_delegates_are_left_out(system, admin, congress):
    base = f"/api/congresses/{congress}"
    _people, delegation = await _delegation(system, admin, congress)
    gone = delegation[1]
    await system.post(f"{base}/delegates/{gone['id']}/withdraw", json={"reason": "Ốm nặng"}, headers=admin)
    photo = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 120, 60)).save(photo, format="JPEG")

    class OnePhoto:
        async def photos(self, session, congress_id, delegate_ids):
            return {delegation[0]["id"]: photo.getvalue()} if congress_id == congress else {}

    checkin = system.app.state.services["checkin"]
    checkin.state.badge_photos = OnePhoto()
    reply = await system.post(f"{base}/print/badges", json={"delegation_id": gone["delegation_id"]}, headers=admin)
    text = pdf_text(reply.content)
    assert gone["full_name"] not in text and delegation[0]["full_name"] in text
    badges = len(delegation) - 1
    assert pages_and_images(reply.content) == (1, badges + 1)  # a QR on each badge, and the one photo
    nobody = await system.post(f"{base}/print/invitations", json={"delegate_ids": ["no-such-id"]}, headers=admin)
    assert nobody.status_code == 404 and "Không có đại biểu" in nobody.json()["detail"]


async def test_a_badge_prints_the_enrolled_photo_only_where_the_congress_keeps_photos(system, admin, congress):
    from congress_checkin.adapters.face_engine import FakeFaceEngine

    from tests.api.test_face_checkin import fake_sample

    base = f"/api/congresses/{congress}"
    _people, delegation = await _delegation(system, admin, congress)
    enrolled = delegation[0]
    picture = io.BytesIO()
    Image.new("RGB", (1200, 1600), (200, 120, 60)).save(picture, format="JPEG")
    photo = picture.getvalue()
    system.app.state.services["checkin"].state.faces.engine = FakeFaceEngine({photo: fake_sample(7)})

    async def enrol_and_print(keep_photos: bool) -> bytes:
        assert (await system.put(f"{base}/faces/settings", json={"keep_photos": keep_photos},
                                 headers=admin)).status_code == 200
        await system.post(f"{base}/delegates/{enrolled['id']}/face/consent", json={"method": "paper_form"},
                          headers=admin)
        files = [("photos", ("anh.jpg", photo, "image/jpeg"))]
        assert (await system.post(f"{base}/delegates/{enrolled['id']}/face/photos", files=files,
                                  headers=admin)).status_code == 201
        reply = await system.post(f"{base}/print/badges", json={"delegation_id": enrolled["delegation_id"]},
                                  headers=admin)
        assert reply.status_code == 200, reply.text
        return reply.content

    badges = len(delegation)
    assert pages_and_images(await enrol_and_print(keep_photos=False)) == (1, badges)  # QR codes only
    printed = await enrol_and_print(keep_photos=True)
    assert pages_and_images(printed) == (1, badges + 1)  # and the one kept photo
    page = pdfium.PdfDocument(printed)[0]
    pictures = [obj for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])
                if obj.get_px_size() == (300, 400)]
    assert len(pictures) == 1  # shrunk to badge size, not the 1200 × 1600 upload
