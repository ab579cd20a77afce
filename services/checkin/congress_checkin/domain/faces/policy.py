"""The decision policy: who a burst of face encodings is, or "show your badge".

dlib's encoder puts many East and South-East Asian faces close together (the
closest pair of ten distinct young men at 0.41, photos of one man 0.31-0.53
apart), so no single threshold is safe. Checking in the wrong person is far
worse than a miss, so a face is accepted alone only when every one of these
holds:

1. **strict distance**: the burst's mean encoding is within ``accept_distance``
   (0.38, not the library's 0.6) of the delegate's template, the mean of their
   enrolment encodings (several photos: the noise of one photo averages out);
2. **margin**: the second-nearest delegate is at least ``margin`` farther (an
   impostor sits close to many enrolled faces, a genuine probe much closer to one);
3. **agreement**: every encoded frame of the burst has the same nearest delegate;
4. **look-alike guard**: the delegate's nearest other enrolled delegate is at
   least ``lookalike_distance`` away. The guard measures the gallery's own
   density: where dlib crowds a population together, its delegates are
   look-alikes and check in with badge + face (1:1), whatever the threshold.

1:1 (badge + face) accepts the badge's delegate when the burst is within
``verify_distance`` of their template *and* no other enrolled delegate is
nearer (the rest of the gallery is the cohort an impostor would sit among).
Anything else within ``unsure_distance`` is "show your badge"; beyond it, unknown.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np


@dataclass(frozen=True)
class FacePolicy:
    accept_distance: float = 0.38
    margin: float = 0.10
    lookalike_distance: float = 0.45
    verify_distance: float = 0.40
    unsure_distance: float = 0.55


class Verdict(StrEnum):
    accept = "accept"
    unsure = "unsure"
    unknown = "unknown"


class Reason(StrEnum):
    """Why a burst was not accepted; for the audit trail, never with a distance."""

    matched = "matched"
    empty_gallery = "empty_gallery"
    too_far = "too_far"
    no_margin = "no_margin"
    frames_disagree = "frames_disagree"
    lookalike = "lookalike"
    not_enrolled = "not_enrolled"
    other_nearer = "other_nearer"


@dataclass(frozen=True)
class Match:
    verdict: Verdict
    reason: Reason
    delegate_id: str | None = None  # accepted delegate; for "unsure", the nearest (never shown to the kiosk)
    distance: float | None = None  # stays in memory: never logged, stored, published or sent


@dataclass(frozen=True)
class LookalikePair:
    first: str
    second: str
    distance: float


def distances(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    return np.linalg.norm(matrix - vector[None, :], axis=1)


class Gallery:
    """The enrolled delegates of one congress: one template each and their nearest enrolled neighbour."""

    def __init__(self, encodings: Mapping[str, Sequence[np.ndarray]]) -> None:
        self.ids = [delegate for delegate, found in encodings.items() if len(found)]
        self.index = {delegate: i for i, delegate in enumerate(self.ids)}
        self.photos = {delegate: len(encodings[delegate]) for delegate in self.ids}
        dim = len(next(iter(encodings[self.ids[0]]))) if self.ids else 128
        self.templates = (np.array([np.mean(np.asarray(encodings[d], np.float64), axis=0) for d in self.ids])
                          if self.ids else np.zeros((0, dim)))
        self.neighbour, self.neighbour_distance = self._neighbours()

    def __len__(self) -> int:
        return len(self.ids)

    def _neighbours(self) -> tuple[np.ndarray, np.ndarray]:
        count = len(self.ids)
        if count < 2:
            return np.full(count, -1), np.full(count, np.inf)
        squared = (self.templates ** 2).sum(axis=1)
        pairwise = np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * self.templates @ self.templates.T, 0))
        np.fill_diagonal(pairwise, np.inf)
        nearest = pairwise.argmin(axis=1)
        return nearest, pairwise[np.arange(count), nearest]

    def lookalikes(self, policy: FacePolicy) -> list[LookalikePair]:
        """Pairs of delegates closer than the guard: never accepted by face alone (listed to the organisers)."""
        pairs: dict[tuple[str, str], float] = {}
        for i, j in enumerate(self.neighbour):
            if j >= 0 and self.neighbour_distance[i] < policy.lookalike_distance:
                key = tuple(sorted((self.ids[i], self.ids[int(j)])))
                pairs[key] = float(self.neighbour_distance[i])  # type: ignore[index]
        return [LookalikePair(a, b, d) for (a, b), d in sorted(pairs.items(), key=lambda item: item[1])]

    def is_lookalike(self, delegate_id: str, policy: FacePolicy) -> bool:
        i = self.index[delegate_id]
        return bool(self.neighbour_distance[i] < policy.lookalike_distance)


def burst_encoding(encodings: Sequence[np.ndarray]) -> np.ndarray:
    return np.mean(np.asarray(encodings, np.float64), axis=0)


def identify(gallery: Gallery, encodings: Sequence[np.ndarray], policy: FacePolicy) -> Match:
    """1:N: the one delegate this burst is, or unsure/unknown with the reason."""
    if not len(gallery):
        return Match(Verdict.unknown, Reason.empty_gallery)
    found = distances(gallery.templates, burst_encoding(encodings))
    order = np.argsort(found)
    nearest, d1 = gallery.ids[order[0]], float(found[order[0]])
    d2 = float(found[order[1]]) if len(order) > 1 else np.inf
    if d1 > policy.unsure_distance:
        return Match(Verdict.unknown, Reason.too_far, distance=d1)
    unsure = _first_doubt(gallery, encodings, nearest, d1, d2, policy)
    if unsure is not None:
        return Match(Verdict.unsure, unsure, nearest, d1)
    return Match(Verdict.accept, Reason.matched, nearest, d1)


def _first_doubt(gallery: Gallery, encodings: Sequence[np.ndarray], nearest: str, d1: float, d2: float,
                 policy: FacePolicy) -> Reason | None:
    if d1 > policy.accept_distance:
        return Reason.too_far
    if d2 - d1 < policy.margin:
        return Reason.no_margin
    if len(encodings) > 1 and any(gallery.ids[int(distances(gallery.templates, e).argmin())] != nearest
                                  for e in encodings):
        return Reason.frames_disagree
    if gallery.is_lookalike(nearest, policy):
        return Reason.lookalike
    return None


def verify(gallery: Gallery, encodings: Sequence[np.ndarray], delegate_id: str, policy: FacePolicy) -> Match:
    """1:1 (badge + face): is this burst the badge's delegate, and nobody enrolled nearer?"""
    if delegate_id not in gallery.index:
        return Match(Verdict.unknown, Reason.not_enrolled)
    found = distances(gallery.templates, burst_encoding(encodings))
    own = float(found[gallery.index[delegate_id]])
    if own > policy.verify_distance:
        return Match(Verdict.unknown, Reason.too_far, delegate_id, own)
    if float(found.min()) < own:
        return Match(Verdict.unknown, Reason.other_nearer, delegate_id, own)
    return Match(Verdict.accept, Reason.matched, delegate_id, own)
