"""An fpdf2 document with DejaVu Sans and the few helpers our printouts share."""
from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime

import zxingcpp
from fpdf import FPDF
from PIL import Image

from ..text import keep_term_together
from .fonts import Fonts

_BREAKS = re.compile(r"[^\S\u00a0\u202f]+")  # where a line may break: white space but the no-break spaces

FAMILY = "dejavu"


def qr_image(data: str, *, error: str = "M", scale: int = 4) -> Image.Image:
    """A QR code as a black-and-white image, ``scale`` pixels a module, with its quiet zone.

    zxing-cpp (libzint) encodes it and picks the best of the eight masks in C++: 0.6 ms a code, where a
    pure-Python encoder spends 4.5 ms, most of a 1,100-badge batch.
    """
    pixels = memoryview(zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level=error).to_image(
        scale=scale, add_quiet_zones=True))  # a few pixels a module: viewers that smooth images keep sharp edges
    height, width = pixels.shape
    return Image.frombytes("L", (width, height), bytes(pixels))  # greyscale embeds twice as fast as 1-bit


def qr_png(data: str, *, error: str = "M", scale: int = 4) -> bytes:
    """A QR code as PNG bytes, ``scale`` pixels a module, with its quiet zone."""
    out = io.BytesIO()
    qr_image(data, error=error, scale=scale).save(out, format="PNG")
    return out.getvalue()


