"""Announcements: posted by the organisers, pushed live (``announcement.posted``), listed for catch-up."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from congress_common.auth import Organiser
from congress_common.runtime import SessionDep, UowDep
from fastapi import APIRouter, Query, status

from .. import handlers, views
from ..domain import commands as c
from .deps import Attendee
from .schemas import AnnouncementCreate, AnnouncementPublic

router = APIRouter(prefix="/api/congresses/{cid}/announcements", tags=["announcements"])


@router.post("", response_model=AnnouncementPublic, status_code=status.HTTP_201_CREATED)
async def post_announcement(cid: str, body: AnnouncementCreate, uow: UowDep, org: Organiser):
    return await handlers.post_announcement(uow, c.PostAnnouncement(cid, body.text.strip(), body.priority,
                                                                     f"{org.role}:{org.sub}"))


@router.get("", response_model=list[AnnouncementPublic])
async def list_announcements(cid: str, session: SessionDep, _who: Attendee,
                             since: Annotated[datetime | None, Query(title="Sau thời điểm")] = None,
                             limit: Annotated[int, Query(ge=1, le=500, title="Số lượng")] = 50) -> list:
    """Newest first; ``since`` gives only those posted after it (what an app missed while offline)."""
    return await views.announcements(session, cid, since, limit)
