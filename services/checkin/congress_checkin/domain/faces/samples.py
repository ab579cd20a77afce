"""What the face engine reports about one image: plain data, picklable across the worker-process boundary.

No template, photo or distance ever leaves the check-in service: these objects
stay in its memory (encodings are encrypted before they are stored).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np


class ImageProblem(StrEnum):
    """Why an image was not usable; each has one Vietnamese message (``PROBLEM_MESSAGES``)."""

    empty = "empty"
    too_large = "too_large"
    not_an_image = "not_an_image"
    not_jpeg = "not_jpeg"
    unsupported_mode = "unsupported_mode"
    truncated = "truncated"
    too_many_pixels = "too_many_pixels"
    too_small = "too_small"
    no_face = "no_face"
    several_faces = "several_faces"
    face_too_small = "face_too_small"
    blurred = "blurred"
    not_frontal = "not_frontal"


PROBLEM_MESSAGES: dict[ImageProblem, str] = {
    ImageProblem.empty: "Ảnh rỗng (không có dữ liệu)",
    ImageProblem.too_large: "Ảnh quá lớn",
    ImageProblem.not_an_image: "Tệp không phải ảnh JPEG hoặc PNG",
    ImageProblem.not_jpeg: "Khung hình từ camera phải là ảnh JPEG",
    ImageProblem.unsupported_mode: "Ảnh có kiểu màu không hỗ trợ (cần ảnh màu RGB hoặc ảnh xám 8 bit)",
    ImageProblem.truncated: "Ảnh bị hỏng hoặc không trọn vẹn",
    ImageProblem.too_many_pixels: "Ảnh có quá nhiều điểm ảnh",
    ImageProblem.too_small: "Ảnh quá nhỏ",
    ImageProblem.no_face: "Không tìm thấy khuôn mặt trong ảnh",
    ImageProblem.several_faces: "Ảnh có nhiều khuôn mặt; ảnh đăng ký chỉ được có một người",
    ImageProblem.face_too_small: "Khuôn mặt trong ảnh quá nhỏ; hãy chụp gần hơn",
    ImageProblem.blurred: "Ảnh bị mờ; hãy chụp lại rõ nét hơn",
    ImageProblem.not_frontal: "Khuôn mặt không nhìn thẳng; hãy chụp chính diện",
}


class ImageRefused(ValueError):
    """An image the engine will not use, with the reason (a code and its Vietnamese message)."""

    def __init__(self, problem: ImageProblem, detail: str = "") -> None:
        self.problem = problem
        message = PROBLEM_MESSAGES[problem]
        super().__init__(f"{message} ({detail})" if detail else message)


@dataclass(frozen=True)
class FaceSample:
    """The face that counts in one frame (the largest central one) and how good it is."""

    box: tuple[int, int, int, int]  # left, top, right, bottom in the frame's pixels
    frame_size: tuple[int, int]  # width, height
    faces: int  # how many faces the frame holds
    sharpness: float  # variance of the Laplacian of the face region, resized to a fixed width
    yaw: float  # left/right turn: nose offset from the eyes' midpoint over the eye distance (0 = frontal)
    eye_openness: float  # eye aspect ratio, mean of both eyes (about 0.3 open, under 0.2 closed)
    landmarks: np.ndarray  # 68 x 2, float32, frame pixels
    thumbnail: np.ndarray  # the whole frame, grey, 64 x 48, float32: identical frames and motion
    encoding: np.ndarray | None = field(default=None)  # 128 floats, when asked for

    @property
    def face_width(self) -> int:
        return self.box[2] - self.box[0]


@dataclass(frozen=True)
class FrameOutcome:
    """One frame of a burst: a sample, or why it gave none."""

    sample: FaceSample | None = None
    problem: ImageProblem | None = None
    message: str = ""
