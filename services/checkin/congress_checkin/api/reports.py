"""The credentials report, live (JSON) and printable (PDF), from one snapshot of the roster."""
from __future__ import annotations

import asyncio
from typing import Annotated

from congress_common.auth import Organiser
from congress_common.pdf import pdf_response
from congress_common.runtime import PdfDep, SessionDep
from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select

from .. import reports
from ..adapters.orm import CongressSession
from ..congress_handlers import get_congress, get_session, rule_of
from ..domain.attendance_export import SessionRecord, attendance_workbook
from ..printouts.credentials import credentials_report
from .imports import xlsx_response
from .schemas import CredentialsReportPublic

router = APIRouter(prefix="/api/congresses/{cid}", tags=["reports"])
SessionQuery = Annotated[str | None, Query(max_length=36, description="default: the current session")]


async def _report(session: SessionDep, cid: str, session_id: str | None) -> CredentialsReportPublic:
    congress = await get_congress(session, cid)
    sitting = await get_session(session, cid, session_id) if session_id else congress.current_session
    return reports.report_public(await reports.credentials_report(session, congress, sitting), congress, sitting)


@router.get("/credentials-report", response_model=CredentialsReportPublic)
async def credentials(cid: str, session: SessionDep, _org: Organiser, session_id: SessionQuery = None):
    """Summoned, present, absent with reasons, the quorum line, composition of those present, by unit."""
    return await _report(session, cid, session_id)


@router.get("/credentials-report.pdf", response_class=Response)
async def credentials_pdf(cid: str, request: Request, session: SessionDep, pdf: PdfDep, _org: Organiser,
                          session_id: SessionQuery = None) -> Response:
    report = await _report(session, cid, session_id)
    payload = {"report": report.model_dump(mode="json"), "timezone": request.app.state.runtime.settings.timezone}
    return pdf_response(await pdf.render(credentials_report, payload), "bao-cao-tham-tra-tu-cach.pdf")


@router.get("/attendance/export.xlsx", response_class=Response)
async def attendance_export(cid: str, request: Request, session: SessionDep, _org: Organiser) -> Response:
    """Every session's attendance: presence, time and method of check-in, reasons of the absent (one sheet each)."""
    congress = await get_congress(session, cid)
    sittings = await session.scalars(select(CongressSession).where(CongressSession.congress_id == cid)
                                     .order_by(CongressSession.position))
    records = []
    for sitting in sittings.all():
        rows = await reports.roster_snapshot(session, cid, sitting.id)
        summoned = sum(r.member.kind == "official" for r in rows)
        records.append(SessionRecord(sitting.name, rule_of(congress).required(summoned),
                                     [(r.member, r.checked_in_at, r.method, r.actor) for r in rows]))
    zone = request.app.state.runtime.settings.timezone
    data = await asyncio.to_thread(attendance_workbook, congress.name, records, zone)
    return xlsx_response(data, "diem-danh-dai-bieu.xlsx")
