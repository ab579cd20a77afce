"""The real face engine (face_recognition/dlib in worker processes) on public-domain faces, and hostile images."""
from __future__ import annotations

import io
import os
import struct
import zlib

import cv2
import numpy as np
import pytest
from congress_checkin.adapters.face_engine import EngineLimits, FaceEngineUnavailable, ProcessPoolFaceEngine
from congress_checkin.adapters.face_images import open_image
from congress_checkin.domain.faces.samples import ImageProblem, ImageRefused
from PIL import Image

from tests.face_photos import astronaut_rgb, grace_hopper_rgb, jpeg, png

MAX_PIXELS = 40_000_000


def refused(data: bytes, camera: bool) -> ImageProblem:
    with pytest.raises(ImageRefused) as caught:
        open_image(data, camera=camera, max_pixels=MAX_PIXELS)
    return caught.value.problem


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a huge size (a decompression bomb's header) and holds almost nothing."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b""))


def test_hostile_and_odd_images_are_refused_with_a_reason() -> None:
    good = jpeg(astronaut_rgb())
    assert refused(b"", camera=True) is ImageProblem.empty
    assert refused(b"%PDF-1.7\n" + os.urandom(200), camera=True) is ImageProblem.not_an_image
    assert refused(good[: len(good) // 2], camera=True) is ImageProblem.truncated
    assert refused(png(astronaut_rgb(), "RGBA"), camera=True) is ImageProblem.not_jpeg
    assert refused(png_header_only(50_000, 50_000), camera=False) is ImageProblem.too_many_pixels
    cmyk = io.BytesIO()
    Image.fromarray(astronaut_rgb()).convert("CMYK").save(cmyk, format="JPEG")
    assert refused(cmyk.getvalue(), camera=True) is ImageProblem.unsupported_mode
    assert str(ImageRefused(ImageProblem.truncated)) == "Ảnh bị hỏng hoặc không trọn vẹn"


def test_enrolment_photos_may_be_png_with_alpha_16_bit_or_cmyk() -> None:
    rgb = astronaut_rgb()
    wide = io.BytesIO()
    Image.fromarray(rgb[:, :, 0].astype(np.uint16) * 257).save(wide, format="PNG")
    cmyk = io.BytesIO()
    Image.fromarray(rgb).convert("CMYK").save(cmyk, format="JPEG")
    for data in (png(rgb, "RGBA"), wide.getvalue(), cmyk.getvalue()):
        opened = open_image(data, camera=False, max_pixels=MAX_PIXELS)
        assert opened.dtype == np.uint8 and opened.shape == (600, 600, 3)


async def test_the_engine_encodes_in_workers_and_survives_a_crash() -> None:
    engine = ProcessPoolFaceEngine(EngineLimits(workers=1, timeout_s=30))
    try:
        astronaut, hopper = await engine.photo(jpeg(astronaut_rgb())), await engine.photo(jpeg(grace_hopper_rgb()))
        assert astronaut.sample is not None and hopper.sample is not None
        assert astronaut.sample.faces == 1 and astronaut.sample.face_width >= 120
        assert astronaut.sample.encoding.shape == (128,)
        assert np.linalg.norm(astronaut.sample.encoding - hopper.sample.encoding) > 0.6  # two different women
        with pytest.raises(FaceEngineUnavailable):
            await engine.submit(os._exit, 3)  # a worker dies mid-request: 503, not a hang
        again = await engine.burst([jpeg(astronaut_rgb())] * 2)
        assert [o.sample is not None for o in again] == [True, True]  # a new worker took over
        assert np.linalg.norm(again[0].sample.encoding - astronaut.sample.encoding) < 0.2
    finally:
        await engine.close()


def _kiosk_frame(face: np.ndarray, face_width: int, centre: tuple[int, int]) -> np.ndarray:
    """A grey 1280×720 camera frame with ``face`` scaled to ``face_width`` pixels at ``centre``."""
    frame = np.full((720, 1280, 3), 128, np.uint8)
    small = cv2.resize(face, (face_width, face_width), interpolation=cv2.INTER_AREA)
    left, top = centre[0] - face_width // 2, centre[1] - face_width // 2
    right, bottom = min(1280, left + face_width), min(720, top + face_width)  # cut at the frame's edge
    frame[top:bottom, left:right] = small[:bottom - top, :right - left]
    return frame


def test_a_kiosk_frame_is_searched_coarse_first_and_at_full_scale_only_when_it_must(monkeypatch) -> None:
    from congress_checkin.adapters import face_pipeline

    calls: list[int] = []
    detect = face_pipeline.face_recognition.face_locations

    def counted(image, number_of_times_to_upsample=1):
        calls.append(image.shape[1])
        return detect(image, number_of_times_to_upsample=number_of_times_to_upsample)

    monkeypatch.setattr(face_pipeline.face_recognition, "face_locations", counted)
    limits = face_pipeline.PipelineLimits(camera=True, min_face_px=120, max_pixels=2_000_000)
    face = astronaut_rgb()  # the face fills about 30 % of this square

    near = face_pipeline.locate(_kiosk_frame(face, 700, (640, 360)), limits)  # arm's length, centred
    assert len(near) == 1 and near[0][2] - near[0][0] > 160
    assert calls == [427]  # one pass, on the coarse copy (1280 × 80/120 / 2)

    calls.clear()
    far = face_pipeline.locate(_kiosk_frame(face, 420, (640, 360)), limits)  # a 130 px face: too small for it
    assert len(far) == 1 and calls == [427, 853]

    calls.clear()
    aside = face_pipeline.locate(_kiosk_frame(face, 700, (1050, 360)), limits)  # found, but not in the middle
    assert len(aside) == 1 and calls == [427, 853]


def test_coarse_detection_finds_the_same_face_as_the_full_scale_pass() -> None:
    from congress_checkin.adapters import face_pipeline

    frame = _kiosk_frame(astronaut_rgb(), 700, (640, 360))
    coarse = face_pipeline.locate(frame, face_pipeline.PipelineLimits(camera=True, min_face_px=120, max_pixels=2_000_000))
    full = face_pipeline.locate(frame, face_pipeline.PipelineLimits(camera=False, min_face_px=120, max_pixels=2_000_000))
    (cl, ct, cr, cb), (fl, ft, fr, fb) = coarse[0], full[0]
    assert abs((cl + cr) - (fl + fr)) / 2 < 0.15 * (fr - fl) and abs((ct + cb) - (ft + fb)) / 2 < 0.15 * (fr - fl)
    assert 0.8 < (cr - cl) / (fr - fl) < 1.25
