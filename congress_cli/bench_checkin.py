"""``congress bench checkin``: face check-ins through the gateway against 1,100 enrolled delegates.

The real embedded system runs in a child process (``congress up``). The
gallery's identities are enrolled through the API with their photos (the
production path); the congress is then padded to 1,100 enrolled delegates
with synthetic templates (other people, 0.6-0.9 from every real face), sealed
with the system's key and written to its database, as enrolling 1,100 people
by photo would. Concurrent kiosks then send one 1280×720 JPEG per request.
Baseline, on the same frames in the same run: the naive face_recognition
pipeline as its README shows it (load_image_file, face_locations,
face_encodings, compare_faces against the 1,100 encodings), one frame at a time.
"""
from __future__ import annotations

import asyncio
import base64
import json
import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import cv2
import httpx
import numpy as np
import psutil
from rich.console import Console
from rich.table import Table

from .bench import ADMIN_PASSWORD, percentile
from .live import running_system

console = Console(stderr=True)
PADDED = 1100
FRAME = (1280, 720)


def identity_photos(root: Path) -> dict[str, list[Path]]:
    from congress_checkin.face_evaluation import identity_files

    return identity_files(root) if root.is_dir() else {}


def frame_720p(path: Path) -> bytes:
    """The photo letterboxed into a 1280×720 camera frame, as JPEG."""
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    scale = min(FRAME[0] / image.shape[1], FRAME[1] / image.shape[0])
    resized = cv2.resize(image, (round(image.shape[1] * scale), round(image.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    canvas = np.full((FRAME[1], FRAME[0], 3), 128, np.uint8)
    top, left = (FRAME[1] - resized.shape[0]) // 2, (FRAME[0] - resized.shape[1]) // 2
    canvas[top:top + resized.shape[0], left:left + resized.shape[1]] = resized
    return cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes()


async def _enrol(client: httpx.AsyncClient, gallery: dict[str, list[Path]]) -> tuple[str, dict[str, str]]:
    from congress_checkin.domain.roster_import import write_delegate_workbook
    from congress_checkin.domain.synthetic import synthetic_delegates

    token = (await client.post("/api/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD})).json()
    client.headers["authorization"] = f"Bearer {token['access_token']}"
    cid = (await client.post("/api/congresses", json={"name": "Đại hội đo hiệu năng FaceID", "level": "national"})).json()["id"]
    files = {"file": ("roster.xlsx", write_delegate_workbook(synthetic_delegates(PADDED)))}
    (await client.post(f"/api/congresses/{cid}/delegates/import", files=files)).raise_for_status()
    items = []
    while len(items) < PADDED:
        page = (await client.get(f"/api/congresses/{cid}/delegates", params={"limit": 500, "offset": len(items)})).json()
        items += page["items"]
    (await client.put(f"/api/congresses/{cid}/faces/settings", json={"liveness": False})).raise_for_status()
    for item in items:
        (await client.post(f"/api/congresses/{cid}/delegates/{item['id']}/face/consent",
                           json={"method": "paper_form", "note": "bench"})).raise_for_status()
    people = {}
    for (identity, photos), item in zip(gallery.items(), items, strict=False):
        upload = [("photos", (p.name, p.read_bytes(), "image/jpeg")) for p in photos]
        reply = await client.post(f"/api/congresses/{cid}/delegates/{item['id']}/face/photos", files=upload)
        reply.raise_for_status()
        people[identity] = item["id"]
    return cid, {"__padding__": json.dumps([i["id"] for i in items[len(people):]]), **people}


def _pad(database: Path, cid: str, delegate_ids: list[str], key: bytes, rng: np.random.Generator) -> None:
    """Synthetic templates for the rest of the congress: other people, far from every real face."""
    from congress_checkin.adapters.template_cipher import TemplateCipher

    cipher = TemplateCipher(key)
    with sqlite3.connect(database) as db:
        real = [cipher.open_encoding(s, cid, d) for d, s in db.execute(
            "SELECT delegate_id, sealed FROM face_templates WHERE congress_id = ?", (cid,))]
        now = time.strftime("%Y-%m-%d %H:%M:%S.000000")
        for delegate_id in delegate_ids:
            base = real[int(rng.integers(len(real)))]
            direction = rng.normal(size=128)
            encoding = base + direction / np.linalg.norm(direction) * rng.uniform(0.6, 0.9)
            db.execute("INSERT INTO face_templates (id, congress_id, delegate_id, sealed, photo, source, created_at, "
                       "created_by) VALUES (?, ?, ?, ?, NULL, 'station', ?, 'bench')",
                       (str(uuid.uuid4()), cid, delegate_id, cipher.seal_encoding(encoding, cid, delegate_id), now))
        db.execute("UPDATE face_settings SET gallery_version = gallery_version + 1 WHERE congress_id = ?", (cid,))


async def _fire(base_url: str, cid: str, kiosks: list[str], frames: list[tuple[str, bytes]], requests: int,
                people: dict[str, str]) -> tuple[list[float], float, dict[str, int]]:
    latencies: list[float] = []
    tally = {"correct": 0, "wrong": 0, "other": 0}
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)

    async def kiosk(token: str) -> None:
        async with httpx.AsyncClient(base_url=base_url, timeout=60, headers={"authorization": f"Bearer {token}"}) as c:
            while not queue.empty():
                identity, data = frames[queue.get_nowait() % len(frames)]
                started = time.perf_counter()
                reply = await c.post(f"/api/congresses/{cid}/checkins/face", files=[("image", ("f.jpg", data, "image/jpeg"))])
                latencies.append(time.perf_counter() - started)
                body = reply.json()
                decided = (body.get("delegate") or {}).get("id")
                tally["correct" if decided == people[identity] else "wrong" if decided else "other"] += 1

    for token in kiosks[:1]:  # warm the worker pool up
        async with httpx.AsyncClient(base_url=base_url, timeout=60, headers={"authorization": f"Bearer {token}"}) as c:
            for _ in range(4):
                await c.post(f"/api/congresses/{cid}/checkins/face", files=[("image", ("f.jpg", frames[0][1], "image/jpeg"))])
    started = time.perf_counter()
    await asyncio.gather(*(kiosk(t) for t in kiosks))
    return latencies, time.perf_counter() - started, tally


def _naive(frames: list[tuple[str, bytes]], known: np.ndarray, names: list[str], work: Path) -> tuple[list[float], int]:
    import face_recognition

    times, correct = [], 0
    for i, (identity, data) in enumerate(frames):
        path = work / f"naive-{i}.jpg"
        path.write_bytes(data)
        started = time.perf_counter()
        image = face_recognition.load_image_file(path)
        encodings = face_recognition.face_encodings(image, face_recognition.face_locations(image))
        matches = [names[j] for j, ok in enumerate(face_recognition.compare_faces(list(known), encodings[0])) if ok] \
            if encodings else []
        times.append(time.perf_counter() - started)
        correct += bool(encodings) and identity == names[int(np.argmin(face_recognition.face_distance(known, encodings[0])))] \
            and identity in matches
    return times, correct


def _rss_mb(pid: int) -> float:
    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


def run_checkin_bench(*, gallery_dir: Path, probes_dir: Path, kiosks: int, requests: int, json_output: bool) -> int:
    gallery, probes = identity_photos(gallery_dir), identity_photos(probes_dir)
    probe_files = [(i, p) for i, files in probes.items() if i in gallery for p in files]
    if not gallery or not probe_files:
        console.print(f"[red]no gallery/probe photos in {gallery_dir} / {probes_dir}[/]")
        return 2
    key = os.urandom(32)
    env = {"CONGRESS_ADMIN_PASSWORD": ADMIN_PASSWORD, "CONGRESS_RATE_LIMIT_API": "100000/second",
           "CONGRESS_FACE_KIOSK_PER_MINUTE": "1000000", "CONGRESS_FACE_KEY": base64.b64encode(key).decode(),
           "CONGRESS_BUS_NAMESPACE": f"bench-{uuid.uuid4().hex[:8]}"}
    frames = [(identity, frame_720p(path)) for identity, path in probe_files]
    with tempfile.TemporaryDirectory() as tmp, running_system(Path(tmp), env=env, timeout=120) as system:
        results = asyncio.run(_measure(system.base_url, Path(tmp), gallery, frames, kiosks, requests, key))
        results["rss_mb"] = round(_rss_mb(system.process.pid), 1)
    _report(results)
    if json_output:
        print(json.dumps({"bench": "checkin", **results}))
    return 0


async def _measure(base_url, work, gallery, frames, kiosks, requests, key) -> dict:
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        cid, people = await _enrol(client, gallery)
        padding = json.loads(people.pop("__padding__"))
        tokens = [(await client.post(f"/api/congresses/{cid}/kiosks", json={"name": f"Cổng {n + 1}"})).json()["token"]
                  for n in range(kiosks)]
    await asyncio.to_thread(_pad, work / "var" / "checkin.db", cid, padding, key, np.random.default_rng(20))
    single, _, _ = await _fire(base_url, cid, tokens[:1], frames, max(20, requests // 5), people)  # one kiosk alone
    latencies, elapsed, tally = await _fire(base_url, cid, tokens, frames, requests, people)
    known, names = await asyncio.to_thread(_known_encodings, work / "var" / "checkin.db", cid, key, people)
    naive, naive_correct = await asyncio.to_thread(_naive, frames, known, names, work)
    ms = [v * 1000 for v in latencies]
    naive_ms = statistics.median(naive) * 1000
    return {"enrolled": PADDED, "kiosks": kiosks, "requests": len(ms), "p50_ms": round(percentile(ms, 0.5), 1),
            "p95_ms": round(percentile(ms, 0.95), 1), "p99_ms": round(percentile(ms, 0.99), 1),
            "per_second": round(len(ms) / elapsed, 1), "naive_ms": round(naive_ms, 1),
            "single_kiosk_p50_ms": round(percentile([v * 1000 for v in single], 0.5), 1),
            "speedup": round(naive_ms / percentile([v * 1000 for v in single], 0.5), 2),
            "throughput_speedup": round(len(ms) / elapsed / (1000 / naive_ms), 2),
            "correct": tally["correct"], "wrong": tally["wrong"],
            "not_accepted": tally["other"], "naive_correct_of_frames": f"{naive_correct}/{len(frames)}",
            "accepted_of_requests": round(tally["correct"] / max(1, len(ms)), 3)}


def _known_encodings(database: Path, cid: str, key: bytes, people: dict[str, str]) -> tuple[np.ndarray, list[str]]:
    """The naive pipeline's known faces: one encoding per enrolled delegate (the 1,100), by identity name."""
    from congress_checkin.adapters.template_cipher import TemplateCipher

    cipher, by_id = TemplateCipher(key), {v: k for k, v in people.items()}
    seen: dict[str, np.ndarray] = {}
    with sqlite3.connect(database) as db:
        for delegate_id, sealed in db.execute("SELECT delegate_id, sealed FROM face_templates WHERE congress_id = ?", (cid,)):
            seen.setdefault(delegate_id, cipher.open_encoding(sealed, cid, delegate_id))
    names = [by_id.get(d, d) for d in seen]
    return np.array(list(seen.values())), names


def _report(results: dict) -> None:
    table = Table(title=f"face check-in through the gateway: {results['enrolled']} enrolled, {results['kiosks']} kiosks, "
                        "one 720p frame per request")
    columns = {"p50 ms": "p50_ms", "p95 ms": "p95_ms", "p99 ms": "p99_ms", "per second": "per_second",
               "1 kiosk p50 ms": "single_kiosk_p50_ms", "naive ms": "naive_ms", "speedup": "speedup",
               "throughput ×": "throughput_speedup", "wrong": "wrong", "RSS MB": "rss_mb"}
    for column in columns:
        table.add_column(column, justify="right")
    table.add_row(*(str(results[k]) for k in columns.values()))
    Console().print(table)
