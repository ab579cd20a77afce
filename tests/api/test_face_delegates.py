"""The organisers' per-delegate face list (GET /api/congresses/{cid}/faces/delegates): consent, photos, look-alikes."""
from __future__ import annotations

import dataclasses

from congress_checkin.adapters.face_engine import FakeFaceEngine

from tests.api.test_face_checkin import checkin_service, enrol, fake_sample
from tests.conftest import create_random_delegate, make_organiser

ROW_KEYS = {"id", "code", "full_name", "delegation_name", "kind", "consent", "consent_method", "consent_given_at",
            "consent_recorded_by", "consent_withdrawn_at", "photos", "lookalike"}


def near(outcome, seed: int):
    """The same face's sample nudged a little: another person the encoder puts within the look-alike guard."""
    import numpy as np

    noise = np.random.default_rng(seed).normal(size=128).astype("float32") * 0.01
    return dataclasses.replace(outcome, sample=dataclasses.replace(outcome.sample, encoding=outcome.sample.encoding + noise))


async def test_the_face_list_shows_consent_photos_and_look_alikes(system, admin, congress) -> None:
    cid = congress
    base = fake_sample(7)
    photos = {b"\xff\xd8 thuy 1": base, b"\xff\xd8 thuy 2": near(base, 1), b"\xff\xd8 hung": near(base, 2),
              b"\xff\xd8 nam": fake_sample(8)}
    checkin_service(system).state.faces.engine = FakeFaceEngine(photos)
    people = {name: await create_random_delegate(system, admin, cid, full_name=name, delegation=unit)
              for name, unit in (("Nguyễn Thị Thủy", "LĐLĐ huyện Lang Chánh"), ("Trần Văn Hùng", "Công đoàn ngành Giáo dục"),
                                 ("Lê Văn Nam", "CĐ Khu Kinh tế Nghi Sơn"), ("Phạm Thị Hoa", "LĐLĐ huyện Lang Chánh"))}
    thuy, hung, nam, hoa = people.values()
    organiser = await make_organiser(system, admin, cid)
    for person, method in ((thuy, "paper_form"), (hung, "on_screen"), (nam, "electronic"), (hoa, "on_screen")):
        reply = await system.post(f"/api/congresses/{cid}/delegates/{person['id']}/face/consent",
                                  json={"method": method}, headers=organiser)
        assert reply.status_code == 201, reply.text
    reply = await enrol(system, organiser, cid, thuy["id"], b"\xff\xd8 thuy 1", b"\xff\xd8 thuy 2", b"not a face")
    assert reply.status_code == 201 and [p["accepted"] for p in reply.json()["photos"]] == [True, True, False]
    assert reply.json()["lookalikes"] == []
    hung_reply = await enrol(system, organiser, cid, hung["id"], b"\xff\xd8 hung")
    assert hung_reply.status_code == 201  # told at once that this face is Thủy's too (a photo of the wrong person?)
    assert hung_reply.json()["lookalikes"] == [{"id": thuy["id"], "code": thuy["code"], "full_name": "Nguyễn Thị Thủy",
                                                 "delegation_name": "LĐLĐ huyện Lang Chánh"}]
    nam_reply = await enrol(system, organiser, cid, nam["id"], b"\xff\xd8 nam")
    assert nam_reply.status_code == 201 and nam_reply.json()["lookalikes"] == []
    withdrawn = await system.delete(f"/api/congresses/{cid}/delegates/{nam['id']}/face/consent", headers=organiser)
    assert withdrawn.json() == {"delegates": 1, "templates": 1}

    url = f"/api/congresses/{cid}/faces/delegates"
    reply = await system.get(url, headers=organiser)
    assert reply.status_code == 200, reply.text
    page = reply.json()
    assert page["total"] == 4
    rows = {row["full_name"]: row for row in page["items"]}
    assert all(set(row) == ROW_KEYS for row in page["items"])  # never a template, a photo or a distance
    assert "distance" not in reply.text and "encoding" not in reply.text
    assert [r["full_name"] for r in page["items"]] == ["Phạm Thị Hoa", "Trần Văn Hùng", "Lê Văn Nam", "Nguyễn Thị Thủy"]
    assert (rows["Nguyễn Thị Thủy"]["photos"], rows["Nguyễn Thị Thủy"]["lookalike"]) == (2, True)
    assert (rows["Trần Văn Hùng"]["photos"], rows["Trần Văn Hùng"]["lookalike"]) == (1, True)
    assert rows["Nguyễn Thị Thủy"]["consent"] and rows["Nguyễn Thị Thủy"]["consent_method"] == "paper_form"
    assert rows["Nguyễn Thị Thủy"]["consent_given_at"].endswith(("+00:00", "Z"))  # UTC with its offset
    assert rows["Nguyễn Thị Thủy"]["consent_recorded_by"].startswith("organiser:")
    assert not rows["Lê Văn Nam"]["consent"] and rows["Lê Văn Nam"]["consent_withdrawn_at"]
    assert (rows["Lê Văn Nam"]["photos"], rows["Lê Văn Nam"]["lookalike"]) == (0, False)
    assert (rows["Phạm Thị Hoa"]["consent"], rows["Phạm Thị Hoa"]["photos"]) == (True, 0)

    async def names(**query) -> list[str]:
        found = await system.get(url, params=query, headers=organiser)
        assert found.status_code == 200, found.text
        return [row["full_name"] for row in found.json()["items"]]

    assert await names(q="nguyen thi thuy") == ["Nguyễn Thị Thủy"]  # without diacritics, like the delegates page
    assert await names(q="lang chanh") == ["Phạm Thị Hoa", "Nguyễn Thị Thủy"]
    assert await names(q=thuy["code"]) == ["Nguyễn Thị Thủy"]
    assert await names(status="enrolled") == ["Trần Văn Hùng", "Nguyễn Thị Thủy"]
    assert await names(status="consented") == ["Phạm Thị Hoa"]
    assert await names(status="no_consent") == ["Lê Văn Nam"]
    assert await names(limit=1, offset=1) == ["Trần Văn Hùng"]

    overview = (await system.get(f"/api/congresses/{cid}/faces", headers=organiser)).json()
    assert (overview["consented"], overview["enrolled"], overview["templates"]) == (3, 2, 3)
    assert {overview["lookalikes"][0]["first"]["full_name"], overview["lookalikes"][0]["second"]["full_name"]} == {
        "Nguyễn Thị Thủy", "Trần Văn Hùng"}

    bad = await system.get(url, params={"status": "maybe"}, headers=organiser)
    assert bad.status_code == 422 and any(ord(ch) > 127 for ch in bad.json()["detail"])
    assert (await system.get(url, params={"limit": 0}, headers=organiser)).status_code == 422
    missing = await system.get("/api/congresses/khong-co/faces/delegates", headers=admin)
    assert missing.status_code == 404


async def test_a_zip_without_photos_is_refused_in_one_sentence(system, admin, congress) -> None:
    """The roster's .xlsx picked by mistake (it is a ZIP inside) is named as such, not listed part by part."""
    import io
    import zipfile

    import openpyxl

    workbook = io.BytesIO()
    openpyxl.Workbook().save(workbook)
    notes = io.BytesIO()
    with zipfile.ZipFile(notes, "w") as archive:
        archive.writestr("ghi-chu.txt", "Ảnh gửi sau")
    organiser = await make_organiser(system, admin, congress)
    url = f"/api/congresses/{congress}/faces/import"
    for content, words in ((workbook.getvalue(), "tệp Word/Excel"), (notes.getvalue(), "không có ảnh JPEG hoặc PNG")):
        reply = await system.post(url, files={"file": ("anh.zip", content, "application/zip")}, headers=organiser)
        assert reply.status_code == 422, reply.text
        assert words in reply.json()["detail"]
        assert "xml" not in reply.text
