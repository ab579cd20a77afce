"""The Vietnamese labels of an enum's values, declared once beside the enum.

``labelled(Category, {...})`` records them and returns them unchanged, so a module keeps its
``CATEGORY_LABELS`` dict; ``labels_of(Category)`` finds them wherever a value is shown to a person
(a validation error lists "Báo cáo", "Nghị quyết"... instead of ``report``, ``resolution``).
"""
from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

E = TypeVar("E", bound=Enum)
_LABELS: dict[type[Enum], Mapping] = {}


def labelled(enum: type[E], labels: Mapping[E, str]) -> Mapping[E, str]:
    """Declare ``labels`` as the labels of every value of ``enum`` (all of them: a missing one is a bug)."""
    missing = [member.value for member in enum if member not in labels]
    if missing:
        raise ValueError(f"{enum.__name__}: no label for {missing}")
    _LABELS[enum] = labels
    return labels


def labels_of(enum: type[Enum]) -> Mapping[Enum, str] | None:
    return _LABELS.get(enum)
