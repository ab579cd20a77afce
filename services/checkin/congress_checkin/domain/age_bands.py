"""Age bands of the credentials report: "under 30, 30 to 50, over 50" by default, or as the congress sets them.

A congress stores the upper ages of its bands, e.g. ``[30, 50]``: under 30, 30 to 50, over 50; ``[35, 45, 55]``:
under 35, 35 to 45, 46 to 55, over 55. Ages count in years reached in the congress's year.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

DEFAULT_AGE_BANDS: tuple[int, ...] = (30, 50)
MIN_EDGE, MAX_EDGE, MAX_EDGES = 16, 100, 6


def check_age_bands(edges: Sequence[int]) -> list[int]:
    """``edges`` when they make bands; ``ValueError`` with a Vietnamese message otherwise."""
    edges = list(edges)
    if not 1 <= len(edges) <= MAX_EDGES:
        raise ValueError(f"Độ tuổi: cần từ 1 đến {MAX_EDGES} mốc tuổi (ví dụ 30, 50)")
    if any(not MIN_EDGE <= e <= MAX_EDGE for e in edges):
        raise ValueError(f"Độ tuổi: mỗi mốc tuổi phải từ {MIN_EDGE} đến {MAX_EDGE}")
    if any(b <= a for a, b in pairwise(edges)):
        raise ValueError("Độ tuổi: các mốc tuổi phải tăng dần và không trùng nhau (ví dụ 30, 50)")
    return edges


@dataclass(frozen=True)
class AgeBand:
    label: str
    low: int | None  # inclusive; None: no lower bound
    high: int | None  # inclusive; None: no upper bound

    def holds(self, age: int) -> bool:
        return (self.low is None or age >= self.low) and (self.high is None or age <= self.high)


def age_bands(edges: Sequence[int] | None) -> list[AgeBand]:
    """[30, 50] → "Dưới 30 tuổi", "Từ 30 đến 50 tuổi", "Trên 50 tuổi"."""
    edges = list(edges or DEFAULT_AGE_BANDS)
    bands = [AgeBand(f"Dưới {edges[0]} tuổi", None, edges[0] - 1)]
    low = edges[0]
    for edge in edges[1:]:
        bands.append(AgeBand(f"Từ {low} đến {edge} tuổi", low, edge))
        low = edge + 1
    top = f"Trên {edges[-1]} tuổi" if low == edges[-1] + 1 else f"Từ {low} tuổi trở lên"  # [40]: under 40, 40+
    bands.append(AgeBand(top, low, None))
    return bands
