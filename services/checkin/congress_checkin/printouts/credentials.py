"""The credentials report as a PDF (báo cáo thẩm tra tư cách đại biểu): ``credentials_report`` runs in the worker."""
from __future__ import annotations

from datetime import datetime

from congress_common.pdf import Document, Fonts

from .letterhead import letterhead, local_time, percent_text

ISSUER = "Ban Thẩm tra tư cách đại biểu"


def credentials_report(fonts: Fonts, payload: dict) -> bytes:
    """``payload``: the report as JSON (``CredentialsReportPublic``) plus ``timezone``."""
    report, zone = payload["report"], payload["timezone"]
    doc = Document(fonts, title=f"Báo cáo thẩm tra tư cách đại biểu — {report['congress_name']}",
                   footer_text=f"Báo cáo thẩm tra tư cách đại biểu · {report['congress_name']}")
    doc.add_page()
    letterhead(doc, f"{ISSUER}\n{report['congress_name']}")
    doc.heading("BÁO CÁO THẨM TRA TƯ CÁCH ĐẠI BIỂU", size=15, after=1)
    doc.heading(report["congress_name"], size=12, after=1)
    taken = local_time(datetime.fromisoformat(report["taken_at"]), zone)
    session = report["attendance"].get("session_name")
    doc.heading(f"{session + ' · ' if session else ''}Số liệu tính đến {taken}", size=10, bold=False, after=4)
    _attendance(doc, report)
    _composition(doc, report)
    _units(doc, "III. Theo đoàn đại biểu", "Đoàn đại biểu", report["by_delegation"])
    _units(doc, "IV. Theo đơn vị công tác", "Đơn vị công tác", report["by_sending_unit"])
    _absentees(doc, report["absentees"])
    _signature(doc)
    return doc.to_bytes()


def _attendance(doc: Document, report: dict) -> None:
    a = report["attendance"]
    summoned = a["summoned"]
    pct = (lambda n: percent_text(100 * n / summoned)) if summoned else (lambda _n: "—")
    doc.heading("I. Tình hình đại biểu dự Đại hội", size=12, align="L", after=1)
    rows = [
        ["Tổng số đại biểu chính thức được triệu tập", summoned, "100%" if summoned else "—"],
        ["Số đại biểu chính thức có mặt", a["present"], pct(a["present"])],
        ["Số đại biểu chính thức vắng mặt", a["absent"], pct(a["absent"])],
        ["    trong đó vắng mặt có lý do", report["absent_with_reason"], pct(report["absent_with_reason"])],
        [f"Số có mặt tối thiểu ({a['quorum_rule']} số được triệu tập)", a["quorum_required"] if summoned else "—", ""],
        *[[f"{k['label']} (không tính vào tỷ lệ): có mặt / tổng số", f"{k['present']} / {k['total']}", ""]
          for k in report["others"]],
    ]
    doc.data_table(["Nội dung", "Số người", "Tỷ lệ"], rows, widths=(7, 1.6, 1.4), align=("LEFT", "RIGHT", "RIGHT"),
                   size=10, bold_rows=(1,))
    doc.line_of_text(_verdict(a), size=10.5, bold=True)
    doc.ln(4)


def _verdict(a: dict) -> str:
    summoned, rule = a["summoned"], a["quorum_rule"]
    if not summoned:  # no "at least 0", no verdict on a quorum that cannot be counted yet
        return (f"Chưa có đại biểu chính thức nào trong danh sách triệu tập: chưa tính được số tối thiểu ({rule}) "
                "và chưa xác định được Đại hội có đủ điều kiện tiến hành hay không.")
    if a["quorum_met"]:
        return (f"Số đại biểu chính thức có mặt ({a['present']}/{summoned}) đạt từ {rule} tổng số đại biểu "
                "được triệu tập trở lên: Đại hội đủ điều kiện tiến hành theo Điều lệ Công đoàn Việt Nam.")
    return (f"Số đại biểu chính thức có mặt ({a['present']}/{summoned}) chưa đạt {rule} tổng số đại biểu "
            "được triệu tập: Đại hội chưa đủ điều kiện tiến hành.")


def _composition(doc: Document, report: dict) -> None:
    present = report["attendance"]["present"]
    doc.heading(f"II. Cơ cấu {present} đại biểu chính thức có mặt", size=12, align="L", after=1)
    rows, bold = [], []
    for section in report["composition"]:
        bold.append(len(rows))
        rows.append([section["title"], "", ""])
        for share in section["rows"]:
            label = ("      " if share["indent"] else "   ") + share["label"]
            rows.append([label, share["count"], percent_text(share["percent"]) if present else "—"])
    doc.data_table(["Nội dung", "Số người", "Tỷ lệ"], rows, widths=(7, 1.6, 1.4), align=("LEFT", "RIGHT", "RIGHT"),
                   size=10, bold_rows=bold)


def _units(doc: Document, title: str, column: str, units: list[dict]) -> None:
    doc.heading(title, size=12, align="L", after=1)
    rows = [[u["name"], u["summoned"], u["present"], u["absent"], percent_text(u["percent"])] for u in units]
    total = [sum(u[k] for u in units) for k in ("summoned", "present", "absent")]
    rows.append(["Tổng cộng", *total, percent_text(100 * total[1] / total[0]) if total[0] else "—"])
    doc.data_table([column, "Triệu tập", "Có mặt", "Vắng", "Tỷ lệ có mặt"], rows, widths=(6, 1.5, 1.5, 1.3, 1.7),
                   align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"), size=9.5, bold_rows=(len(rows) - 1,))


def _absentees(doc: Document, absentees: list[dict]) -> None:
    doc.heading(f"V. Danh sách đại biểu chính thức vắng mặt ({len(absentees)} người)", size=12, align="L", after=1)
    if not absentees:
        doc.line_of_text("Không có đại biểu chính thức nào vắng mặt.", size=10)
        doc.ln(3)
        return
    rows = [[i, a["delegation"], a["code"], a["full_name"], a["reason"]] for i, a in enumerate(absentees, 1)]
    doc.data_table(["STT", "Đoàn đại biểu", "Mã", "Họ và tên", "Lý do"], rows, widths=(0.8, 4, 1.5, 3.5, 4.2),
                   size=9.5)


def _signature(doc: Document) -> None:
    if doc.get_y() > doc.page_break_trigger - 40:
        doc.add_page()
    doc.ln(4)
    x = doc.l_margin + doc.epw / 2
    doc.text_block(f"T/M {ISSUER.upper()}", x=x, width=doc.epw / 2, size=10.5, bold=True, align="C")
    doc.text_block("TRƯỞNG BAN", x=x, width=doc.epw / 2, size=10.5, bold=True, align="C")
    doc.text_block("(Ký, ghi rõ họ tên)", x=x, width=doc.epw / 2, size=9.5, align="C")
