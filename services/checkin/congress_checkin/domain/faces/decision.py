"""One request, one decision: from the engine's frame outcomes to what the kiosk shows.

Plain Python over the engine's samples, the gallery and the congress's face
settings; the check-in itself (and so ``already_checked_in``) is the handler's.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .liveness import Challenge, LivenessReason, LivenessRules, check_liveness
from .policy import FacePolicy, Gallery, Match, Reason, Verdict, identify, verify
from .samples import PROBLEM_MESSAGES, FrameOutcome, ImageProblem

# problems of the file itself (a 4xx), as opposed to "no usable face in this frame"
FILE_PROBLEMS = frozenset({ImageProblem.empty, ImageProblem.too_large, ImageProblem.not_an_image, ImageProblem.not_jpeg,
                           ImageProblem.unsupported_mode, ImageProblem.truncated, ImageProblem.too_many_pixels,
                           ImageProblem.too_small})


class FaceMode(StrEnum):
    face = "face"  # 1:N only; unsure goes to the desk
    face_then_qr = "face_then_qr"  # 1:N, and badge + face (1:1) when unsure (default)
    qr_and_face = "qr_and_face"  # always badge + face (1:1)


class FaceOutcome(StrEnum):
    checked_in = "checked_in"
    already_checked_in = "already_checked_in"
    unsure_show_badge = "unsure_show_badge"
    unknown = "unknown"
    no_face = "no_face"
    spoof_suspected = "spoof_suspected"
    bad_image = "bad_image"


@dataclass(frozen=True)
class FaceRules:
    mode: FaceMode = FaceMode.face_then_qr
    liveness: bool = True
    policy: FacePolicy = field(default_factory=FacePolicy)
    liveness_rules: LivenessRules = field(default_factory=LivenessRules)


@dataclass(frozen=True)
class BurstDecision:
    outcome: FaceOutcome
    reason: str
    delegate_id: str | None = None  # set only when the burst is accepted as this delegate
    challenge: Challenge | None = None
    message: str = ""
    match: Match | None = None


def file_problem(outcomes: Sequence[FrameOutcome]) -> BurstDecision | None:
    for index, outcome in enumerate(outcomes, start=1):
        if outcome.problem in FILE_PROBLEMS:
            return BurstDecision(FaceOutcome.bad_image, str(outcome.problem),
                                 message=f"Khung hình {index}: {outcome.message or PROBLEM_MESSAGES[outcome.problem]}")
    return None


def decide(outcomes: Sequence[FrameOutcome], gallery: Gallery, rules: FaceRules, *,
           badge_delegate: str | None = None, challenge: Challenge | None = None) -> BurstDecision:
    """What this burst means, before any check-in is written."""
    bad = file_problem(outcomes)
    if bad is not None:
        return bad
    samples = [o.sample for o in outcomes if o.sample is not None]
    encodings = [s.encoding for s in samples if s.encoding is not None]
    if not encodings:
        return BurstDecision(FaceOutcome.no_face, "no_face", message="Không thấy rõ khuôn mặt, hãy nhìn thẳng vào camera")
    if rules.liveness:
        live = check_liveness(samples, rules.liveness_rules, challenge)
        if not live.live:
            return BurstDecision(FaceOutcome.spoof_suspected, str(live.reason), challenge=live.challenge,
                                 message=_liveness_message(live.reason))
    if badge_delegate is not None:
        return _from_match(verify(gallery, encodings, badge_delegate, rules.policy), one_to_one=True)
    if rules.mode is FaceMode.qr_and_face:
        return BurstDecision(FaceOutcome.unsure_show_badge, "mode_qr_and_face", message="Mời đưa thẻ đại biểu vào camera")
    decision = _from_match(identify(gallery, encodings, rules.policy), one_to_one=False)
    if decision.outcome is FaceOutcome.unsure_show_badge and rules.mode is FaceMode.face:
        return BurstDecision(FaceOutcome.unknown, decision.reason, message="Mời đại biểu đến bàn đón tiếp",
                             match=decision.match)
    return decision


def _from_match(match: Match, *, one_to_one: bool) -> BurstDecision:
    if match.verdict is Verdict.accept:
        return BurstDecision(FaceOutcome.checked_in, str(match.reason), match.delegate_id, match=match)
    if one_to_one:
        message = ("Đại biểu chưa đăng ký khuôn mặt" if match.reason is Reason.not_enrolled
                   else "Khuôn mặt không khớp với thẻ đại biểu, mời đến bàn đón tiếp")
        return BurstDecision(FaceOutcome.unknown, str(match.reason), message=message, match=match)
    if match.verdict is Verdict.unsure:
        return BurstDecision(FaceOutcome.unsure_show_badge, str(match.reason),
                             message="Chưa chắc chắn: mời đưa thẻ đại biểu vào camera", match=match)
    return BurstDecision(FaceOutcome.unknown, str(match.reason),
                         message="Không nhận ra khuôn mặt: mời đưa thẻ đại biểu hoặc đến bàn đón tiếp", match=match)


def _liveness_message(reason: LivenessReason) -> str:
    if reason is LivenessReason.identical_frames:
        return "Các khung hình giống hệt nhau: không thể là người thật trước camera"
    return "Chưa xác nhận được người thật trước camera: hãy làm theo hướng dẫn"
