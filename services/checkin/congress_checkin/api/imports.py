"""Excel routes of the roster: template, import preview and confirmation, export."""
from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from congress_common.auth import Organiser
from congress_common.errors import Invalid
from congress_common.runtime import SessionDep, UowDep
from fastapi import APIRouter, Depends, Form, Request, Response, UploadFile

from .. import importing, views
from ..adapters.workbook_worker import WorkbookParser
from ..domain.import_plan import ImportPlan
from ..domain.roster_import import ImportFileError, ParsedRoster, delegate_template, write_delegate_workbook
from .schemas import ImportPreview, ImportSummary

router = APIRouter(prefix="/api/congresses/{cid}", tags=["delegates"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def parsed_upload(file: UploadFile, request: Request) -> ParsedRoster:
    """The uploaded workbook, size-checked and parsed in the worker process; 422 with a Vietnamese message."""
    limit = request.app.state.runtime.settings.max_import_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise Invalid(f"Tệp quá lớn (tối đa {limit // (1024 * 1024)} MB)")
    parser: WorkbookParser = request.app.state.workbook_parser
    try:
        return await parser.parse(data)
    except ImportFileError as exc:
        raise Invalid(str(exc)) from None


ParsedUpload = Annotated[ParsedRoster, Depends(parsed_upload)]


@router.get("/delegates/import/template", response_class=Response)
async def import_template(cid: str, _org: Organiser) -> Response:
    return xlsx_response(delegate_template(), "mau-danh-sach-dai-bieu.xlsx")


@router.post("/delegates/import/preview", response_model=ImportPreview)
async def preview_import(cid: str, parsed: ParsedUpload, session: SessionDep, _org: Organiser) -> ImportPreview:
    return preview_public(await importing.preview_import(session, cid, parsed))


@router.post("/delegates/import", response_model=ImportSummary,
             responses={409: {"description": "Changes or same-name warnings not confirmed with the preview's plan_id"}})
async def import_delegates(cid: str, parsed: ParsedUpload, uow: UowDep, _org: Organiser,
                           plan_id: Annotated[str | None, Form(max_length=64)] = None,
                           confirm_rows: Annotated[list[int], Form()] = []) -> ImportSummary:  # noqa: B006
    counts = await importing.import_roster(uow, cid, parsed, plan_id=plan_id, confirm_rows=frozenset(confirm_rows))
    return ImportSummary(created=counts.created, updated=counts.updated, unchanged=counts.unchanged,
                         total=counts.total, skipped_rows=counts.skipped_rows)


@router.get("/delegates/export.xlsx", response_class=Response)
async def export_delegates(cid: str, session: SessionDep, _org: Organiser) -> Response:
    page = await views.list_delegates(session, cid, limit=100_000)
    rows = [{**d.model_dump(), "delegation": d.delegation_name} for d in page.items]
    return xlsx_response(write_delegate_workbook(rows), "danh-sach-dai-bieu.xlsx")


def preview_public(plan: ImportPlan) -> ImportPreview:
    return ImportPreview(
        plan_id=plan.plan_id, needs_confirmation=plan.needs_confirmation,
        added=[asdict(r) for r in plan.added], changed=[asdict(c) for c in plan.changed],
        unchanged=[asdict(r) for r in plan.unchanged],
        refused=[{"row": e.row, "column": e.column, "message": e.message} for e in plan.refused],
        refused_rows=[{"row": row, "errors": [{"column": e.column, "message": e.message} for e in errors]}
                      for row, errors in plan.refused_rows.items()],
        warnings=[asdict(w) for w in plan.warnings], skipped_examples=plan.skipped_examples)


def xlsx_response(data: bytes, filename: str) -> Response:
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
