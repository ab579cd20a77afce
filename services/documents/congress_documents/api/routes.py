"""Documents routes (skeleton): the readers the documents service knows."""
from __future__ import annotations

from congress_common.auth import Organiser
from congress_common.readmodels import directory_delegates
from congress_common.runtime import SessionDep
from fastapi import APIRouter
from pydantic import BaseModel

from ..adapters.orm import KNOWN_DELEGATES

router = APIRouter(prefix="/api/congresses/{cid}/documents", tags=["documents"])


class Reader(BaseModel):
    id: str
    full_name: str
    delegation_name: str
    kind: str
    present: bool
    official_documents: bool


class Audience(BaseModel):
    readers: list[Reader]
    official_readers: int


@router.get("/audience", response_model=Audience)
async def audience(cid: str, session: SessionDep, _org: Organiser) -> Audience:
    """Who will read this congress's documents; official-only documents go to official delegates."""
    readers = [Reader(**row, official_documents=row["kind"] == "official")
               for row in await directory_delegates(session, KNOWN_DELEGATES, cid)]
    return Audience(readers=readers, official_readers=sum(r.official_documents for r in readers))
