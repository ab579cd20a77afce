"""Congress routes: every record of the installation belongs to one congress."""
from __future__ import annotations

from congress_common.auth import Admin, AnyMember, CurrentPrincipal
from congress_common.runtime import SessionDep, UowDep
from fastapi import APIRouter, status

from .. import handlers, views
from .schemas import CongressCreate, CongressPublic

router = APIRouter(prefix="/api/congresses", tags=["congresses"])


@router.get("", response_model=list[CongressPublic])
async def list_congresses(session: SessionDep, principal: CurrentPrincipal) -> list:
    return list(await views.list_congresses(session, principal))


@router.post("", response_model=CongressPublic, status_code=status.HTTP_201_CREATED)
async def create_congress(body: CongressCreate, uow: UowDep, _admin: Admin):
    return await handlers.create_congress(uow, body.model_dump())


@router.get("/{cid}", response_model=CongressPublic)
async def get_congress(cid: str, session: SessionDep, _member: AnyMember):
    return await handlers.get_congress(session, cid)
