"""What every official printout of the congress shares: the letterhead, Vietnamese numbers and local times."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from congress_common.pdf import Document
from congress_common.pdf.document import FAMILY

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def local_time(when: datetime, zone: str) -> str:
    """``08:30 ngày 10/08/2023`` in the congress's time zone."""
    return f"{when.astimezone(ZoneInfo(zone)):%H:%M} ngày {when.astimezone(ZoneInfo(zone)):%d/%m/%Y}"


def percent_text(value: float) -> str:
    """66.7 → ``66,7%`` (Vietnamese decimal comma)."""
    return f"{value:.1f}".replace(".", ",") + "%"


def letterhead(doc: Document, issuer: str, *, y: float | None = None) -> None:
    """The issuing body on the left, the national motto on the right, as Vietnamese official documents are headed."""
    top = doc.t_margin if y is None else y
    left = doc.l_margin
    half = (doc.epw - 6) / 2
    doc.text_block(issuer.upper(), x=left, y=top, width=half - 10, size=9.5, bold=True, align="C", max_lines=4)
    doc.text_block(NATION, x=left + half + 6, y=top, width=half + 4, size=9.5, bold=True, align="C")
    end = doc.text_block(MOTTO, x=left + half + 6, y=top + 4.8, width=half + 4, size=10, bold=True, align="C")
    doc.set_font(FAMILY, "B", 10)
    reach, middle = doc.measure(MOTTO) / 2, left + half + 6 + (half + 4) / 2
    doc.set_draw_color(0)
    doc.set_line_width(0.3)
    doc.line(middle - reach, end + 0.6, middle + reach, end + 0.6)
    doc.set_xy(doc.l_margin, max(end, doc.get_y()) + 6)
    doc.set_font(FAMILY, "", 11)
