"""Tables of the seating service: its outbox and its read model of the roster."""
from __future__ import annotations

from congress_common.outbox import define_outbox_tables
from congress_common.readmodels import define_directory_tables
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


OUTBOX, PROCESSED_EVENTS = define_outbox_tables(Base.metadata)
KNOWN_CONGRESSES, KNOWN_DELEGATES = define_directory_tables(Base.metadata)
