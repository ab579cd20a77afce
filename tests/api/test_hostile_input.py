"""Hostile input against every route the merged OpenAPI lists: nothing reaches a handler it should not, nothing
answers 5xx, nothing costs more than a moment.

Routes and upload routes are read from ``/openapi.json`` at run time, so the routes other issues add (face
images, PDFs...) are covered as soon as they land. Tokens (wrong key, ``alg: none``, expired, revoked) are in
``test_tokens.py``; the gateway's streaming body limit in ``test_proxy.py``.
"""
from __future__ import annotations

import asyncio
import io
import re
import struct
import time
import zlib

import pytest
import pytest_asyncio

from tests.api.test_proxy import PeakRss
from tests.api.test_spreadsheet_safety import xlsx_bomb
from tests.asgi import raw_request
from tests.conftest import create_congress, create_random_delegate, embedded_client, login

pytestmark = pytest.mark.asyncio(loop_scope="module")
MB = 1024 * 1024
SEGMENT_ATTACKS = ["x%01y", "%00", "..%2F..%2Fmetrics", "%2e%2e", "a%2Fb", "..%5C..%5Cinternal"]
RAW_SEGMENT_ATTACKS = [b"x\x01y", b"..", b"."]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory):
    async for system in embedded_client(tmp_path_factory.mktemp("hostile")):
        admin = await login(system)
        cid = await create_congress(system, admin)
        await create_random_delegate(system, admin, cid)
        document = (await system.get("/openapi.json")).json()
        yield {"system": system, "admin": admin, "cid": cid, "paths": document["paths"]}


def _segments(path: str) -> list[str]:
    return path.strip("/").split("/")


def _filled(path: str, cid: str) -> list[str]:
    return [cid if s == "{cid}" else ("x1" if s.startswith("{") else s) for s in _segments(path)]


async def test_every_segment_of_every_route_refuses_control_characters_and_traversal(world):
    """Each segment of each route, replaced in turn by an encoded control character or traversal: a 400."""
    system, wrong, sent = world["system"], [], 0
    for path, item in world["paths"].items():
        method = next(m for m in ("get", "post", "put", "patch", "delete") if m in item).upper()
        segments = _filled(path, world["cid"])
        for at in range(1, len(segments)):  # the first is "api"
            for attack in SEGMENT_ATTACKS:
                target = "/" + "/".join([*segments[:at], attack, *segments[at + 1:]])
                reply = await system.request(method, target, headers=world["admin"])
                sent += 1
                if reply.status_code != 400:
                    wrong.append((method, target, reply.status_code))
            for attack in RAW_SEGMENT_ATTACKS:
                raw = "/".join([*segments[:at]]).encode() + b"/" + attack + b"/" + "/".join(segments[at + 1:]).encode()
                reply = await raw_request(system.app, method, b"/" + raw, headers=[("authorization", world["admin"][
                    "authorization"])])
                sent += 1
                if reply.status != 400:
                    wrong.append((method, raw, reply.status))
    assert sent > 500 and wrong == [], wrong[:10]


def _upload_routes(paths: dict) -> list[tuple[str, str, str]]:
    """(method, path, file field) of every operation that takes a multipart file."""
    found = []
    for path, item in paths.items():
        for method, operation in item.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            schema = content.get("multipart/form-data", {}).get("schema")
            if schema is None:
                continue
            field = "file"
            ref = schema.get("$ref", "")
            found.append((method.upper(), path, field if not ref else ref.rsplit("/", 1)[-1]))
    return found


def _file_field(paths: dict, components: dict, path: str, method: str) -> str:
    schema = paths[path][method.lower()]["requestBody"]["content"]["multipart/form-data"]["schema"]
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    for name, spec in schema.get("properties", {}).items():
        flat = [spec, *spec.get("anyOf", []), *(spec.get("items", {}),)]
        if any(s.get("format") == "binary" or s.get("contentMediaType") for s in flat if isinstance(s, dict)):
            return name
    return "file"


