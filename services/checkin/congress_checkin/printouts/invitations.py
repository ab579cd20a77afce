"""Invitations (giấy triệu tập; giấy mời for guests): one A4 page per delegate with what they need to come in and
to log in: name, delegation, the login code and PIN of the delegate app, and the badge QR for check-in.

``invitations`` is the layout function the PDF worker runs over plain data (``printing.person_card``).
"""
from __future__ import annotations

from congress_common.pdf import Document, Fonts
from congress_common.pdf.document import FAMILY

from .letterhead import letterhead

LABEL_W = 42.0


def invitations(fonts: Fonts, payload: dict) -> bytes:
    congress = payload["congress"]
    doc = Document(fonts, title=f"Giấy triệu tập — {congress['name']}", margin_mm=18)
    doc.set_auto_page_break(False)
    for person in payload["people"]:
        _page(doc, congress, person)
    return doc.to_bytes()


def _page(doc: Document, congress: dict, person: dict) -> None:
    guest = person["kind"] == "guest"
    doc.add_page()
    letterhead(doc, f"Ban Tổ chức\n{congress['name']}")
    doc.heading("GIẤY MỜI" if guest else "GIẤY TRIỆU TẬP", size=20, after=1)
    doc.heading(congress["name"], size=12.5, after=6)
    doc.line_of_text(f"Ban Tổ chức {congress['name']} trân trọng {'kính mời' if guest else 'triệu tập'}:", size=11.5)
    doc.ln(2)
    _field(doc, "Đồng chí:", person["full_name"], size=15, bold=True)
    for label, value in (("Chức vụ:", person.get("position")), ("Đơn vị công tác:", person.get("sending_unit")),
                         ("Đoàn đại biểu:", person["delegation"]), ("Tư cách:", person["kind_label"]),
                         ("Nhiệm vụ:", ", ".join(person["roles"]) or None), ("Mã đại biểu:", person["code"])):
        if value:
            _field(doc, label, value)
    doc.ln(2)
    when = f", khai mạc ngày {congress['starts_on']}" if congress.get("starts_on") else ""
    where = f" tại {congress['venue']}" if congress.get("venue") else ""
    doc.line_of_text(f"Về dự {congress['name']}{where}{when}.", size=11.5)
    doc.ln(1.5)
    doc.line_of_text("Đề nghị đồng chí mang theo giấy này. Tại cửa hội trường, đưa mã QR bên dưới (hoặc thẻ đại biểu) "
                     "vào máy điểm danh, hoặc nhìn vào camera nếu đã đăng ký điểm danh bằng khuôn mặt.", size=10.5)
    _app_box(doc, congress, person, top=max(doc.get_y() + 6, 178.0))
    _signature(doc)


def _field(doc: Document, label: str, value: str, *, size: float = 11.5, bold: bool = False) -> None:
    y = doc.get_y()
    doc.text_block(label, x=doc.l_margin, y=y, width=LABEL_W, size=11.5, line_height=size * 0.5)
    end = doc.text_block(value, x=doc.l_margin + LABEL_W, y=y, width=doc.epw - LABEL_W, size=size, bold=bold,
                         line_height=size * 0.5, max_lines=3)
    doc.set_y(end + 1)


def _app_box(doc: Document, congress: dict, person: dict, *, top: float) -> None:
    left, width, height, qr = doc.l_margin, doc.epw, 64.0, 44.0
    doc.set_draw_color(11, 78, 162)
    doc.set_line_width(0.5)
    doc.rect(left, top, width, height, round_corners=True, corner_radius=3)
    doc.set_line_width(0.2)
    doc.set_draw_color(0)
    text_w = width - qr - 14
    x = left + 6
    doc.set_text_color(11, 78, 162)
    doc.text_block("ỨNG DỤNG ĐẠI HỘI TRÊN ĐIỆN THOẠI", x=x, y=top + 5, width=text_w, size=11, bold=True)
    doc.set_text_color(0)
    address = congress.get("app_url") or "địa chỉ Ban Tổ chức thông báo"
    y = doc.text_block(f"Mở ứng dụng tại:\n{address}", x=x, y=top + 11, width=text_w, size=9, max_lines=4)
    y = _credential(doc, "Mã đại biểu", person["code"], x, y + 2, text_w)
    y = _credential(doc, "Mã PIN", person["pin"], x, y, text_w)
    doc.text_block("Giữ kín mã PIN. Ban Tổ chức không bao giờ hỏi mã này qua điện thoại hay tin nhắn.", x=x, y=y + 1.5,
                   width=text_w, size=8.5, max_lines=2)
    qr_x = left + width - qr - 6
    doc.qr(person["qr"], x=qr_x, y=top + 5, size=qr, title=f"Mã QR điểm danh của {person['full_name']}")
    doc.text_block("Mã QR điểm danh", x=qr_x, y=top + 5 + qr + 1, width=qr, size=8.5, align="C")


def _credential(doc: Document, label: str, value: str, x: float, y: float, width: float) -> float:
    doc.text_block(f"{label}:", x=x, y=y + 1.2, width=30, size=10)
    return doc.text_block(value, x=x + 30, y=y, width=width - 30, size=17, bold=True, line_height=8)


def _signature(doc: Document) -> None:
    x, width = doc.l_margin + doc.epw / 2, doc.epw / 2
    doc.text_block("T/M BAN TỔ CHỨC", x=x, y=252, width=width, size=11, bold=True, align="C")
    doc.text_block("TRƯỞNG BAN", x=x, width=width, size=11, bold=True, align="C")
    doc.set_font(FAMILY, "", 11)
