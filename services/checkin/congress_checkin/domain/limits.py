"""One set of limits for a delegate's fields: the Excel import, the form and the API all use these.

Each limit carries the Vietnamese label of its field, so every message names
the field the way the organisers' list and the form do. The database columns
have the same lengths (``adapters/orm.py``).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextLimit:
    label: str
    max_length: int
    min_length: int = 1

    def check(self, text: str) -> str:
        """``text`` when it fits; ``ValueError`` with a Vietnamese message naming the field otherwise."""
        if len(text) > self.max_length:
            raise ValueError(f"{self.label} dài quá {self.max_length} ký tự (có {len(text)} ký tự)")
        if len(text) < self.min_length:
            raise ValueError(f"{self.label} phải có ít nhất {self.min_length} ký tự")
        return text


TEXT_LIMITS: dict[str, TextLimit] = {
    "code": TextLimit("Mã đại biểu", 40),
    "full_name": TextLimit("Họ và tên", 200, 2),
    "delegation": TextLimit("Đoàn đại biểu", 300, 2),
    "ethnicity": TextLimit("Dân tộc", 60),
    "education": TextLimit("Trình độ chuyên môn", 120),
    "position": TextLimit("Chức vụ", 300),
    "sending_unit": TextLimit("Đơn vị công tác", 300),
    "phone": TextLimit("Điện thoại", 30),
    "email": TextLimit("Email", 200),
}
MIN_BIRTH_YEAR, MAX_BIRTH_YEAR = 1930, 2010
REASON = TextLimit("Lý do", 500, 3)
MAX_PAGE_OFFSET = 1_000_000  # far past any roster; an offset beyond what the database's integer holds was a 500
