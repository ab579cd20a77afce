"""FaceID through the gateway: consent, enrolment, face check-in, liveness, 1:1 with the badge, not-me, purge, bad input.

The real engine (face_recognition/dlib in worker processes) on public-domain faces that ship
inside PyPI packages, so these run anywhere; decision rules on unknown faces are in the unit tests.
"""
from __future__ import annotations

import json
import os

import httpx
from congress_checkin.adapters.orm import OUTBOX
from sqlalchemy import select

from tests.conftest import create_congress, create_random_delegate, make_kiosk
from tests.face_photos import astronaut_rgb, grace_hopper_rgb, jpeg, png, shifted


def checkin_service(system: httpx.AsyncClient):
    return system.app.state.services["checkin"]


async def events(system: httpx.AsyncClient, cid: str) -> list[dict]:
    runtime = checkin_service(system).state.runtime
    async with runtime.sessionmaker() as session:
        rows = await session.execute(select(OUTBOX.c.type, OUTBOX.c.envelope).where(OUTBOX.c.congress_id == cid)
                                     .order_by(OUTBOX.c.id))
    return [{"type": t, **json.loads(e)} for t, e in rows]


def frames(*images: bytes) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("image", (f"f{i}.jpg", data, "image/jpeg")) for i, data in enumerate(images)]


async def enrol(system, headers, cid, delegate_id, *photos: bytes) -> httpx.Response:
    files = [("photos", (f"anh{i}.jpg", p, "image/jpeg")) for i, p in enumerate(photos)]
    return await system.post(f"/api/congresses/{cid}/delegates/{delegate_id}/face/photos", files=files, headers=headers)


async def test_enrol_then_check_in_by_face_at_a_kiosk(system, admin, congress) -> None:
    cid = congress
    collins = await create_random_delegate(system, admin, cid, full_name="Nguyễn Thị Thủy")
    hopper = await create_random_delegate(system, admin, cid, full_name="Trần Văn Hùng")
    kiosk = await make_kiosk(system, admin, cid)
    face = jpeg(astronaut_rgb())

    refused = await enrol(system, admin, cid, collins["id"], face)
    assert refused.status_code == 409 and "đồng ý" in refused.json()["detail"]  # no template before consent
    for person in (collins, hopper):
        reply = await system.post(f"/api/congresses/{cid}/delegates/{person['id']}/face/consent",
                                  json={"method": "paper_form", "note": "Phiếu đồng ý số 12"}, headers=admin)
        assert reply.status_code == 201, reply.text
    blurred = jpeg(cv2_blur(astronaut_rgb()))
    reply = await enrol(system, admin, cid, collins["id"], face, jpeg(shifted(astronaut_rgb(), 8, 4)), blurred)
    assert reply.status_code == 201, reply.text
    assert [p["accepted"] for p in reply.json()["photos"]] == [True, True, False]
    assert "mờ" in reply.json()["photos"][2]["message"]
    assert (await enrol(system, admin, cid, hopper["id"], jpeg(grace_hopper_rgb()))).status_code == 201

    # liveness is on by default: a burst of one still picture is refused
    spoof = await system.post(f"/api/congresses/{cid}/checkins/face", files=frames(face, face, face), headers=kiosk)
    assert spoof.status_code == 200 and spoof.json()["outcome"] == "spoof_suspected", spoof.text
    assert spoof.json()["challenge"] and spoof.json()["challenge_prompt"].startswith("Hãy")

    await system.put(f"/api/congresses/{cid}/faces/settings", json={"liveness": False}, headers=admin)
    burst = frames(*(jpeg(shifted(astronaut_rgb(), dx, 0)) for dx in (0, 6, 12)))
    reply = await system.post(f"/api/congresses/{cid}/checkins/face", files=burst, headers=kiosk)
    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert body["outcome"] == "checked_in" and body["method"] == "face"
    assert body["delegate"]["full_name"] == "Nguyễn Thị Thủy"
    assert "distance" not in reply.text and "encoding" not in reply.text
    again = await system.post(f"/api/congresses/{cid}/checkins/face", files=burst, headers=kiosk)
    assert again.json()["outcome"] == "already_checked_in"
    attendance = (await system.get(f"/api/congresses/{cid}/attendance", headers=admin)).json()
    assert attendance["present"] == 1

    # "Không phải tôi": undone at once, and the same face is then asked for the badge
    undone = await system.post(f"/api/congresses/{cid}/checkins/{body['checkin_id']}/not-me", headers=kiosk)
    assert undone.status_code == 200 and undone.json()["revoked_at"]
    retry = await system.post(f"/api/congresses/{cid}/checkins/face", files=burst, headers=kiosk)
    assert retry.json()["outcome"] == "unsure_show_badge"
    # ... the badge plus the face checks in (1:1); the badge with someone else's face does not
    creds = (await system.get(f"/api/congresses/{cid}/delegates/{collins['id']}/credentials", headers=admin)).json()
    other = await system.post(f"/api/congresses/{cid}/checkins/face", data={"qr": creds["qr"]},
                              files=frames(jpeg(grace_hopper_rgb())), headers=kiosk)
    assert other.json()["outcome"] == "unknown"
    both = await system.post(f"/api/congresses/{cid}/checkins/face", data={"qr": creds["qr"]}, files=burst, headers=kiosk)
    assert both.status_code == 201 and both.json()["method"] == "qr_face"

    types = [e["type"] for e in await events(system, cid)]
    assert types.count("delegate.face_enrolled") == 2
    methods = [e["payload"]["method"] for e in await events(system, cid) if e["type"] == "delegate.checked_in"]
    assert methods == ["face", "qr_face"]
    for event in await events(system, cid):
        if event["type"].startswith("delegate.face_"):
            assert set(event["payload"]) == {"delegate_id"}  # ids only

    # purge: every template goes, the kiosk no longer knows anyone
    purged = await system.post(f"/api/congresses/{cid}/faces/purge", headers=admin)
    assert purged.json() == {"delegates": 2, "templates": 3}
    after = await system.post(f"/api/congresses/{cid}/checkins/face", files=frames(jpeg(grace_hopper_rgb())), headers=kiosk)
    assert after.json()["outcome"] == "unknown"
    removed = [e for e in await events(system, cid) if e["type"] == "delegate.face_removed"]
    assert sorted(e["payload"]["delegate_id"] for e in removed) == sorted([collins["id"], hopper["id"]])


