"""``congress faces evaluate``: the production pipeline and policy on anyone's own photos.

Each folder holds one sub-folder per identity. Every gallery photo of an
identity is one of its enrolment photos (refused photos are reported, as the
console would); each probe file is one attempt, decided exactly as the kiosk
decides a burst (liveness aside: a file is a single still).
"""
from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .adapters.face_engine import FaceEngine
from .domain.faces.decision import FaceOutcome, FaceRules, decide
from .domain.faces.policy import Gallery, LookalikePair
from .domain.faces.quality import DEFAULT_PHOTO_RULES, PhotoRules, enrolment_sample
from .domain.faces.samples import ImageRefused

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
CATEGORIES = ("genuine_correct", "genuine_missed", "genuine_wrong", "impostor_accepted", "impostor_rejected")


@dataclass(frozen=True)
class ProbeResult:
    path: str
    identity: str
    outcome: FaceOutcome
    decided: str | None
    reason: str
    category: str


@dataclass
class Evaluation:
    enrolled: dict[str, int] = field(default_factory=dict)  # identity -> photos used
    refused: list[tuple[str, str]] = field(default_factory=list)  # (photo, reason)
    probes: list[ProbeResult] = field(default_factory=list)
    lookalikes: list[LookalikePair] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = Counter(p.category for p in self.probes)
        return {name: found.get(name, 0) for name in CATEGORIES}


def identity_files(root: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        files = sorted(f for f in folder.iterdir() if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES)
        if files:
            found[folder.name] = files
    return found


def category(identity: str, decided: str | None, enrolled: dict[str, int]) -> str:
    if identity in enrolled:
        if decided is None:
            return "genuine_missed"
        return "genuine_correct" if decided == identity else "genuine_wrong"
    return "impostor_rejected" if decided is None else "impostor_accepted"


async def evaluate(engine: FaceEngine, gallery_dir: Path, probes_dir: Path, rules: FaceRules,
                   photo_rules: PhotoRules = DEFAULT_PHOTO_RULES) -> Evaluation:
    result = Evaluation()
    encodings: dict[str, list] = {}
    for identity, files in identity_files(gallery_dir).items():
        outcomes = await asyncio.gather(*(engine.photo(f.read_bytes()) for f in files))
        for path, outcome in zip(files, outcomes, strict=True):
            try:
                encodings.setdefault(identity, []).append(enrolment_sample(outcome, photo_rules).encoding)
            except ImageRefused as exc:
                result.refused.append((str(path), str(exc)))
    gallery = Gallery({k: v for k, v in encodings.items() if v})
    result.enrolled = dict(gallery.photos)
    result.lookalikes = gallery.lookalikes(rules.policy)
    for identity, files in identity_files(probes_dir).items():
        outcomes = await asyncio.gather(*(engine.burst([f.read_bytes()], camera=False) for f in files))
        for path, frames in zip(files, outcomes, strict=True):
            decision = decide(frames, gallery, rules)
            decided = decision.delegate_id if decision.outcome is FaceOutcome.checked_in else None
            result.probes.append(ProbeResult(str(path.relative_to(probes_dir)), identity, decision.outcome, decided,
                                             decision.reason, category(identity, decided, result.enrolled)))
    return result
