"""``congress faces evaluate`` on the shared face photos: the production pipeline and policy, end to end.

Runs in CI (the photos are in ../shared/faces, never in the repository). The policy must make no
wrong identity and accept no impostor (lin_manuel_miranda is not in the gallery).
"""
from __future__ import annotations

import json
import subprocess
import sys

from tests.face_photos import shared_faces


def test_evaluate_on_the_shared_photos_makes_no_wrong_identity_and_no_impostor() -> None:
    faces = shared_faces()
    done = subprocess.run([sys.executable, "-m", "congress_cli", "faces", "evaluate", "--gallery", str(faces / "gallery"),
                           "--probes", str(faces / "probes"), "--json"], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["genuine_wrong"] == 0 and summary["impostor_accepted"] == 0, summary
    assert summary["impostor_rejected"] == 1 and summary["enrolled"] == 5
    assert summary["genuine_correct"] >= 11, summary  # 13 genuine probes, a few small or partial faces
    assert summary["threshold"] == 0.38 and summary["lookalike_pairs"] == 0
    assert "obama-720p.jpg" in done.stdout and "impostor_rejected" in done.stdout
