"""An fpdf2 document with DejaVu Sans and the few helpers our printouts share."""
from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from datetime import datetime

import segno
from fpdf import FPDF
from fpdf.fonts import FontFace

from .fonts import Fonts

FAMILY = "dejavu"


def qr_png(data: str, *, error: str = "m", scale: int = 4) -> bytes:
    """A QR code as PNG bytes (segno), with its quiet zone."""
    out = io.BytesIO()
    segno.make_qr(data, error=error).save(out, kind="png", scale=scale, border=4)
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
        self.set_font(FAMILY, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
        self.ln(after)
        self.set_font(FAMILY, "", 11)

    def line_of_text(self, text: str, *, size: float = 11, bold: bool = False, align: str = "L",
                     width: float = 0) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.multi_cell(width, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "", 11)

    def qr(self, data: str, *, x: float, y: float, size: float, title: str | None = None) -> None:
        """A QR code of ``size`` mm at (x, y); ``title`` becomes its alternative text."""
        self.image(io.BytesIO(qr_png(data)), x=x, y=y, w=size, h=size, alt_text=title)

    def data_table(self, headings: Sequence[str], rows: Sequence[Sequence[object]], *,
                   widths: Sequence[float] | None = None, align: Sequence[str] | None = None, size: float = 9.5,
              bold_rows: Sequence[int] = ()) -> None:
        """A bordered table; the heading row repeats on each page, ``bold_rows`` (indexes) are totals."""
        self.set_font(FAMILY, "", size)
        header = FontFace(emphasis="BOLD", fill_color=(230, 236, 245))
        with self.table(col_widths=tuple(widths) if widths else None, text_align=tuple(align) if align else "LEFT",
                        headings_style=header, line_height=size * 0.55, padding=(0.8, 1.2),
                        repeat_headings=1, first_row_as_headings=bool(headings)) as grid:
            if headings:
                grid.row([str(h) for h in headings])
            for index, values in enumerate(rows):
                style = FontFace(emphasis="BOLD") if index in bold_rows else None
                grid.row(["" if v is None else str(v) for v in values], style=style)
        self.set_font(FAMILY, "", 11)
        self.ln(3)

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
