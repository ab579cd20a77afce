"""Liveness from the burst: identical frames, a flat picture moved around, a blink, a turn with parallax, challenges."""
from __future__ import annotations

import random

import numpy as np
import pytest
from congress_checkin.adapters.face_pipeline import eye_openness, yaw
from congress_checkin.domain.faces.liveness import Challenge, LivenessReason, LivenessRules, check_liveness
from congress_checkin.domain.faces.samples import FaceSample

RULES = LivenessRules()


def face_points(turn: float = 0.0, eyes: float = 1.0) -> np.ndarray:
    """68 landmarks of a schematic face 200 px wide; ``turn`` moves the nose and mouth in depth, ``eyes`` opens them."""
    rng = np.random.default_rng(7)
    points = rng.uniform(-100, 100, (68, 2)).astype(np.float32)
    for start, centre_x in ((36, -40.0), (42, 40.0)):
        xs = centre_x + np.array([-15, -7, 7, 15, 7, -7])
        ys = -30 + np.array([0, -6, -6, 0, 6, 6]) * eyes
        points[start:start + 6] = np.c_[xs, ys]
    depth = np.zeros(68)
    depth[27:36], depth[48:68] = 60, 25  # nose and mouth stand out from the face plane
    points[:, 0] += turn * depth
    return points


def sample(points: np.ndarray, thumbnail_seed: int, shift=(0.0, 0.0), scale: float = 1.0) -> FaceSample:
    moved = points * scale + np.array(shift, np.float32) + 300
    return FaceSample(box=(200, 200, 400, 400), frame_size=(640, 480), faces=1, sharpness=300.0, yaw=yaw(moved),
                      eye_openness=eye_openness(moved), landmarks=moved,
                      thumbnail=np.random.default_rng(thumbnail_seed).uniform(0, 255, (48, 64)).astype(np.float32))


def test_identical_frames_are_refused() -> None:
    frames = [sample(face_points(), 1)] * 4
    result = check_liveness(frames, RULES, rng=random.Random(1))
    assert (result.live, result.reason) == (False, LivenessReason.identical_frames)
    assert result.challenge in set(Challenge)


def test_a_flat_picture_moved_around_is_not_live() -> None:
    flat = face_points()
    frames = [sample(flat, i, shift=(i * 12, i * 5), scale=1 + i * 0.05) for i in range(5)]
    result = check_liveness(frames, RULES)
    assert (result.live, result.reason) == (False, LivenessReason.flat_motion)
    assert result.challenge is not None


def test_a_blink_is_live() -> None:
    frames = [sample(face_points(eyes=e), i) for i, e in enumerate((1.0, 1.0, 0.2, 1.0))]
    assert check_liveness(frames, RULES).live


def test_a_head_turn_with_parallax_is_live() -> None:
    frames = [sample(face_points(turn=t), i) for i, t in enumerate((0.0, 0.1, 0.2, 0.3))]
    assert check_liveness(frames, RULES).live


@pytest.mark.parametrize(("challenge", "turn", "live"), [
    (Challenge.turn_left, 0.3, True), (Challenge.turn_right, -0.3, True),
    (Challenge.turn_left, -0.3, False), (Challenge.blink, 0.3, False)])
def test_a_challenge_must_be_the_very_action_asked(challenge: Challenge, turn: float, live: bool) -> None:
    frames = [sample(face_points(turn=turn * k / 3), k) for k in range(4)]
    result = check_liveness(frames, RULES, challenge)
    assert result.live is live
    if not live:
        assert result.reason is LivenessReason.challenge_failed


def test_a_single_frame_cannot_prove_anything() -> None:
    assert check_liveness([sample(face_points(), 1)], RULES).reason is LivenessReason.too_few_frames
