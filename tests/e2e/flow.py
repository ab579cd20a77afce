"""The acceptance flow of the platform, run against any live system (embedded or distributed)."""
from __future__ import annotations

import asyncio

import httpx
from congress_checkin.domain.roster_import import write_delegate_workbook
from congress_checkin.domain.synthetic import synthetic_delegates

from congress_cli.live import open_stream

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def congress_flow(client: httpx.AsyncClient, base_url: str, delegates: int = 300) -> dict:
    """Create a congress, import the roster, check in by desk and by QR, watch attendance and the stream."""
    cid = (await client.post("/api/congresses", json={"name": "Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX",
                                                      "level": "province"})).json()["id"]
    files = {"file": ("danh-sach.xlsx", write_delegate_workbook(synthetic_delegates(delegates)), XLSX)}
    imported = await client.post(f"/api/congresses/{cid}/delegates/import", files=files)
    assert imported.json()["created"] == delegates, imported.text
    officials = (await client.get(f"/api/congresses/{cid}/delegates", params={"kind": "official", "limit": 1000})).json()
    before = (await client.get(f"/api/congresses/{cid}/attendance")).json()
    token = client.headers["authorization"].split()[1]
    async with open_stream(client, base_url, cid, token) as stream:
        desk = officials["items"][0]
        assert (await client.post(f"/api/congresses/{cid}/checkins", json={"delegate_id": desk["id"]})).status_code == 201
        qr_delegate = officials["items"][1]
        creds = (await client.get(f"/api/congresses/{cid}/delegates/{qr_delegate['id']}/credentials")).json()
        assert (await client.post(f"/api/congresses/{cid}/checkins", json={"qr": creds["qr"]})).status_code == 201
        assert (await client.post(f"/api/congresses/{cid}/checkins", json={"qr": creds["qr"]})).status_code == 200
        for delegate in (desk, qr_delegate):
            await stream.wait_for(lambda kind, data, d=delegate["id"]: kind == "delegate.checked_in"
                                  and data["payload"]["delegate_id"] == d and data["congress_id"] == cid)
    after = (await client.get(f"/api/congresses/{cid}/attendance")).json()
    assert before["present"] == 0 and after["present"] == 2
    assert after["summoned"] == officials["total"] and after["quorum_required"] == -(-2 * officials["total"] // 3)
    return {"cid": cid, "present_ids": {desk["id"], qr_delegate["id"]}}


async def read_models_caught_up(client: httpx.AsyncClient, cid: str, delegates: int, present: set[str]) -> None:
    for _ in range(100):
        seating = (await client.get(f"/api/congresses/{cid}/seating/delegates")).json()
        if len(seating) == delegates and {d["id"] for d in seating if d["present"]} == present:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"seating read model did not catch up: {len(seating)} delegates")
