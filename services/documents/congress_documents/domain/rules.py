"""Who may read a document, and when it is released: plain rules, no framework."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from congress_common.errors import Invalid
from congress_common.labels import labelled


class Category(StrEnum):
    programme = "programme"
    report = "report"
    resolution = "resolution"
    election = "election"
    personnel = "personnel"
    speech = "speech"
    other = "other"


CATEGORY_LABELS = labelled(Category, {
    Category.programme: "Chương trình, kịch bản",
    Category.report: "Báo cáo",
    Category.resolution: "Nghị quyết",
    Category.election: "Bầu cử",
    Category.personnel: "Nhân sự",
    Category.speech: "Tham luận",
    Category.other: "Tài liệu khác",
})


class AudienceKind(StrEnum):
    all = "all"  # every delegate of the congress, guests included
    official = "official"  # official delegates only
    presidium = "presidium"  # the presidium (Đoàn Chủ tịch)
    delegations = "delegations"  # the delegates of the named delegations


AUDIENCE_LABELS = labelled(AudienceKind, {
    AudienceKind.all: "Tất cả đại biểu",
    AudienceKind.official: "Chỉ đại biểu chính thức",
    AudienceKind.presidium: "Đoàn Chủ tịch",
    AudienceKind.delegations: "Các đoàn đại biểu được chọn",
})


class ReleaseMode(StrEnum):
    now = "now"
    at = "at"  # at release_at
    agenda_item = "agenda_item"  # when its agenda item opens


RELEASE_LABELS = labelled(ReleaseMode, {
    ReleaseMode.now: "Ngay khi tải lên",
    ReleaseMode.at: "Vào thời điểm định trước",
    ReleaseMode.agenda_item: "Khi mở mục chương trình",
})


@dataclass(frozen=True)
class Reader:
    """A delegate as the documents service knows them (its read model of the roster)."""

    delegate_id: str
    code: str
    full_name: str
    kind: str
    roles: tuple[str, ...]
    delegation_id: str


@dataclass(frozen=True)
class AudienceRule:
    kind: AudienceKind
    delegation_ids: tuple[str, ...] = ()

    def admits(self, reader: Reader) -> bool:
        match self.kind:
            case AudienceKind.all:
                return True
            case AudienceKind.official:
                return reader.kind == "official"
            case AudienceKind.presidium:
                return "presidium" in reader.roles
            case AudienceKind.delegations:
                return reader.delegation_id in self.delegation_ids
        return False

    @classmethod
    def checked(cls, kind: AudienceKind, delegation_ids: Iterable[str], known_delegations: set[str]) -> AudienceRule:
        ids = tuple(dict.fromkeys(i for i in delegation_ids if i))
        if kind is not AudienceKind.delegations:
            return cls(kind)
        if not ids:
            raise Invalid("Chọn ít nhất một đoàn đại biểu được đọc tài liệu này")
        if unknown := [i for i in ids if i not in known_delegations]:
            raise Invalid(f"Không có đoàn đại biểu nào mang mã {unknown[0]} trong đại hội này")
        return cls(kind, ids)


@dataclass(frozen=True)
class Release:
    mode: ReleaseMode
    at: datetime | None = None
    agenda_item_id: str | None = None

    @classmethod
    def checked(cls, mode: ReleaseMode, at: datetime | None, agenda_item_id: str | None, now: datetime) -> Release:
        if mode is ReleaseMode.at:
            if at is None:
                raise Invalid("Cần chọn thời điểm phát hành")
            if at.tzinfo is None:
                raise Invalid("Thời điểm phát hành cần kèm múi giờ (ví dụ 2023-08-10T13:30:00+07:00)")
            if at <= now:
                raise Invalid("Thời điểm phát hành đã qua: chọn một thời điểm sau bây giờ, hoặc phát hành ngay")
            return cls(mode, at=at.astimezone(UTC))  # stored in UTC (SQLite keeps no offset)
        if mode is ReleaseMode.agenda_item:
            if not agenda_item_id:
                raise Invalid("Cần chọn mục chương trình mà tài liệu được phát hành cùng")
            return cls(mode, agenda_item_id=agenda_item_id)
        return cls(ReleaseMode.now)


def reading_state(current_version: int, read_version: int | None) -> str:
    """``new`` (never opened), ``updated`` (opened an older version) or ``read``."""
    if read_version is None:
        return "new"
    return "updated" if read_version < current_version else "read"
