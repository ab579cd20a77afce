"""The roster the seating service knows (its read model from check-in events), grouped by delegation."""
from __future__ import annotations

from congress_common.auth import Organiser
from congress_common.readmodels import directory_delegates
from congress_common.runtime import SessionDep
from fastapi import APIRouter
from pydantic import BaseModel

from ..adapters.orm import KNOWN_DELEGATES

router = APIRouter(prefix="/api/congresses/{cid}/seating", tags=["seating"])


class KnownDelegate(BaseModel):
    id: str
    code: str
    full_name: str
    delegation_id: str
    delegation_name: str
    kind: str
    roles: list[str]
    present: bool


class DelegationBlock(BaseModel):
    delegation_id: str
    delegation_name: str
    delegates: list[KnownDelegate]


@router.get("/delegates", response_model=list[KnownDelegate])
async def known_delegates(cid: str, session: SessionDep, _org: Organiser) -> list[dict]:
    return await directory_delegates(session, KNOWN_DELEGATES, cid)


@router.get("/delegations", response_model=list[DelegationBlock])
async def delegation_blocks(cid: str, session: SessionDep, _org: Organiser) -> list[DelegationBlock]:
    """Delegations with their members: the units that placement will seat together."""
    blocks: dict[str, DelegationBlock] = {}
    for row in await directory_delegates(session, KNOWN_DELEGATES, cid):
        block = blocks.setdefault(row["delegation_id"], DelegationBlock(
            delegation_id=row["delegation_id"], delegation_name=row["delegation_name"], delegates=[]))
        block.delegates.append(KnownDelegate.model_validate(row))
    return sorted(blocks.values(), key=lambda b: b.delegation_name)
