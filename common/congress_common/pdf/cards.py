"""Cards printed several to a sheet (badges, seat cards): a grid with dashed cut lines."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .document import Document
from .fonts import Fonts


@dataclass(frozen=True)
class CardGrid:
    """``columns`` × ``rows`` cards of ``width`` × ``height`` mm per page, from (``left``, ``top``)."""

    width: float
    height: float
    columns: int
    rows: int
    left: float
    top: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def place(self, doc: Document, index: int) -> tuple[float, float]:
        """Where card ``index`` goes; starts a new page, with its cut lines, at the first card of a page."""
        if index % self.per_page == 0:
            doc.add_page()
            self.cut_lines(doc)
        slot = index % self.per_page
        return self.left + (slot % self.columns) * self.width, self.top + (slot // self.columns) * self.height

    def cut_lines(self, doc: Document) -> None:
        doc.set_draw_color(170)
        doc.set_line_width(0.2)
        doc.set_dash_pattern(dash=1.5, gap=1.5)
        bottom, right = self.top + self.rows * self.height, self.left + self.columns * self.width
        for c in range(self.columns + 1):
            doc.line(self.left + c * self.width, self.top, self.left + c * self.width, bottom)
        for r in range(self.rows + 1):
            doc.line(self.left, self.top + r * self.height, right, self.top + r * self.height)
        doc.set_dash_pattern()
        doc.set_draw_color(0)


def card_sheets(fonts: Fonts, *, title: str, grid: CardGrid, cards: Sequence[Any],
                draw: Callable[[Document, Any, float, float], None]) -> bytes:
    """A PDF of ``cards`` laid out on ``grid``; ``draw(doc, card, x, y)`` draws one card at its place."""
    doc = Document(fonts, title=title, margin_mm=8)
    doc.set_auto_page_break(False)
    for index, card in enumerate(cards):
        draw(doc, card, *grid.place(doc, index))
    return doc.to_bytes()
