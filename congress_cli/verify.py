"""``congress verify``: after an incident, compare each service's read model with the source of truth.

The check-in service owns the roster and who is present; the seating and
documents services each keep a read model of it, built from its events. This
reads all three through the gateway (as an admin) for every congress, or the
ones named, and prints every difference: a delegate missing from a read model
or present there without being on the roster, or a field that disagrees.
The exit code is 1 when there is any.
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, dataclass

import httpx

FIELDS = ("full_name", "delegation_name", "kind", "present")
READ_MODELS = {"seating": "/seating/delegates", "documents": "/documents/audience"}


@dataclass(frozen=True)
class Difference:
    congress_id: str
    service: str
    delegate_id: str
    full_name: str
    field: str  # a field name, or "missing" / "unknown" for a delegate absent on one side
    truth: object
    read_model: object

    def line(self) -> str:
        who = f"{self.full_name} ({self.delegate_id})"
        if self.field == "missing":
            return f"{self.service}: thiếu đại biểu {who}"
        if self.field == "unknown":
            return f"{self.service}: có đại biểu {who} không có trong danh sách gốc"
        return f"{self.service}: {who}: {self.field} là {self.truth!r} ở điểm danh, {self.read_model!r} ở {self.service}"


async def _truth(client: httpx.AsyncClient, cid: str) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    while True:
        page = (await client.get(f"/api/congresses/{cid}/delegates", params={"limit": 1000, "offset": len(rows)},
                                 timeout=60)).raise_for_status().json()
        for item in page["items"]:
            rows[item["id"]] = {**{f: item.get(f) for f in FIELDS[:3]}, "present": bool(item["checked_in"])}
        if not page["items"] or len(rows) >= page["total"]:
            return rows


async def _read_model(client: httpx.AsyncClient, cid: str, service: str) -> dict[str, dict]:
    body = (await client.get(f"/api/congresses/{cid}{READ_MODELS[service]}", timeout=60)).raise_for_status().json()
    items = body["readers"] if service == "documents" else body
    return {item["id"]: {f: item.get(f) for f in FIELDS} for item in items}


def compare(cid: str, service: str, truth: dict[str, dict], model: dict[str, dict]) -> list[Difference]:
    out = [Difference(cid, service, i, row["full_name"], "missing", True, False) for i, row in truth.items()
           if i not in model]
    out += [Difference(cid, service, i, row["full_name"], "unknown", False, True) for i, row in model.items()
            if i not in truth]
    for delegate_id in truth.keys() & model.keys():
        expected, got = truth[delegate_id], model[delegate_id]
        out += [Difference(cid, service, delegate_id, expected["full_name"], f, expected[f], got[f])
                for f in FIELDS if expected[f] != got[f]]
    return out


async def congress_differences(client: httpx.AsyncClient, cid: str) -> list[Difference]:
    truth, *models = await asyncio.gather(_truth(client, cid), *(_read_model(client, cid, s) for s in READ_MODELS))
    return [d for service, model in zip(READ_MODELS, models, strict=True) for d in compare(cid, service, truth, model)]


async def verify(base_url: str, username: str, password: str, congress_ids: list[str]) -> dict[str, list[Difference]]:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        reply = await client.post("/api/auth/token", data={"username": username, "password": password})
        reply.raise_for_status()
        client.headers["authorization"] = f"Bearer {reply.json()['access_token']}"
        if not congress_ids:
            congress_ids = [c["id"] for c in (await client.get("/api/congresses")).raise_for_status().json()]
        return {cid: await congress_differences(client, cid) for cid in congress_ids}


def run_verify(base_url: str, username: str, password: str, congress_ids: list[str], json_output: bool) -> int:
    found = asyncio.run(verify(base_url, username, password, congress_ids))
    total = sum(len(v) for v in found.values())
    for cid, differences in found.items():
        print(f"Đại hội {cid}: {'khớp' if not differences else f'{len(differences)} chỗ lệch'}")
        for difference in differences:
            print(f"  {difference.line()}")
    print(f"{len(found)} đại hội, {total} chỗ lệch giữa các mô hình đọc và dữ liệu gốc")
    if json_output:
        print(json.dumps({"congresses": len(found), "differences": [asdict(d) for v in found.values() for d in v]},
                         ensure_ascii=False))
    return 1 if total else 0
