"""Face photos for tests: public-domain faces shipped inside PyPI packages (run anywhere), and the shared set."""
from __future__ import annotations

import io
import os

import cv2
import matplotlib
import numpy as np
import skimage.data
from PIL import Image

from tests.conftest import SHARED, skip_unless_ci

SHARED_FACES = SHARED / "faces"


def jpeg(rgb: np.ndarray, quality: int = 92) -> bytes:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return data.tobytes()


def astronaut_rgb() -> np.ndarray:
    """Eileen Collins (NASA, public domain), cropped to her face and doubled: a 180 px face, one person."""
    face = skimage.data.astronaut()[0:300, 60:360]
    return cv2.resize(face, (600, 600), interpolation=cv2.INTER_CUBIC)


def grace_hopper_rgb() -> np.ndarray:
    """Grace Hopper (US Navy, public domain), as matplotlib ships her."""
    path = os.path.join(matplotlib.get_data_path(), "sample_data", "grace_hopper.jpg")
    return np.asarray(Image.open(path).convert("RGB"))


def shifted(rgb: np.ndarray, dx: int, dy: int, scale: float = 1.0) -> np.ndarray:
    height, width = rgb.shape[:2]
    matrix = np.float32([[scale, 0, dx + (1 - scale) * width / 2], [0, scale, dy + (1 - scale) * height / 2]])
    return cv2.warpAffine(rgb, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)


def png(rgb: np.ndarray, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).convert(mode).save(out, format="PNG")
    return out.getvalue()


def shared_faces():
    """The shared face photos; skipped where ../shared is absent (a failure under CI=true)."""
    if not (SHARED_FACES / "gallery").is_dir():
        skip_unless_ci(f"the shared face photos are not there ({SHARED_FACES})")
    return SHARED_FACES