class Document(FPDF):
    """A4 (portrait by default; ``page_format="A3"`` for a chart), DejaVu Sans 11 pt, NFC text, optional footer."""

    def __init__(self, fonts: Fonts, *, title: str, orientation: str = "portrait", footer_text: str | None = None,
                 margin_mm: float = 15, page_format: str = "A4") -> None:
        super().__init__(orientation=orientation, unit="mm", format=page_format)
        self.add_font(FAMILY, "", str(fonts.regular))
        self.add_font(FAMILY, "B", str(fonts.bold))
        self.set_font(FAMILY, size=11)
        self.set_margins(margin_mm, margin_mm, margin_mm)
        self.set_auto_page_break(True, margin=margin_mm + 4)
        self.set_title(title)
        self.set_lang("vi")
        self.set_creator("Đại hội Công đoàn")
        self.footer_text = footer_text

    def normalize_text(self, text: str) -> str:
        # Names typed on a Mac or pasted from the web arrive decomposed (NFD): DejaVu has the precomposed glyphs
        return super().normalize_text(unicodedata.normalize("NFC", text))

    def footer(self) -> None:
        if self.footer_text is None:
            return
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(90)
        self.cell(0, 5, self.footer_text, align="L")
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0)

    def heading(self, text: str, *, size: float = 14, align: str = "C", bold: bool = True, after: float = 2) -> None:
        """A centred (by default) bold block of text over the full width, wrapped when long."""
        self.text_block(text, width=self.epw, size=size, bold=bold, align=align, line_height=size * 0.5)
        self.ln(after)

    def line_of_text(self, text: str, *, size: float = 11, bold: bool = False, align: str = "L",
                     width: float = 0) -> None:
        self.text_block(text, width=width or self.w - self.r_margin - self.get_x(), size=size, bold=bold, align=align,
                        line_height=size * 0.5)

    def measure(self, text: str) -> float:
        """Width in mm of (normalised) ``text`` in the current font: ``get_string_width`` without its per-call
        fragment machinery (ten times cheaper, and a batch measures every word)."""
        return sum(map(self.current_font.cw.__getitem__, map(ord, text))) * self.font_size_pt * 0.001 / self.k

    def wrap(self, text: str, width: float) -> list[str]:
        """``text`` broken between words into lines of at most ``width`` mm in the current font; never at a
        no-break space, nor inside a term of office ("nhiệm kỳ 2023–2028", ``keep_term_together``).

        Linear in the text (each word measured once), unlike ``multi_cell``'s line breaking, which costs
        milliseconds per line: a 1,100-page batch must not spend its time there.
        """
        space, lines = self.measure(" "), []
        for paragraph in self.normalize_text(str(text)).split("\n"):
            indent = paragraph[:len(paragraph) - len(paragraph.lstrip(" "))]  # leading spaces indent the first line
            line: list[str] = [indent] if indent else []
            used = self.measure(indent) - space if indent else 0.0
            for word in filter(None, _BREAKS.split(keep_term_together(paragraph))):
                for piece, measured in self._pieces(word.replace("\u00a0", " ").replace("\u202f", " "), width):
                    if line and used + space + measured > width:
                        lines.append(" ".join(line))
                        line, used = [], 0.0
                    used += (space if line else 0.0) + measured
                    line.append(piece)
            lines.append(" ".join(line))
        return lines or [""]

    def _pieces(self, word: str, width: float) -> list[tuple[str, float]]:
        """The word and its width; a word wider than the line cut into pieces that fit (a long code or address)."""
        measured = self.measure(word)
        if measured <= width:
            return [(word, measured)]
        pieces, piece = [], ""
        for char in word:
            if piece and self.measure(piece + char) > width:
                pieces.append((piece, self.measure(piece)))
                piece = ""
            piece += char
        return [*pieces, (piece, self.measure(piece))]

    def line_at(self, line: str, *, x: float, y: float, width: float, height: float, align: str = "L") -> None:
        """One line of text in the box (x, y, width, height), vertically centred as ``cell`` does, no border."""
        if align in ("C", "R"):
            free = width - self.measure(line)
            x += free / 2 if align == "C" else free
        self.text(x, y + 0.5 * height + 0.3 * self.font_size, line)

    def text_block(self, text: str, *, width: float, size: float = 11, bold: bool = False, align: str = "L",
                   line_height: float | None = None, max_lines: int | None = None, x: float | None = None,
                   y: float | None = None) -> float:
        """Wrapped text from (x, y) (the cursor by default), at most ``max_lines`` lines (the last ends with "…").

        Leaves the cursor at the left margin below the block and returns that y.
        """
        self.set_font(FAMILY, "B" if bold else "", size)
        x = self.get_x() if x is None else x
        y = self.get_y() if y is None else y
        height = line_height or size * 0.45
        lines = self.wrap(text, width)
        if max_lines and len(lines) > max_lines:
            lines = [*lines[:max_lines - 1], self._ellipsize(" ".join(lines[max_lines - 1:]), width)]
        for line in lines:
            if y + height > self.page_break_trigger and self.auto_page_break:
                self.add_page()
                y = self.t_margin
            self.line_at(line, x=x, y=y, width=width, height=height, align=align)
            y += height
        self.set_font(FAMILY, "", 11)
        self.set_xy(self.l_margin, y)
        return y

    def _ellipsize(self, text: str, width: float) -> str:
        if self.measure(text) <= width:
            return text
        while text and self.measure(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def qr(self, data: str, *, x: float, y: float, size: float, title: str | None = None) -> None:
        """A QR code of ``size`` mm at (x, y); ``title`` becomes its alternative text."""
        self.image(qr_image(data), x=x, y=y, w=size, h=size, alt_text=title)

    def data_table(self, headings: Sequence[str], rows: Sequence[Sequence[object]], *,
                   widths: Sequence[float] | None = None, align: Sequence[str] | None = None, size: float = 9.5,
                   bold_rows: Sequence[int] = ()) -> None:
        """A bordered table over the full width (``widths`` relative); the heading row repeats on each page,
        ``bold_rows`` (indexes) are totals, ``align`` per column ("LEFT", "RIGHT", "CENTER")."""
        columns = len(headings) if headings else len(rows[0]) if rows else 0
        relative = list(widths or [1] * columns)
        cols = [self.epw * w / sum(relative) for w in relative]
        aligns = [(a or "L")[0].upper() for a in (align or ["L"] * columns)]
        if headings:
            self._table_row(headings, cols, aligns, size, bold=True, fill=True, headings=None)
        for index, values in enumerate(rows):  # a row that would cross the page starts the next, under the headings
            self._table_row(["" if v is None else str(v) for v in values], cols, aligns, size,
                            bold=index in bold_rows, fill=False, headings=headings, heading_aligns=aligns)
        self.set_font(FAMILY, "", 11)
        self.ln(3)

    def _table_row(self, cells: Sequence[str], cols: Sequence[float], aligns: Sequence[str], size: float, *,
                   bold: bool, fill: bool, headings: Sequence[str] | None, heading_aligns: Sequence[str] = ()) -> None:
        pad_x, pad_y, height = 1.2, 0.8, size * 0.55
        self.set_font(FAMILY, "B" if bold else "", size)
        wrapped = [self.wrap(text, width - 2 * pad_x) for text, width in zip(cells, cols, strict=True)]
        row_h = max(len(lines) for lines in wrapped) * height + 2 * pad_y
        if self.get_y() + row_h > self.page_break_trigger:
            self.add_page()
            if headings:
                self._table_row(headings, cols, heading_aligns or aligns, size, bold=True, fill=True, headings=None)
            self.set_font(FAMILY, "B" if bold else "", size)
        x, y = self.l_margin, self.get_y()
        self.set_fill_color(230, 236, 245)
        for lines, width, align in zip(wrapped, cols, aligns, strict=True):
            self.rect(x, y, width, row_h, style="DF" if fill else "D")
            for index, line in enumerate(lines):
                self.line_at(line, x=x + pad_x, y=y + pad_y + index * height, width=width - 2 * pad_x, height=height,
                             align=align)
            x += width
        self.set_xy(self.l_margin, y + row_h)

    def printed_at(self, when: datetime, *, size: float = 9) -> None:
        self.line_of_text(f"In lúc {when:%H:%M ngày %d/%m/%Y}", size=size, align="R")

    def to_bytes(self) -> bytes:
        return bytes(self.output())


def notice_page(fonts: Fonts, payload: dict) -> bytes:
    """One page: a title and lines of text (a notice to print; the benchmarks' one-page baseline)."""
    doc = Document(fonts, title=payload["title"])
    doc.add_page()
    doc.heading(payload["title"], size=16, after=6)
    for line in payload.get("lines", ()):
        doc.line_of_text(line)
    return doc.to_bytes()
