"""The attendance records as Excel: a summary sheet, then one sheet per session with every delegate's presence,
time (local) and method of check-in, and the reason of those absent. Every cell is text (formula-safe)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from .credentials import NO_REASON, Member
from .roster_import import KIND_LABELS, append_header_row, append_text_row, save_workbook

METHOD_LABELS = {"desk": "Tại bàn điểm danh", "qr": "Quét mã QR", "face": "Nhận diện khuôn mặt"}
COLUMNS = (("STT", 6), ("Mã đại biểu", 13), ("Họ và tên", 28), ("Đoàn đại biểu", 34), ("Loại đại biểu", 13),
           ("Có mặt", 12), ("Thời gian điểm danh", 20), ("Hình thức", 20), ("Người/thiết bị điểm danh", 24),
           ("Lý do vắng", 34))
SUMMARY = (("Phiên họp", 36), ("Triệu tập (chính thức)", 14), ("Có mặt", 10), ("Vắng", 10), ("Tối thiểu", 12),
           ("Đủ điều kiện", 14), ("Dự khuyết có mặt", 14), ("Khách mời có mặt", 14))


@dataclass(frozen=True)
class SessionRecord:
    """One session's attendance: its name, the quorum line, and every delegate with their check-in."""

    name: str
    quorum_required: int
    rows: Sequence[tuple[Member, datetime | None, str | None, str | None]]  # member, time, method, actor


def _status(member: Member) -> str:
    if member.present:
        return "Có mặt"
    return "Đã rút" if member.withdrawn_reason is not None else "Vắng"


def _reason(member: Member) -> str | None:
    if member.present:
        return None
    if member.withdrawn_reason is not None:
        return f"Rút khỏi đại hội: {member.withdrawn_reason}"
    return member.absence_reason or NO_REASON


def attendance_workbook(congress_name: str, sessions: Sequence[SessionRecord], zone: str) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Tổng hợp"
    append_text_row(summary, [f"Điểm danh đại biểu — {congress_name}"])
    append_header_row(summary, SUMMARY)
    for record in sessions:
        officials = [m for m, *_ in record.rows if m.kind == "official"]
        present = sum(m.present for m in officials)
        # nobody summoned yet: no "at least 0", no verdict (as on the screen and in the credentials report)
        minimum, verdict = ((record.quorum_required, "Đủ" if present >= record.quorum_required else "Chưa đủ")
                            if officials else ("—", "Chưa có đại biểu"))
        append_text_row(summary, [record.name, len(officials), present, len(officials) - present, minimum, verdict,
                                  sum(m.present for m, *_ in record.rows if m.kind == "alternate"),
                                  sum(m.present for m, *_ in record.rows if m.kind == "guest")])
    for index, record in enumerate(sessions, start=1):
        _session_sheet(workbook, index, record, ZoneInfo(zone))
    return save_workbook(workbook)


def _session_sheet(workbook: Workbook, index: int, record: SessionRecord, zone: ZoneInfo) -> None:
    title = f"{index}. {record.name}"
    for bad in "[]:*?/\\":  # characters Excel refuses in a sheet name
        title = title.replace(bad, " ")
    sheet = workbook.create_sheet(title[:31])
    append_header_row(sheet, COLUMNS)
    for number, (member, at, method, actor) in enumerate(record.rows, start=1):
        append_text_row(sheet, [number, member.code, member.full_name, member.delegation, KIND_LABELS.get(member.kind,
                                member.kind), _status(member), at.astimezone(zone) if at else None,
                                METHOD_LABELS.get(method, method) if method else None, actor, _reason(member)])
