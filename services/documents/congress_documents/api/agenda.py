"""Agenda routes: sessions and items (organisers), the programme and the current item (everyone at the congress)."""
from __future__ import annotations

from congress_common.auth import Organiser
from congress_common.runtime import SessionDep, UowDep
from fastapi import APIRouter, status

from .. import agenda_handlers, handlers, views
from ..domain import commands as c
from .deps import Attendee
from .schemas import (
    AgendaItemPublic,
    AgendaPublic,
    AgendaSessionPublic,
    ItemCreate,
    ItemUpdate,
    OpenedItem,
    SessionCreate,
    SessionUpdate,
)

router = APIRouter(prefix="/api/congresses/{cid}/agenda", tags=["agenda"])


@router.get("", response_model=AgendaPublic)
async def get_agenda(cid: str, session: SessionDep, _who: Attendee) -> dict:
    """The programme: sessions with their items in order, and the item the congress is at now."""
    return await views.agenda(session, cid)


@router.post("/sessions", response_model=AgendaSessionPublic, status_code=status.HTTP_201_CREATED)
async def create_session(cid: str, body: SessionCreate, uow: UowDep, _org: Organiser):
    return await agenda_handlers.create_session(uow, c.CreateSession(cid, body.title, body.starts_at))


@router.patch("/sessions/{session_id}", response_model=AgendaSessionPublic,
              description="Rename a session or change its time; only the fields sent change.")
async def update_session(cid: str, session_id: str, body: SessionUpdate, uow: UowDep, _org: Organiser):
    return await agenda_handlers.update_session(uow, c.UpdateSession(cid, session_id, body.model_dump(exclude_unset=True)))


@router.post("/items", response_model=AgendaItemPublic, status_code=status.HTTP_201_CREATED)
async def add_item(cid: str, body: ItemCreate, uow: UowDep, _org: Organiser):
    return await agenda_handlers.add_item(uow, c.AddItem(cid, body.session_id, body.title, body.presenter, body.starts_at))


@router.patch("/items/{item_id}", response_model=AgendaItemPublic,
              description="Change an item's title, presenter or time, or move it to another session (at its end).")
async def update_item(cid: str, item_id: str, body: ItemUpdate, uow: UowDep, _org: Organiser) -> AgendaItemPublic:
    item = await agenda_handlers.update_item(uow, c.UpdateItem(cid, item_id, body.model_dump(exclude_unset=True)))
    current = await handlers.current_item_id(uow.session, cid) == item.id
    return AgendaItemPublic(id=item.id, title=item.title, presenter=item.presenter, starts_at=item.starts_at,
                            opened_at=item.opened_at, current=current)


@router.post("/items/{item_id}/open", response_model=OpenedItem)
async def open_item(cid: str, item_id: str, uow: UowDep, _org: Organiser) -> OpenedItem:
    """Move the congress to this item: the documents tied to it are released now (``document.published``)."""
    item, released = await agenda_handlers.open_item(uow, c.OpenItem(cid, item_id))
    return OpenedItem(item=AgendaItemPublic(id=item.id, title=item.title, presenter=item.presenter,
                                            starts_at=item.starts_at, opened_at=item.opened_at, current=True),
                      released_documents=released)
