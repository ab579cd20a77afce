"""The printed seating chart: A3 landscape, the hall with every seat coloured by delegation, a legend, then the list.

``chart_payload`` turns the plan view into plain data; ``seating_chart`` is
the layout function the PDF worker runs (``congress_common.pdf``).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from congress_common.pdf import Document, Fonts
from congress_common.pdf.document import FAMILY
from congress_common.text import row_label, vietnamese_sort_key, vietnamese_text_key

from .api.schemas import PlanView
from .colours import rgb, text_on

A3_W, A3_H, MARGIN = 420.0, 297.0, 10.0
LEGEND_W = 105.0
EMPTY, BLOCKED, RESERVED = (255, 255, 255), (190, 190, 190), (255, 244, 200)
VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving: a fixed offset is exact


def local_now() -> datetime:
    return datetime.now(VIETNAM)


def chart_payload(view: PlanView, congress_name: str, printed_at: datetime) -> dict:
    colours = {d.id: d.colour for d in view.delegations}
    people = {p.id: p for p in view.people}
    seats = [{"x": s.x, "y": s.y, "number": s.number, "row": s.row, "section": s.section, "stage": s.stage,
              "status": s.status, "colour": colours.get(people[s.delegate_id].delegation_id)
              if s.delegate_id in people else None} for s in view.seats]
    labels = {s.id: s.label for s in view.seats}
    listing = sorted(((p.delegation_name, vietnamese_sort_key(p.full_name), p.full_name, labels.get(p.seat_id, ""))
                      for p in view.people if p.seat_id), key=lambda r: (vietnamese_text_key(r[0]), r[1]))
    return {"congress": congress_name, "hall": view.name, "width": view.width, "height": view.height,
            "published": view.published_at is not None, "printed_at": printed_at, "seats": seats,
            "legend": [{"name": d.name, "colour": d.colour, "seated": d.seated, "size": d.size}
                       for d in view.delegations],
            "listing": [(name, full_name, label) for name, _key, full_name, label in listing]}


def seating_chart(fonts: Fonts, payload: dict) -> bytes:
    doc = Document(fonts, title=f"Sơ đồ chỗ ngồi — {payload['hall']}", orientation="landscape", page_format="A3",
                   margin_mm=MARGIN, footer_text=payload["congress"])
    doc.add_page()
    doc.heading(payload["congress"], size=15, after=1)
    status = "đã công bố" if payload["published"] else "bản nháp, chưa công bố"
    doc.heading(f"SƠ ĐỒ CHỖ NGỒI — {payload['hall']} ({status})", size=13, bold=False, after=1)
    doc.printed_at(payload["printed_at"])
    top = doc.get_y() + 2
    _hall(doc, payload, top)
    _legend(doc, payload["legend"], top)
    if payload["listing"]:
        _listing(doc, payload["listing"])
    return doc.to_bytes()


def _hall(doc: Document, payload: dict, top: float) -> None:
    area_w, area_h = A3_W - 2 * MARGIN - LEGEND_W - 6, A3_H - top - MARGIN - 12
    cell = min(area_w / payload["width"], area_h / (payload["height"] + 1.5), 9.0)
    left = MARGIN + (area_w - cell * payload["width"]) / 2
    stage = [s for s in payload["seats"] if s["stage"]]
    if stage:
        x0, x1 = min(s["x"] for s in stage), max(s["x"] for s in stage) + 1
        y1 = max(s["y"] for s in stage) + 1
        doc.set_fill_color(235, 228, 214)
        doc.rect(left + (x0 - 0.5) * cell, top, (x1 - x0 + 1) * cell, y1 * cell + 5, style="F")
        doc.set_font(FAMILY, "B", 8)
        doc.set_xy(left + (x0 - 0.5) * cell, top + 0.5)
        doc.cell((x1 - x0 + 1) * cell, 4, "SÂN KHẤU", align="C")
        top += 4.5
    _section_titles(doc, payload["seats"], left, top, cell)
    size = max(min(cell * 1.6, 7.0), 3.0)
    doc.set_font(FAMILY, "", size)
    doc.set_draw_color(120)
    doc.set_line_width(0.1)
    for seat in payload["seats"]:
        fill = rgb(seat["colour"]) if seat["colour"] else BLOCKED if seat["status"] == "blocked" else \
            RESERVED if seat["status"] == "reserved" else EMPTY
        x, y = left + seat["x"] * cell + cell * 0.06, top + seat["y"] * cell + cell * 0.06
        doc.set_fill_color(*fill)
        doc.rect(x, y, cell * 0.88, cell * 0.88, style="DF")
        if cell >= 3.2:
            doc.set_text_color(*(text_on(seat["colour"]) if seat["colour"] else (60, 60, 60)))
            doc.set_xy(x, y)
            doc.cell(cell * 0.88, cell * 0.88, str(seat["number"]), align="C")
    doc.set_text_color(0)


def _section_titles(doc: Document, seats: list[dict], left: float, top: float, cell: float) -> None:
    doc.set_font(FAMILY, "B", 8)
    sections: dict[str, list[dict]] = {}
    for seat in seats:
        if not seat["stage"]:
            sections.setdefault(seat["section"], []).append(seat)
    for code, members in sections.items():
        x0, x1 = min(s["x"] for s in members), max(s["x"] for s in members) + 1
        y0 = min(s["y"] for s in members)
        doc.set_xy(left + x0 * cell, top + y0 * cell - 4.2)
        doc.cell((x1 - x0) * cell, 4, f"Khu {code}", align="C")
        rows = {s["row"]: s["y"] for s in members}
        doc.set_font(FAMILY, "", max(min(cell * 1.4, 6.5), 3.0))
        for row, y in rows.items():
            doc.set_xy(left + x0 * cell - 6, top + y * cell)
            doc.cell(5.6, cell, row_label(row), align="R")
        doc.set_font(FAMILY, "B", 8)


def _legend(doc: Document, legend: list[dict], top: float) -> None:
    x = A3_W - MARGIN - LEGEND_W
    doc.set_xy(x, top)
    doc.set_font(FAMILY, "B", 10)
    doc.cell(LEGEND_W, 6, "Chú thích (màu theo đoàn · đã xếp/tổng số)", new_x="LEFT", new_y="NEXT")
    rows = [*legend, {"name": "Ghế dành riêng (báo chí, khuyết tật…)", "colour": None, "fill": RESERVED},
            {"name": "Ghế không sử dụng", "colour": None, "fill": BLOCKED},
            {"name": "Ghế trống", "colour": None, "fill": EMPTY}]
    line = min(5.0, (A3_H - top - MARGIN - 18) / max(len(rows), 1))
    size = max(min(line * 1.7, 8.5), 5.0)
    for item in rows:
        y = doc.get_y()
        doc.set_fill_color(*(rgb(item["colour"]) if item["colour"] else item["fill"]))
        doc.rect(x, y + line * 0.15, line * 0.7, line * 0.7, style="DF")
        doc.set_font(FAMILY, "", size)
        doc.set_xy(x + line, y)
        count = f"  {item['seated']}/{item['size']}" if "size" in item else ""
        text = item["name"] if len(item["name"]) <= 52 else item["name"][:51] + "…"
        doc.cell(LEGEND_W - line, line, f"{text}{count}", new_x="LEFT", new_y="NEXT")
        doc.set_x(x)


def _listing(doc: Document, listing: list[tuple[str, str, str]], columns: int = 4, line: float = 3.9) -> None:
    """Who sits where, delegation by delegation, in newspaper columns (a 1,100-person list on a few pages)."""
    width = (A3_W - 2 * MARGIN - (columns - 1) * 5) / columns
    bottom = A3_H - MARGIN - 10
    column, current, start = columns, None, 0.0

    def next_column() -> None:
        nonlocal column, start
        column += 1
        if column >= columns:
            doc.add_page()
            doc.heading("Danh sách chỗ ngồi theo đoàn", size=12, after=2)
            column, start = 0, doc.get_y()
        doc.set_xy(MARGIN + column * (width + 5), start)

    for delegation, full_name, label in listing:
        if column >= columns or doc.get_y() + line * (2.6 if delegation != current else 1) > bottom:
            next_column()
        if delegation != current:
            current = delegation
            doc.set_x(MARGIN + column * (width + 5))
            doc.set_font(FAMILY, "B", 8.5)
            doc.multi_cell(width, line + 0.4, delegation, new_x="LEFT", new_y="NEXT")
        doc.set_x(MARGIN + column * (width + 5))
        doc.set_font(FAMILY, "", 8)
        doc.cell(17, line, label)
        doc.cell(width - 17, line, full_name, new_x="LEFT", new_y="NEXT")
