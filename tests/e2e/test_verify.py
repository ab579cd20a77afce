"""`congress verify` against a live embedded system: silent when the read models agree, and exit 1 with
each difference when one was damaged behind the services' backs (as a lost event would leave it)."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import httpx
import pytest

from congress_cli.live import running_system
from tests.conftest import ADMIN_PASSWORD
from tests.e2e.conftest import system_env

pytestmark = pytest.mark.e2e


def congress_verify(base_url: str) -> tuple[int, dict, str]:
    done = subprocess.run([sys.executable, "-m", "congress_cli", "verify", "--url", base_url, "--json"],
                          capture_output=True, text=True, timeout=120,
                          env={"CONGRESS_ADMIN_PASSWORD": ADMIN_PASSWORD, "PATH": "/usr/bin:/bin"})
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1]), done.stdout


def test_verify_reports_each_difference_between_read_models_and_the_roster(tmp_path):
    with running_system(tmp_path, env=system_env()) as system:
        token = httpx.post(f"{system.base_url}/api/auth/token",
                           data={"username": "admin", "password": ADMIN_PASSWORD}).json()["access_token"]
        with httpx.Client(base_url=system.base_url, headers={"authorization": f"Bearer {token}"}) as client:
            cid = client.post("/api/congresses", json={"name": "Đại hội CĐCS Công ty Xi măng Nghi Sơn"}).json()["id"]
            people = [client.post(f"/api/congresses/{cid}/delegates", json={
                "full_name": name, "delegation": "Công đoàn Phân xưởng Lò nung", "kind": "official"}).json()
                for name in ("Nguyễn Thị Thủy", "Lê Văn Bình", "Trịnh Hoài Nam")]
            assert client.post(f"/api/congresses/{cid}/checkins", json={"delegate_id": people[0]["id"]}).status_code == 201

        code, report, _ = congress_verify(system.base_url)
        assert (code, report["differences"]) == (0, [])

        with sqlite3.connect(tmp_path / "var" / "seating.db") as db:  # as if an event had been lost
            db.execute("UPDATE known_delegates SET present = 0 WHERE id = ?", (people[0]["id"],))
        with sqlite3.connect(tmp_path / "var" / "documents.db") as db:
            db.execute("DELETE FROM known_delegates WHERE id = ?", (people[2]["id"],))
        code, report, text = congress_verify(system.base_url)

    assert code == 1
    found = {(d["service"], d["delegate_id"], d["field"], d["truth"], d["read_model"]) for d in report["differences"]}
    assert found == {("seating", people[0]["id"], "present", True, False),
                     ("documents", people[2]["id"], "missing", True, False)}
    assert "thiếu đại biểu Trịnh Hoài Nam" in text and "2 chỗ lệch" in text