def cv2_blur(rgb):
    import cv2

    return cv2.GaussianBlur(rgb, (0, 0), 3)


async def test_bad_input_is_a_clear_4xx_in_vietnamese(system, admin, congress) -> None:
    cid = congress
    kiosk = await make_kiosk(system, admin, cid)
    good = jpeg(astronaut_rgb())
    url = f"/api/congresses/{cid}/checkins/face"
    cases = {
        "truncated": frames(good[: len(good) // 3]),
        "png with alpha": [("image", ("a.png", png(astronaut_rgb(), "RGBA"), "image/png"))],
        "pdf named .jpg": [("image", ("a.jpg", b"%PDF-1.4\n%...", "image/jpeg"))],
        "empty part": frames(b""),
        "40 frames": frames(*([good] * 40)),
    }
    for name, files in cases.items():
        reply = await system.post(url, files=files, headers=kiosk)
        assert 400 <= reply.status_code < 500, (name, reply.status_code, reply.text)
        detail = reply.json()["detail"]
        assert isinstance(detail, str) and any(ord(ch) > 127 for ch in detail), (name, detail)  # Vietnamese
    assert (await system.post(url, headers=kiosk)).status_code == 422  # no body at all
    big = await system.post(url, files=frames(b"\xff\xd8\xff" + b"\0" * (3 * 1024 * 1024)), headers=kiosk)
    assert big.status_code == 422 and "quá lớn" in big.json()["detail"]
    other = await create_congress(system, admin)
    foreign = await system.post(f"/api/congresses/{other}/checkins/face", files=frames(good), headers=kiosk)
    assert foreign.status_code == 403
    fine = await system.post(url, files=frames(good), headers=kiosk)
    assert fine.status_code == 200 and fine.json()["outcome"] in {"unknown", "spoof_suspected"}  # no worker lost


def test_the_purge_command_deletes_a_congress_s_templates(tmp_path) -> None:
    import asyncio
    import subprocess
    import sys

    from tests.conftest import embedded_client, login

    async def enrolled() -> str:
        found = ""
        async for system in embedded_client(tmp_path):  # runs to its end, so the system stops before the command
            headers = await login(system)
            cid = await create_congress(system, headers)
            person = await create_random_delegate(system, headers, cid)
            await system.post(f"/api/congresses/{cid}/delegates/{person['id']}/face/consent",
                              json={"method": "on_screen"}, headers=headers)
            assert (await enrol(system, headers, cid, person["id"], jpeg(grace_hopper_rgb()))).status_code == 201
            found = cid
        return found

    cid = asyncio.run(enrolled())
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("CONGRESS_")}  # embedded files
    done = subprocess.run([sys.executable, "-m", "congress_cli", "faces", "purge", "--congress", cid,
                           "--data-dir", str(tmp_path)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Đã xóa 1 mẫu khuôn mặt của 1 đại biểu" in done.stdout
    again = subprocess.run([sys.executable, "-m", "congress_cli", "faces", "purge", "--congress", cid,
                            "--data-dir", str(tmp_path)], capture_output=True, text=True, timeout=120, env=env)
    assert "Đã xóa 0 mẫu" in again.stdout


def fake_sample(seed: int):
    import numpy as np
    from congress_checkin.domain.faces.samples import FaceSample, FrameOutcome

    rng = np.random.default_rng(seed)
    return FrameOutcome(sample=FaceSample(
        box=(100, 100, 300, 300), frame_size=(640, 480), faces=1, sharpness=400.0, yaw=0.0, eye_openness=0.3,
        landmarks=rng.uniform(100, 300, (68, 2)).astype("float32"), thumbnail=rng.uniform(0, 255, (48, 64)).astype("float32"),
        encoding=(rng.normal(size=128) * 0.06).astype("float32")))


async def test_closing_the_congress_purges_its_faces(system, admin, congress) -> None:
    from congress_checkin.adapters.face_engine import FakeFaceEngine

    cid = congress
    photo = b"\xff\xd8\xff fake photo of one delegate"
    checkin_service(system).state.faces.engine = FakeFaceEngine({photo: fake_sample(1)})
    person = await create_random_delegate(system, admin, cid)
    await system.post(f"/api/congresses/{cid}/delegates/{person['id']}/face/consent", json={"method": "electronic"},
                      headers=admin)
    assert (await enrol(system, admin, cid, person["id"], photo)).status_code == 201
    assert (await system.get(f"/api/congresses/{cid}/faces", headers=admin)).json()["templates"] == 1
    assert (await system.post(f"/api/congresses/{cid}/close", headers=admin)).status_code == 200
    overview = (await system.get(f"/api/congresses/{cid}/faces", headers=admin)).json()
    assert (overview["templates"], overview["enrolled"]) == (0, 0)
    types = [e["type"] for e in await events(system, cid)]
    assert types.index("delegate.face_removed") < types.index("congress.closed")  # one transaction, purge first
    refused = await enrol(system, admin, cid, person["id"], photo)
    assert refused.status_code == 409 and "bế mạc" in refused.json()["detail"]


async def test_a_queued_qr_check_in_replayed_counts_once_even_after_an_undo(system, admin, congress) -> None:
    cid = congress
    person = await create_random_delegate(system, admin, cid)
    kiosk = await make_kiosk(system, admin, cid)
    qr = (await system.get(f"/api/congresses/{cid}/delegates/{person['id']}/credentials", headers=admin)).json()["qr"]
    body = {"qr": qr, "idempotency_key": "kiosk-a-000001"}
    first = await system.post(f"/api/congresses/{cid}/checkins", json=body, headers=kiosk)
    assert first.status_code == 201, first.text
    await system.post(f"/api/congresses/{cid}/checkins/{first.json()['id']}/revoke", json={"reason": "Quét nhầm"},
                      headers=admin)
    replay = await system.post(f"/api/congresses/{cid}/checkins", json=body, headers=kiosk)  # the queue sends it again
    assert replay.status_code == 200 and replay.json()["id"] == first.json()["id"] and replay.json()["revoked_at"]
    assert (await system.get(f"/api/congresses/{cid}/attendance", headers=admin)).json()["present"] == 0
    fresh = await system.post(f"/api/congresses/{cid}/checkins", json={**body, "idempotency_key": "kiosk-a-000002"},
                              headers=kiosk)
    assert fresh.status_code == 201


async def test_a_badge_read_from_the_kiosk_camera_checks_in_a_delegate_without_face(system, admin, congress) -> None:
    import io

    import numpy as np
    from congress_common.pdf import qr_png
    from PIL import Image

    cid = congress
    person = await create_random_delegate(system, admin, cid)
    kiosk = await make_kiosk(system, admin, cid)
    qr = (await system.get(f"/api/congresses/{cid}/delegates/{person['id']}/credentials", headers=admin)).json()["qr"]
    badge = np.asarray(Image.open(io.BytesIO(qr_png(qr, scale=6))).convert("RGB"))
    frame = np.full((720, 1280, 3), 200, np.uint8)
    frame[200:200 + badge.shape[0], 500:500 + badge.shape[1]] = badge  # the badge held up at arm's length
    reply = await system.post(f"/api/congresses/{cid}/checkins/face", data={"badge": "true"},
                              files=frames(jpeg(frame)), headers=kiosk)
    assert reply.status_code == 201, reply.text
    assert (reply.json()["method"], reply.json()["delegate"]["id"]) == ("qr", person["id"])
    blank = await system.post(f"/api/congresses/{cid}/checkins/face", data={"badge": "true"},
                              files=frames(jpeg(np.full((720, 1280, 3), 90, np.uint8))), headers=kiosk)
    assert blank.json()["outcome"] == "unknown" and "QR" in blank.json()["message"]
