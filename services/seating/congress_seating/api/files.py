"""Files of the seating service: the hall plan from Excel (template, import) and the printed seating chart."""
from __future__ import annotations

from typing import Annotated

from congress_common.auth import Organiser
from congress_common.errors import Invalid
from congress_common.pdf import pdf_response
from congress_common.runtime import PdfDep, SessionDep
from congress_common.workbooks import WorkbookWorker
from fastapi import APIRouter, Form, Request, Response, UploadFile
from sqlalchemy import select

from .. import handlers, views
from ..adapters.orm import KNOWN_CONGRESSES
from ..domain import commands as c
from ..domain.hall_sheet import HallSheetError, ParsedHall, hall_template
from ..printing import chart_payload, local_now, seating_chart
from .deps import SeatingUow
from .routes import NEEDS_CONFIRMATION, plan_or_404
from .schemas import PlanView

router = APIRouter(prefix="/api/congresses/{cid}/seating", tags=["seating"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/hall/template", response_class=Response)
async def template(cid: str, _org: Organiser) -> Response:
    """An Excel sheet to describe a hall: one line per row of seats, with an example and a guide."""
    return Response(hall_template(), media_type=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="mau-so-do-hoi-truong.xlsx"'})


async def _parsed(file: UploadFile, request: Request) -> ParsedHall:
    limit = request.app.state.runtime.settings.max_import_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise Invalid(f"Tệp quá lớn (tối đa {limit // (1024 * 1024)} MB)")
    reader: WorkbookWorker[ParsedHall] = request.app.state.hall_reader
    try:
        return await reader.parse(data)
    except HallSheetError as exc:
        raise Invalid(str(exc), errors=exc.errors) from None


@router.post("/hall/import", response_model=PlanView, responses=NEEDS_CONFIRMATION | {
    422: {"description": "The sheet is refused (merged cells, missing rows, bad numbers): `errors` line by line"}})
async def import_hall(cid: str, file: UploadFile, request: Request, uow: SeatingUow, session: SessionDep,
                      _org: Organiser, name: Annotated[str, Form(min_length=2, max_length=200)] = "Hội trường",
                      confirm: Annotated[bool, Form()] = False) -> PlanView:
    """Create or replace the hall from an Excel sheet (see the template); nothing is saved when a line is wrong."""
    parsed = await _parsed(file, request)
    await handlers.create_hall(uow, c.CreateHall(cid, name.strip(), seats=parsed.seats, confirm=confirm))
    return views.plan_view(await plan_or_404(session, cid))


@router.get("/chart.pdf", response_class=Response)
async def chart(cid: str, session: SessionDep, pdf: PdfDep, _org: Organiser) -> Response:
    """The seating chart, A3 landscape: every seat coloured by delegation, the legend, then the list by delegation."""
    view = views.plan_view(await plan_or_404(session, cid))
    congress = await session.scalar(select(KNOWN_CONGRESSES.c.name).where(KNOWN_CONGRESSES.c.id == cid))
    data = await pdf.render(seating_chart, chart_payload(view, congress or "Đại hội Công đoàn", local_now()))
    return pdf_response(data, "so-do-cho-ngoi.pdf")
