"""Attendance and the 2/3 quorum (Điều lệ Công đoàn Việt Nam 2020, Art. 10.1)."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil


def quorum_required(summoned: int) -> int:
    """Smallest head count that is at least two thirds of the summoned delegates."""
    return ceil(summoned * 2 / 3)


@dataclass(frozen=True)
class Attendance:
    summoned: int
    present_official: int
    present_alternate: int = 0
    present_guest: int = 0

    @property
    def present(self) -> int:
        return self.present_official

    @property
    def absent(self) -> int:
        return self.summoned - self.present_official

    @property
    def quorum_required(self) -> int:
        return quorum_required(self.summoned)

    @property
    def quorum_met(self) -> bool:
        return self.summoned > 0 and self.present_official >= self.quorum_required
