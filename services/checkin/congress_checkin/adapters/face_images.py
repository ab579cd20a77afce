"""Opening untrusted images safely: the format from the bytes, the size from the header, then decoding.

Runs in the face worker processes. The header (Pillow, no pixel decoded) gives
the format, the mode and the size, so a decompression bomb is refused before
a single pixel is inflated; a truncated file is refused by its missing end
marker rather than decoded half grey. Camera frames must be 8-bit JPEG (what a
browser's canvas makes); enrolment photos may also be PNG (alpha flattened on
white), 16-bit, palette or CMYK, and are turned upright from their EXIF tag.
"""
from __future__ import annotations

import io
import warnings

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ..domain.faces.samples import ImageProblem, ImageRefused

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MIN_SIDE = 64
Image.MAX_IMAGE_PIXELS = None  # we check the size ourselves, from the header, before decoding


def sniff(data: bytes) -> str:
    if not data:
        raise ImageRefused(ImageProblem.empty)
    if data.startswith(JPEG_MAGIC):
        return "JPEG"
    if data.startswith(PNG_MAGIC):
        return "PNG"
    raise ImageRefused(ImageProblem.not_an_image)


def _complete(data: bytes, kind: str) -> bool:
    tail = data.rstrip(b"\0\r\n ")
    if kind == "JPEG":
        return tail.endswith(b"\xff\xd9")
    return b"IEND" in tail[-12:]


def open_image(data: bytes, *, camera: bool, max_pixels: int) -> np.ndarray:
    """The image as an RGB uint8 array; ``ImageRefused`` with the reason otherwise."""
    kind = sniff(data)
    if camera and kind != "JPEG":
        raise ImageRefused(ImageProblem.not_jpeg)
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as header:
            width, height, mode = header.width, header.height, header.mode
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRefused(ImageProblem.not_an_image) from None
    if width * height > max_pixels:
        raise ImageRefused(ImageProblem.too_many_pixels, f"{width}×{height}")
    if min(width, height) < MIN_SIDE:
        raise ImageRefused(ImageProblem.too_small, f"{width}×{height}")
    if not _complete(data, kind):
        raise ImageRefused(ImageProblem.truncated)
    if camera:
        if mode not in ("RGB", "L"):
            raise ImageRefused(ImageProblem.unsupported_mode, mode)
        return _decode_camera(data)
    return _decode_photo(data, kind)


def _decode_camera(data: bytes) -> np.ndarray:
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if bgr is None:
        raise ImageRefused(ImageProblem.truncated)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def _decode_photo(data: bytes, kind: str) -> np.ndarray:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as image:
                image.load()
                return _to_rgb(ImageOps.exif_transpose(image))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning):
        raise ImageRefused(ImageProblem.truncated) from None


def _to_rgb(image: Image.Image) -> np.ndarray:
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        wide = np.asarray(image, dtype=np.uint32)
        grey = (wide >> 8 if wide.max() > 255 else wide).astype(np.uint8)
        return np.ascontiguousarray(np.stack([grey] * 3, axis=-1))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    if image.mode not in ("RGB", "L", "CMYK", "YCbCr", "P", "RGBA", "1"):
        raise ImageRefused(ImageProblem.unsupported_mode, image.mode)
    return np.ascontiguousarray(np.asarray(image.convert("RGB"), dtype=np.uint8))
