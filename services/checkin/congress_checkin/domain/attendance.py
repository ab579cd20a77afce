"""Attendance and the quorum rule (Điều lệ Công đoàn Việt Nam 2020, Art. 10.1: two thirds of the summoned)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class QuorumRule:
    """At least ``numerator/denominator`` of the summoned official delegates must be present: 2/3 by the Charter,
    or a stricter fraction a congress's own rules set; never less."""

    numerator: int = 2
    denominator: int = 3

    def __post_init__(self) -> None:
        if not 0 < self.numerator <= self.denominator <= 1000:
            raise ValueError("Tỷ lệ tối thiểu phải là một phân số từ 0 đến 1 (ví dụ 2/3)")
        if 3 * self.numerator < 2 * self.denominator:  # Điều lệ Công đoàn Việt Nam: at least two thirds attend
            raise ValueError("Tỷ lệ tối thiểu không được thấp hơn 2/3: Điều lệ Công đoàn Việt Nam yêu cầu ít nhất "
                             "hai phần ba số đại biểu được triệu tập có mặt")

    def required(self, summoned: int) -> int:
        """Smallest head count that is at least ``numerator/denominator`` of ``summoned`` (integer arithmetic)."""
        return -(-summoned * self.numerator // self.denominator)

    @property
    def label(self) -> str:
        return f"{self.numerator}/{self.denominator}"


def quorum_required(summoned: int) -> int:
    """The default rule: two thirds."""
    return QuorumRule().required(summoned)


@dataclass(frozen=True)
class Attendance:
    summoned: int
    present_official: int
    present_alternate: int = 0
    present_guest: int = 0
    rule: QuorumRule = field(default_factory=QuorumRule)

    @property
    def present(self) -> int:
        return self.present_official

    @property
    def absent(self) -> int:
        return self.summoned - self.present_official

    @property
    def quorum_required(self) -> int:
        return self.rule.required(self.summoned)

    @property
    def quorum_met(self) -> bool:
        return self.summoned > 0 and self.present_official >= self.quorum_required
