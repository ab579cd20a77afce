"""Agenda commands: sessions and items added and edited (``agenda.changed``), an item opened with the documents
waiting for it (``agenda.item_opened``, ``document.published``), each in one unit of work with its events."""
from __future__ import annotations

from congress_common.contracts import AgendaChanged, AgendaItemOpened, utcnow
from congress_common.errors import Invalid, NotFound
from congress_common.runtime import UnitOfWork
from sqlalchemy import func, select

from .adapters.orm import AgendaCurrent, AgendaItem, AgendaSession, Document
from .domain import commands as c
from .domain.rules import ReleaseMode
from .handlers import claim_release, get_item, new_id


async def create_session(uow: UnitOfWork, cmd: c.CreateSession) -> AgendaSession:
    count = await uow.session.scalar(select(func.count()).select_from(AgendaSession)
                                     .where(AgendaSession.congress_id == cmd.congress_id))
    agenda_session = AgendaSession(id=new_id(), congress_id=cmd.congress_id, title=cmd.title, starts_at=cmd.starts_at,
                                   position=count or 0)
    uow.session.add(agenda_session)
    await _agenda_changed(uow, cmd.congress_id, agenda_session.id)
    await uow.commit()
    return agenda_session


async def _agenda_changed(uow: UnitOfWork, congress_id: str, session_id: str, item_id: str | None = None) -> None:
    await uow.emit(AgendaChanged(session_id=session_id, item_id=item_id, changed_at=utcnow()), congress_id=congress_id)


async def get_session(session, congress_id: str, session_id: str) -> AgendaSession:
    agenda_session = await session.get(AgendaSession, session_id)
    if agenda_session is None or agenda_session.congress_id != congress_id:
        raise NotFound("Không tìm thấy phiên họp này trong đại hội")
    return agenda_session


async def _items_in(session, session_id: str) -> int:
    return await session.scalar(select(func.count()).select_from(AgendaItem).where(AgendaItem.session_id == session_id))


def _titled(changes: dict, label: str) -> dict:
    """The changes with the title trimmed; a title sent empty (or null) is refused."""
    if "title" not in changes:
        return changes
    title = (changes["title"] or "").strip()
    if len(title) < 2:
        raise Invalid(f"{label}: cần ít nhất 2 ký tự")
    return {**changes, "title": title}


async def update_session(uow: UnitOfWork, cmd: c.UpdateSession) -> AgendaSession:
    agenda_session = await get_session(uow.session, cmd.congress_id, cmd.session_id)
    for name, value in _titled(cmd.changes, "Tên phiên họp").items():
        setattr(agenda_session, name, value)
    await _agenda_changed(uow, cmd.congress_id, agenda_session.id)
    await uow.commit()
    return agenda_session


async def update_item(uow: UnitOfWork, cmd: c.UpdateItem) -> AgendaItem:
    item = await get_item(uow.session, cmd.congress_id, cmd.item_id)
    changes = _titled(cmd.changes, "Nội dung mục chương trình")
    target = changes.pop("session_id", None)
    if target and target != item.session_id:
        await get_session(uow.session, cmd.congress_id, target)
        item.session_id, item.position = target, await _items_in(uow.session, target)
    if "presenter" in changes:
        changes["presenter"] = (changes["presenter"] or "").strip() or None
    for name, value in changes.items():
        setattr(item, name, value)
    await _agenda_changed(uow, cmd.congress_id, item.session_id, item.id)
    await uow.commit()
    return item


async def add_item(uow: UnitOfWork, cmd: c.AddItem) -> AgendaItem:
    await get_session(uow.session, cmd.congress_id, cmd.session_id)
    count = await _items_in(uow.session, cmd.session_id)
    item = AgendaItem(id=new_id(), congress_id=cmd.congress_id, session_id=cmd.session_id, title=cmd.title,
                      presenter=cmd.presenter, starts_at=cmd.starts_at, position=count or 0)
    uow.session.add(item)
    await _agenda_changed(uow, cmd.congress_id, item.session_id, item.id)
    await uow.commit()
    return item


async def open_item(uow: UnitOfWork, cmd: c.OpenItem) -> tuple[AgendaItem, int]:
    """Make ``item`` the current one and release the documents waiting for it, with the events, at once."""
    session, now = uow.session, utcnow()
    item = await get_item(session, cmd.congress_id, cmd.item_id)
    item.opened_at = now
    current = await session.get(AgendaCurrent, cmd.congress_id)
    if current is None:
        session.add(AgendaCurrent(congress_id=cmd.congress_id, item_id=item.id, opened_at=now))
    else:
        current.item_id, current.opened_at = item.id, now
    waiting = list(await session.scalars(select(Document).where(
        Document.congress_id == cmd.congress_id, Document.agenda_item_id == item.id,
        Document.release_mode == str(ReleaseMode.agenda_item), Document.released_at.is_(None),
        Document.withdrawn_at.is_(None))))
    released = [d for d in waiting if await claim_release(uow, d, now)]
    await uow.emit(AgendaItemOpened(item_id=item.id, session_id=item.session_id, title=item.title, opened_at=now,
                                    released_documents=len(released)), congress_id=cmd.congress_id)
    await uow.commit()
    return item, len(released)
