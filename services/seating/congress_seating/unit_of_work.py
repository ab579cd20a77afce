"""The unit of work the handlers use: load and save seat plans, stage events, commit (SQL or fake)."""
from __future__ import annotations

import abc

from congress_common.contracts import IntegrationEvent

from .domain.hall import Hall
from .domain.people import Person
from .domain.plan import SeatPlan


class SeatTaken(Exception):
    """Saving hit a uniqueness rule (seat or delegate) another transaction got to first."""


class StalePlan(Exception):
    """A seat changed under us since it was loaded (a concurrent edit)."""


class SeatingUnitOfWork(abc.ABC):
    @abc.abstractmethod
    async def get_plan(self, congress_id: str) -> SeatPlan | None: ...

    @abc.abstractmethod
    async def get_hall(self, congress_id: str) -> Hall | None: ...

    @abc.abstractmethod
    async def get_roster(self, congress_id: str) -> list[Person]: ...

    @abc.abstractmethod
    async def save_plan(self, plan: SeatPlan, *, hall_changed: bool) -> None:
        """Write the plan's changes; raise ``SeatTaken`` / ``StalePlan`` on a concurrent edit."""

    @abc.abstractmethod
    async def emit(self, event: IntegrationEvent, *, congress_id: str) -> None: ...

    @abc.abstractmethod
    async def commit(self) -> None: ...

    @abc.abstractmethod
    async def rollback(self) -> None: ...
