"""Tables of the seating service: halls, seats, who sits where; its outbox and its read model of the roster.

One person per seat and one seat per person are the database's rules
(``seat_assignments``: primary key ``seat_id``, unique ``(congress_id,
delegate_id)``), so two organisers editing at once never seat two people in one chair.
"""
from __future__ import annotations

from congress_common.db import UtcDateTime
from congress_common.outbox import define_outbox_tables
from congress_common.readmodels import define_directory_tables
from sqlalchemy import JSON, Boolean, Column, Float, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


OUTBOX, PROCESSED_EVENTS = define_outbox_tables(Base.metadata)
KNOWN_CONGRESSES, KNOWN_DELEGATES = define_directory_tables(Base.metadata)

HALLS = Table(
    "halls", Base.metadata,
    Column("id", String(36), primary_key=True),
    Column("congress_id", String(36), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("options", JSON, nullable=False),
    Column("published_at", UtcDateTime(), nullable=True),
    Column("updated_at", UtcDateTime(), nullable=False),
)

SEATS = Table(
    "seats", Base.metadata,
    Column("id", String(36), primary_key=True),
    Column("hall_id", String(36), nullable=False, index=True),
    Column("label", String(40), nullable=False),
    Column("section", String(20), nullable=False),
    Column("row", String(20), nullable=False),
    Column("row_index", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("block", Integer, nullable=False),
    Column("x", Float, nullable=False),
    Column("y", Float, nullable=False),
    Column("status", String(20), nullable=False),
    Column("purpose", String(120), nullable=True),
    UniqueConstraint("hall_id", "label", name="uq_seats_hall_label"),
)

SEAT_ASSIGNMENTS = Table(
    "seat_assignments", Base.metadata,
    Column("seat_id", String(36), primary_key=True),
    Column("congress_id", String(36), nullable=False, index=True),
    Column("delegate_id", String(36), nullable=False),
    Column("delegation_id", String(36), nullable=True),
    Column("locked", Boolean, nullable=False, default=False),
    Column("assigned_at", UtcDateTime(), nullable=False),
    UniqueConstraint("congress_id", "delegate_id", name="uq_seat_assignments_delegate"),
)
