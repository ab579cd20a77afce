"""Badges (thẻ đại biểu), eight to an A4 sheet with cut lines: congress name on a band coloured by the kind of
delegate, the photo when one is enrolled, name, delegation, kind, code and the badge QR.

``badges`` is the layout function the PDF worker runs over plain data (``printing.person_card`` plus
``photo``: image bytes or None).
"""
from __future__ import annotations

import io

from congress_common.pdf import CardGrid, Document, Fonts, card_sheets

GRID = CardGrid(width=95.0, height=67.0, columns=2, rows=4, left=10.0, top=12.0)
BAND = {"official": (11, 78, 162), "alternate": (75, 42, 134), "guest": (200, 16, 46)}
KIND_TITLES = {"official": "ĐẠI BIỂU CHÍNH THỨC", "alternate": "ĐẠI BIỂU DỰ KHUYẾT", "guest": "KHÁCH MỜI"}
PAD, QR, BAND_H, PHOTO_W, PHOTO_H = 5.0, 26.0, 13.0, 22.0, 29.0


def badges(fonts: Fonts, payload: dict) -> bytes:
    congress = payload["congress"]["name"]
    return card_sheets(fonts, title=f"Thẻ đại biểu — {congress}", grid=GRID, cards=payload["people"],
                       draw=lambda doc, person, x, y: _badge(doc, congress, person, x, y))


def _badge(doc: Document, congress: str, person: dict, x: float, y: float) -> None:
    colour = BAND.get(person["kind"], BAND["official"])
    doc.set_fill_color(*colour)
    doc.rect(x + 1, y + 1, GRID.width - 2, BAND_H, style="F")
    doc.set_text_color(255)
    doc.text_block(congress.upper(), x=x + 3, y=y + 2.4, width=GRID.width - 6, size=7.5, bold=True, align="C",
                   line_height=3.4, max_lines=3)
    doc.set_text_color(0)
    left = x + PAD
    if person.get("photo"):
        doc.image(io.BytesIO(person["photo"]), x=left, y=y + BAND_H + 3, w=PHOTO_W, h=PHOTO_H, keep_aspect_ratio=True,
                  alt_text=f"Ảnh của {person['full_name']}")
        left += PHOTO_W + 3
    text_w = x + GRID.width - PAD - left
    end = doc.text_block(person["full_name"], x=left, y=y + BAND_H + 3, width=text_w, size=13.5, bold=True,
                         line_height=6, max_lines=2)
    end = doc.text_block(person["delegation"], x=left, y=end + 0.5, width=text_w, size=9, line_height=4, max_lines=2)
    if person["roles"]:
        doc.text_block(", ".join(person["roles"]), x=left, y=end + 0.3, width=text_w, size=8, line_height=3.6,
                       max_lines=1)
    bottom = y + GRID.height - PAD
    label_w = GRID.width - 2 * PAD - QR - 2
    doc.set_text_color(*colour)
    doc.text_block(KIND_TITLES.get(person["kind"], person["kind_label"].upper()), x=x + PAD, y=bottom - 10.5,
                   width=label_w, size=10, bold=True, line_height=4.5, max_lines=1)
    doc.set_text_color(0)
    doc.text_block(f"Mã đại biểu: {person['code']}", x=x + PAD, y=bottom - 5, width=label_w, size=8.5, line_height=4)
    doc.qr(person["qr"], x=x + GRID.width - PAD - QR, y=bottom - QR, size=QR,
           title=f"Mã QR điểm danh của {person['full_name']}")
