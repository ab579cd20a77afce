"""Is an enrolment photo good enough to make a template from? Exactly one usable face, large and sharp, frontal."""
from __future__ import annotations

from dataclasses import dataclass

from .samples import FaceSample, FrameOutcome, ImageProblem, ImageRefused


@dataclass(frozen=True)
class PhotoRules:
    min_sharpness: float = 60.0  # variance of the Laplacian of the face at 128×128 (a webcam frame: 100-700)
    max_yaw: float = 0.35  # nose offset over eye distance: about 20° of turn


def enrolment_sample(outcome: FrameOutcome, rules: PhotoRules) -> FaceSample:
    """The photo's face, or ``ImageRefused`` with the reason in Vietnamese."""
    if outcome.sample is None:
        raise ImageRefused(outcome.problem or ImageProblem.no_face)
    sample = outcome.sample
    if sample.faces > 1:
        raise ImageRefused(ImageProblem.several_faces, f"{sample.faces} khuôn mặt")
    if sample.sharpness < rules.min_sharpness:
        raise ImageRefused(ImageProblem.blurred)
    if abs(sample.yaw) > rules.max_yaw:
        raise ImageRefused(ImageProblem.not_frontal)
    if sample.encoding is None:
        raise ImageRefused(ImageProblem.no_face)
    return sample


DEFAULT_PHOTO_RULES = PhotoRules()
