"""Liveness from the burst itself, without new model weights: is this a person in front of the camera?

A printed photo or a phone screen held up to the kiosk shows a flat face: the
frames are identical (a frozen or re-sent picture), or the face moves as one
rigid plane (its 68 landmarks follow a 2-D similarity transform up to a pixel
of jitter). A live head moves in depth: when it turns, the nose moves against
the face outline (parallax) and the left/right turn (yaw) changes; eyes blink.

Passive check: accepted when the burst shows a blink, or a turn with
parallax. Otherwise the kiosk is asked for a challenge chosen at random (blink,
turn left, turn right) and the next burst must show that very action.
What it does not catch: a video of the delegate played on a screen that
happens to move the head (passive) or follows the challenge, a 3-D mask, a
twin. The README says so.
"""
from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from .samples import FaceSample


class Challenge(StrEnum):
    blink = "blink"
    turn_left = "turn_left"  # the delegate's own left
    turn_right = "turn_right"


CHALLENGE_PROMPTS = {
    Challenge.blink: "Hãy chớp mắt",
    Challenge.turn_left: "Hãy quay nhẹ đầu sang trái",
    Challenge.turn_right: "Hãy quay nhẹ đầu sang phải",
}


class LivenessReason(StrEnum):
    live = "live"
    too_few_frames = "too_few_frames"
    identical_frames = "identical_frames"
    flat_motion = "flat_motion"
    challenge_failed = "challenge_failed"


@dataclass(frozen=True)
class LivenessRules:
    min_frames: int = 3
    still_difference: float = 1.0  # mean |Δ| of the 64×48 grey thumbnails (0-255): below, the same picture
    eyes_closed: float = 0.20
    eyes_open: float = 0.25
    turn: float = 0.10  # change of yaw (nose offset over eye distance)
    parallax: float = 0.015  # landmark motion left by the best 2-D similarity, over the face width


@dataclass(frozen=True)
class LivenessResult:
    live: bool
    reason: LivenessReason
    challenge: Challenge | None = None  # what the kiosk should ask for next


def _similarity_residual(source: np.ndarray, target: np.ndarray) -> float:
    """RMS of what a 2-D similarity (scale, rotation, shift) cannot explain, landmarks source → target."""
    src, dst = source - source.mean(axis=0), target - target.mean(axis=0)
    a = np.c_[src[:, 0], -src[:, 1]]
    b = np.c_[src[:, 1], src[:, 0]]
    design = np.r_[np.c_[a[:, 0], a[:, 1]], np.c_[b[:, 0], b[:, 1]]]
    wanted = np.r_[dst[:, 0], dst[:, 1]]
    solution, *_ = np.linalg.lstsq(design, wanted, rcond=None)
    residual = wanted - design @ solution
    return float(np.sqrt(np.mean(residual.reshape(2, -1).T ** 2) * 2))


def parallax(samples: Sequence[FaceSample]) -> float:
    first = samples[0]
    width = max(first.face_width, 1)
    return max(_similarity_residual(first.landmarks, s.landmarks) / width for s in samples[1:])


def identical(samples: Sequence[FaceSample], rules: LivenessRules) -> bool:
    return all(float(np.mean(np.abs(a.thumbnail - b.thumbnail))) < rules.still_difference
               for a, b in itertools.pairwise(samples))


def blinked(samples: Sequence[FaceSample], rules: LivenessRules) -> bool:
    openness = [s.eye_openness for s in samples]
    closed = [i for i, value in enumerate(openness) if value < rules.eyes_closed]
    return bool(closed) and any(value > rules.eyes_open for value in openness)


def turned(samples: Sequence[FaceSample], rules: LivenessRules, direction: int = 0) -> bool:
    """A turn of at least ``rules.turn`` from the first frame; ``direction`` +1 the delegate's left, -1 right, 0 either."""
    yaws = [s.yaw for s in samples]
    left, right = max(yaws) - yaws[0], yaws[0] - min(yaws)
    if direction > 0:
        return left >= rules.turn
    if direction < 0:
        return right >= rules.turn
    return max(yaws) - min(yaws) >= rules.turn


def check_liveness(samples: Sequence[FaceSample], rules: LivenessRules, challenge: Challenge | None = None,
                   rng: random.Random | None = None) -> LivenessResult:
    pick = (rng or random.SystemRandom()).choice
    if len(samples) < rules.min_frames:
        return LivenessResult(False, LivenessReason.too_few_frames, pick(list(Challenge)))
    if identical(samples, rules):
        return LivenessResult(False, LivenessReason.identical_frames, pick(list(Challenge)))
    if challenge is not None:
        done = {Challenge.blink: lambda: blinked(samples, rules),
                Challenge.turn_left: lambda: turned(samples, rules, +1) and parallax(samples) >= rules.parallax,
                Challenge.turn_right: lambda: turned(samples, rules, -1) and parallax(samples) >= rules.parallax}
        if done[challenge]():
            return LivenessResult(True, LivenessReason.live)
        return LivenessResult(False, LivenessReason.challenge_failed, pick(list(Challenge)))
    if blinked(samples, rules) or (turned(samples, rules) and parallax(samples) >= rules.parallax):
        return LivenessResult(True, LivenessReason.live)
    return LivenessResult(False, LivenessReason.flat_motion, pick(list(Challenge)))