def png_bomb(side: int = 30000) -> bytes:
    """A valid PNG of side×side black pixels (900 Mpx) in a few hundred KB."""
    raw = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * side
    body = b"".join(raw.compress(row) for _ in range(side)) + raw.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)) + \
        chunk(b"IDAT", body) + chunk(b"IEND", b"")


def pdf_bomb(expanded_mb: int = 300) -> bytes:
    """A PDF whose one content stream inflates to ``expanded_mb`` MB."""
    squeezer = zlib.compressobj(9)
    stream = b"".join(squeezer.compress(b"0" * MB) for _ in range(expanded_mb)) + squeezer.flush()
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
              b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n")
    out.write(b"4 0 obj<</Length %d/Filter/FlateDecode>>stream\n" % len(stream) + stream + b"\nendstream endobj\n")
    out.write(b"trailer<</Root 1 0 R>>\n%%EOF\n")
    return out.getvalue()


BOMBS = {"xlsx zip bomb": (lambda: xlsx_bomb(200), "bom.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
         "png pixel bomb": (png_bomb, "anh.png", "image/png"),
         "pdf stream bomb": (pdf_bomb, "tai-lieu.pdf", "application/pdf")}


async def test_every_upload_route_survives_bombs_and_oversize(world):
    """Each multipart route (found in the OpenAPI) gets each bomb and an oversized body: never a 5xx, each answered
    within 10 s, the process growing less than 400 MB overall, a declared 500 MB body a 413 at once."""
    system, admin = world["system"], world["admin"]
    document = (await system.get("/openapi.json")).json()
    components = document.get("components", {}).get("schemas", {})
    routes = _upload_routes(world["paths"])
    assert routes, "the roster import at least takes a file"
    payloads = {name: (make(), filename, media) for name, (make, filename, media) in BOMBS.items()}
    wrong, slow = [], []
    with PeakRss() as rss:
        await _bomb_every_route(system, admin, world, components, routes, payloads, wrong, slow)
    assert wrong == [] and slow == [], (wrong, slow)
    assert rss.growth_mb < 400, f"the process grew {rss.growth_mb:.0f} MB"


async def _bomb_every_route(system, admin, world, components, routes, payloads, wrong, slow) -> None:
    for method, path, _ in routes:
        url = "/" + "/".join(_filled(path, world["cid"]))
        field = _file_field(world["paths"], components, path, method)
        for name, (data, filename, media) in payloads.items():
            started = time.perf_counter()
            reply = await system.request(method, url, headers=admin, files={field: (filename, data, media)},
                                         data={"title": "Tài liệu", "name": "Hội trường"})
            took = time.perf_counter() - started
            if reply.status_code >= 500:  # a 2xx is fine where the route copes (a face import refusing each entry)
                wrong.append((method, path, name, reply.status_code, reply.text[:120]))
            if took > 10:
                slow.append((method, path, name, round(took, 1)))
        big = await system.request(method, url, headers={**admin, "content-type": "multipart/form-data; boundary=x",
                                                         "content-length": str(500 * MB)}, content=b"--x--")
        if big.status_code != 413:
            wrong.append((method, path, "declared 500 MB", big.status_code))


async def test_control_characters_in_names_do_not_break_exports(world):
    """Found by the fuzzer: a name holding \\x0f made every .xlsx export of the congress a 500."""
    system, admin, cid = world["system"], world["admin"], world["cid"]
    reply = await system.post(f"/api/congresses/{cid}/delegates", headers=admin, json={
        "full_name": "Lò Văn\x0f Pọm\x01", "delegation": "LĐLĐ huyện\x1f Mường Lát"})
    assert reply.status_code in (201, 422), reply.text
    exports = [p for p in world["paths"] if re.search(r"\.xlsx$", p) and "template" not in p]
    replies = await asyncio.gather(*(system.get("/" + "/".join(_filled(p, cid)), headers=admin) for p in exports))
    statuses = {p: r.status_code for p, r in zip(exports, replies, strict=True)}
    assert exports and set(statuses.values()) == {200}, statuses
