"""Dependencies of the seating routes: the SQL unit of work as ``SeatingUow``."""
from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from congress_common.runtime import RuntimeDep
from fastapi import Depends

from ..adapters.repository import SqlSeatingUnitOfWork
from ..unit_of_work import SeatingUnitOfWork


async def get_seating_uow(runtime: RuntimeDep) -> AsyncIterator[SeatingUnitOfWork]:
    async with runtime.unit_of_work() as uow:
        yield SqlSeatingUnitOfWork(uow.session, lambda event, cid: uow.emit(event, congress_id=cid),
                                   uow.commit, uow.rollback)


SeatingUow = Annotated[SeatingUnitOfWork, Depends(get_seating_uow)]
