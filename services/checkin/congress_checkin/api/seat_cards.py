"""Seat cards as a PDF: every seated delegate (or one delegation), with the badge QR code."""
from __future__ import annotations

from congress_common.auth import Organiser
from congress_common.errors import NotFound
from congress_common.pdf import pdf_response
from congress_common.runtime import PdfDep, SessionDep
from fastapi import APIRouter, Request, Response

from ..adapters.orm import Congress
from ..seat_cards import seat_card_rows, seat_cards

router = APIRouter(prefix="/api/congresses/{cid}", tags=["seating"])


@router.get("/seat-cards.pdf", response_class=Response)
async def seat_cards_pdf(cid: str, request: Request, session: SessionDep, pdf: PdfDep, _org: Organiser,
                         delegation_id: str | None = None) -> Response:
    """Eight seat cards to an A4 page (name, delegation, seat, badge QR), by delegation then name."""
    congress = await session.get(Congress, cid)
    if congress is None:
        raise NotFound("Không tìm thấy đại hội")
    cards = await seat_card_rows(session, request.app.state.secret, cid, delegation_id)
    if not cards:
        raise NotFound("Chưa có đại biểu nào được xếp chỗ: chạy xếp chỗ trên sơ đồ trước khi in thẻ")
    return pdf_response(await pdf.render(seat_cards, {"congress": congress.name, "cards": cards}), "the-cho-ngoi.pdf")
