"""What the PDF worker processes run: inspect an upload, render one page, watermark a copy.

Module-level functions over paths and plain data (they are pickled to the
worker). Each writes its output beside the target and renames it into place,
so a half-written page or copy never appears in the cache.
"""
from __future__ import annotations

import io
import os
import uuid
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from congress_common.pdf import Document, Fonts
from PIL import Image, ImageDraw, ImageFont

WATERMARK_GREY = 110
WATERMARK_OPACITY = 0.13


class PdfRefused(Exception):
    """The file cannot be accepted as a document (message in Vietnamese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _replace_into(target: str, write) -> None:
    partial = f"{target}.{uuid.uuid4().hex}.part"
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        write(partial)
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def inspect_pdf(path: str, max_pages: int) -> int:
    """The page count of a readable PDF; ``PdfRefused`` for an encrypted, broken or empty one."""
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PdfRefused("Tệp PDF được đặt mật khẩu: hãy gỡ mật khẩu rồi tải lên lại") from None
        raise PdfRefused("Tệp PDF bị hỏng, không đọc được: hãy xuất lại tệp PDF rồi tải lên") from None
    try:
        pages = len(document)
        if pages == 0:
            raise PdfRefused("Tệp PDF không có trang nào")
        if pages > max_pages:
            raise PdfRefused(f"Tệp PDF có {pages} trang, nhiều hơn mức cho phép ({max_pages} trang)")
        page = document[0]
        try:
            page.render(scale=0.1).close()  # the first page really renders
        except pdfium.PdfiumError:
            raise PdfRefused("Tệp PDF bị hỏng, không hiển thị được trang đầu") from None
        finally:
            page.close()
        return pages
    finally:
        document.close()


def render_page(path: str, index: int, width: int, target: str, stamp: list[str] | None, font: str) -> None:
    """Page ``index`` (0-based) as a WebP ``width`` pixels wide; ``stamp`` lines drawn faintly across it."""
    document = pdfium.PdfDocument(path)
    try:
        page = document[index]
        try:
            page_width, _ = page.get_size()
            bitmap = page.render(scale=width / page_width, may_draw_forms=True)
            image = bitmap.to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        document.close()
    if stamp:
        image = stamp_image(image, stamp, font)
    _replace_into(target, lambda partial: image.save(partial, "WEBP", quality=82, method=4))


def stamp_image(image: Image.Image, lines: list[str], font_path: str) -> Image.Image:
    """The image with ``lines`` repeated diagonally in faint grey (the reader's trace on a screenshot)."""
    size = max(14, image.width // 30)
    font = ImageFont.truetype(font_path, size)
    text = "   ·   ".join(lines)
    layer = Image.new("L", (image.width * 2, image.height * 2), 0)
    draw = ImageDraw.Draw(layer)
    step = size * 6
    for row, y in enumerate(range(0, layer.height, step)):
        draw.text((-(row % 2) * size * 8, y), (text + "      ") * 4, fill=255, font=font)
    layer = layer.rotate(30, center=(layer.width // 2, layer.height // 2))
    layer = layer.crop((image.width // 2, image.height // 2, image.width // 2 + image.width,
                        image.height // 2 + image.height))
    grey = Image.new("RGB", image.size, (WATERMARK_GREY,) * 3)
    return Image.composite(grey, image, layer.point(lambda v: int(v * WATERMARK_OPACITY)))


def _overlay_pdf(fonts: Fonts, lines: list[str]) -> bytes:
    """One A4 page with ``lines`` repeated diagonally, faint: laid over every page of the copy."""
    pdf = Document(fonts, title="watermark")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("dejavu", size=13)
    pdf.set_text_color(WATERMARK_GREY)
    text = "   ·   ".join(lines)
    with pdf.local_context(fill_opacity=WATERMARK_OPACITY * 2), pdf.rotation(32, x=105, y=148):
        for y in range(-60, 360, 42):
            pdf.text(-80, y, (text + "      ") * 3)
    return bytes(pdf.output())


def watermark_pdf(path: str, target: str, lines: list[str], font_dir: str) -> None:
    """A copy of the PDF with ``lines`` (the reader's name and code) faintly on every page."""
    overlay_bytes = _overlay_pdf(Fonts.locate(font_dir), lines)
    with pikepdf.open(path) as pdf, pikepdf.open(io.BytesIO(overlay_bytes)) as overlay:
        stamp = pdf.copy_foreign(overlay.pages[0].as_form_xobject())
        for page in pdf.pages:
            page.add_overlay(stamp)
        pdf.docinfo["/Subject"] = " · ".join(lines)

        _replace_into(target, lambda partial: pdf.save(partial))
