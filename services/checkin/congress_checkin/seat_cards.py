"""Seat cards: one card per seated delegate (name, delegation, seat, the badge's QR code), eight to an A4 page.

Printed by the check-in service because the badge token (and its version)
lives here, next to the seat read model that seating's events keep.
``seat_cards`` is the layout function the PDF worker runs.
"""
from __future__ import annotations

from congress_common.pdf import CardGrid, Document, Fonts, card_sheets
from congress_common.pdf.document import FAMILY
from congress_common.text import row_label, vietnamese_text_key
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .adapters.orm import SEAT_DIRECTORY, Delegate, Delegation
from .domain.badges import badge_token

GRID = CardGrid(width=95.0, height=67.0, columns=2, rows=4, left=10.0, top=12.0)
CARD_W, CARD_H = GRID.width, GRID.height


def seat_place(section: str, row: str, number: int) -> str:
    where = "Sân khấu" if section == "SK" else f"Khu {section}"
    return f"{where} · Hàng {row_label(row)} · Ghế {number}"


async def seat_card_rows(session: AsyncSession, secret: str, congress_id: str,
                         delegation_id: str | None = None) -> list[dict]:
    """The seated delegates of the congress (or of one delegation), by delegation then Vietnamese name order."""
    query = (select(Delegate, Delegation.name, SEAT_DIRECTORY.c.label, SEAT_DIRECTORY.c.section,
                    SEAT_DIRECTORY.c.row, SEAT_DIRECTORY.c.number)
             .join(Delegation, Delegation.id == Delegate.delegation_id)
             .join(SEAT_DIRECTORY, SEAT_DIRECTORY.c.delegate_id == Delegate.id)
             .where(Delegate.congress_id == congress_id, Delegate.removed_at.is_(None),
                    SEAT_DIRECTORY.c.congress_id == congress_id))
    if delegation_id:
        query = query.where(Delegate.delegation_id == delegation_id)
    cards = [{"name": d.full_name, "delegation": delegation, "label": label, "place": seat_place(section, row, number),
              "qr": badge_token(secret, congress_id, d.id, d.badge_version), "order": (delegation, d.sort_key)}
             for d, delegation, label, section, row, number in (await session.execute(query)).all()]
    cards.sort(key=lambda c: (vietnamese_text_key(c["order"][0]), c["order"][1]))  # unit names keep word order
    for card in cards:
        del card["order"]
    return cards


def seat_cards(fonts: Fonts, payload: dict) -> bytes:
    congress = payload["congress"]
    return card_sheets(fonts, title=f"Thẻ chỗ ngồi — {congress}", grid=GRID, cards=payload["cards"],
                       draw=lambda doc, card, x, y: _card(doc, congress, card, x, y))


def _card(doc: Document, congress: str, card: dict, x: float, y: float) -> None:
    pad, qr = 5.0, 30.0
    text_w = CARD_W - 2 * pad
    doc.set_text_color(11, 78, 162)
    doc.set_font(FAMILY, "B", 7.5)
    doc.set_xy(x + pad, y + pad)
    doc.multi_cell(text_w, 3.4, congress.upper(), align="C", max_line_height=3.4, new_x="LEFT", new_y="NEXT")
    doc.set_text_color(0)
    doc.set_font(FAMILY, "B", 13)
    doc.set_xy(x + pad, y + 15)
    doc.multi_cell(text_w, 6, card["name"], align="C", new_x="LEFT", new_y="NEXT")
    doc.set_font(FAMILY, "", 9)
    doc.set_x(x + pad)
    doc.multi_cell(text_w, 4.2, card["delegation"], align="C", new_x="LEFT", new_y="NEXT")
    top = y + CARD_H - pad - qr
    doc.set_font(FAMILY, "", 8)
    doc.set_xy(x + pad, top + 2)
    doc.cell(text_w - qr - 2, 4, "CHỖ NGỒI", new_x="LEFT", new_y="NEXT")
    doc.set_font(FAMILY, "B", 20)
    doc.cell(text_w - qr - 2, 11, card["label"], new_x="LEFT", new_y="NEXT")
    doc.set_font(FAMILY, "", 9)
    doc.multi_cell(text_w - qr - 2, 4.4, card["place"], new_x="LEFT", new_y="NEXT")
    doc.qr(card["qr"], x=x + CARD_W - pad - qr, y=top, size=qr, title=f"Mã QR điểm danh của {card['name']}")
