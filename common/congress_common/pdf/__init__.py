"""Printable PDFs for every service: fpdf2 with DejaVu Sans (Vietnamese glyphs) from Debian's fonts-dejavu-core.

The API is small on purpose:

- ``Fonts.locate(dir)``: the DejaVu Sans files (``CONGRESS_PDF_FONT_DIR``), or ``FontsMissing``
  with what to install.
- ``Document(fonts, title=...)``: an ``fpdf.FPDF`` with the fonts registered (family ``"dejavu"``,
  styles ``""`` and ``"B"``), NFC text, page numbers, and helpers: ``heading``, ``line_of_text``,
  ``qr`` (a QR code image, zxing-cpp), ``data_table`` (header row repeated on every page), ``to_bytes``.
- ``CardGrid``: cards several to a sheet (badges, seat cards), with cut lines.
- ``PdfRenderer``: runs a layout function ``job(fonts, payload) -> bytes`` off the event loop
  (``ProcessPoolRenderer`` in a worker process, ``ThreadRenderer`` in a thread);
  every service runtime has one (``PdfDep``), and ``pdf_response`` answers with the file.

A layout function is a module-level function (it is pickled to the worker) that takes
plain data (dataclasses, dicts) and returns the PDF bytes.
"""
from __future__ import annotations

from .cards import CardGrid, card_sheets
from .document import Document, notice_page, qr_image, qr_png
from .fonts import DEFAULT_FONT_DIR, Fonts, FontsMissing
from .render import PdfRenderer, ProcessPoolRenderer, ThreadRenderer, pdf_response

__all__ = [
    "DEFAULT_FONT_DIR",
    "CardGrid",
    "Document",
    "Fonts",
    "FontsMissing",
    "PdfRenderer",
    "ProcessPoolRenderer",
    "ThreadRenderer",
    "card_sheets",
    "notice_page",
    "pdf_response",
    "qr_image",
    "qr_png",
]
