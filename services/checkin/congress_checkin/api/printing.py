"""Batch printing: invitations (giấy triệu tập) and badges, for everyone, one delegation, or a selection."""
from __future__ import annotations

from congress_common.auth import Organiser
from congress_common.pdf import pdf_response
from congress_common.runtime import PdfDep, SessionDep
from fastapi import APIRouter, Request, Response

from .. import printing
from ..congress_handlers import get_congress
from ..printouts.badges import badges
from ..printouts.invitations import invitations
from .schemas import PrintRequest

router = APIRouter(prefix="/api/congresses/{cid}/print", tags=["printing"])


def app_url(request: Request, cid: str, body: PrintRequest) -> str | None:
    """The delegate app's address printed on invitations: ``CONGRESS_PUBLIC_URL``, else the console's own."""
    base = request.app.state.runtime.settings.public_url or body.base_url
    return f"{base.rstrip('/')}/app/?c={cid}" if base else None


async def _people(request: Request, session: SessionDep, cid: str, body: PrintRequest) -> tuple[dict, list]:
    congress = await get_congress(session, cid)
    chosen = await printing.chosen_delegates(session, cid, delegation_id=body.delegation_id,
                                             delegate_ids=body.delegate_ids)
    secret = request.app.state.secret
    return (printing.congress_facts(congress, app_url(request, cid, body)),
            [(d.id, printing.person_card(secret, congress, d)) for d in chosen])


@router.post("/invitations", response_class=Response)
async def print_invitations(cid: str, body: PrintRequest, request: Request, session: SessionDep, pdf: PdfDep,
                            _org: Organiser) -> Response:
    """One A4 page per delegate: name, delegation, the app's login code and PIN, the badge QR."""
    congress, people = await _people(request, session, cid, body)
    data = await pdf.render(invitations, {"congress": congress, "people": [card for _id, card in people]})
    return pdf_response(data, "giay-trieu-tap.pdf")


@router.post("/badges", response_class=Response)
async def print_badges(cid: str, body: PrintRequest, request: Request, session: SessionDep, pdf: PdfDep,
                       _org: Organiser) -> Response:
    """Eight badges to an A4 sheet (name, delegation, kind, congress, QR, photo when enrolled); marks them printed."""
    congress, people = await _people(request, session, cid, body)
    photos = await request.app.state.badge_photos.photos(session, cid, [delegate_id for delegate_id, _card in people])
    cards = [{**card, "photo": photos.get(delegate_id)} for delegate_id, card in people]
    data = await pdf.render(badges, {"congress": congress, "people": cards})
    await printing.mark_badges_printed(session, [delegate_id for delegate_id, _card in people])
    return pdf_response(data, "the-dai-bieu.pdf")
