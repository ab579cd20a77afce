"""The credentials report from one snapshot: quorum, absentees with reasons, composition with percentages."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from congress_checkin.domain.age_bands import age_bands, check_age_bands
from congress_checkin.domain.attendance import QuorumRule
from congress_checkin.domain.credentials import NO_REASON, UNKNOWN, Member, build_report
from congress_common.text import vietnamese_sort_key, vietnamese_text_key

MUONG_LAT, DAK_LAK = "LĐLĐ huyện Mường Lát", "Công đoàn ngành Giáo dục Đắk Lắk"


def person(name: str, *, delegation: str = MUONG_LAT, kind: str = "official", present: bool = True, **extra) -> Member:
    return Member(code=name[:3], full_name=name, sort_key=vietnamese_sort_key(name), delegation=delegation, kind=kind,
                  present=present, **extra)


TWO_THIRDS = QuorumRule()


def report(members, edges=None, rule=TWO_THIRDS):
    return build_report(members, rule=rule, age_edges=edges, year=2023, taken_at=datetime(2023, 8, 10, 1, tzinfo=UTC))


def shares(section) -> dict[str, tuple[int, float]]:
    return {row.label: (row.count, row.percent) for row in section.rows}


def test_quorum_and_absentees_with_their_reasons():
    members = [
        person("Nguyễn Thị Thủy", gender="female"),
        person("Lò Văn Páo", delegation=DAK_LAK),
        person("Hà Văn Sáu", present=False, withdrawn_reason="Ốm, xin về"),
        person("Đinh Văn Tiến", present=False, absence_reason="Đi công tác"),
        person("Vi Thị Mai", delegation=DAK_LAK, present=False),
        person("Trần Văn Khách", kind="guest"),
        person("Lê Thị Dự", kind="alternate"),
        person("Lê Văn Vắng", kind="alternate", present=False),
    ]
    done = report(members)
    a = done.attendance
    assert (a.summoned, a.present, a.absent, a.quorum_required, a.quorum_met) == (5, 2, 3, 4, False)
    assert [(x.delegation, x.full_name, x.reason) for x in done.absentees] == [
        (DAK_LAK, "Vi Thị Mai", NO_REASON),  # "Công đoàn..." before "LĐLĐ...", then given names: Mai, Sáu, Tiến
        (MUONG_LAT, "Hà Văn Sáu", "Rút khỏi đại hội: Ốm, xin về"),
        (MUONG_LAT, "Đinh Văn Tiến", "Đi công tác"),
    ]
    assert done.absent_with_reason == 2
    assert [(k.label, k.total, k.present) for k in done.others] == [("Đại biểu dự khuyết", 2, 1), ("Khách mời", 1, 1)]
    assert [(u.name, u.summoned, u.present, u.absent, u.percent) for u in done.by_delegation] == [
        (DAK_LAK, 2, 1, 1, 50.0), (MUONG_LAT, 3, 1, 2, 33.3)]
    assert sum(u.present for u in done.by_delegation) == a.present  # one snapshot: every table adds up
    assert report(members, rule=QuorumRule(3, 4)).attendance.quorum_required == 4


def test_composition_of_the_officials_present_with_percentages_and_unknowns():
    members = [
        person("Nguyễn Thị Thủy", gender="female", ethnicity="Kinh", party_member=True, birth_year=1994,
               education="Thạc sĩ", sending_unit="Trường THPT Mường Lát"),
        person("Lò Thị Ơn", gender="female", ethnicity="Thái", party_member=True, birth_year=1993, education="thạc sĩ "),
        person("Hà Văn Sáu", gender="male", ethnicity="Mường", party_member=False, birth_year=1973, education="Đại học"),
        person("Lương Văn Tám", gender="male", ethnicity="Thái", birth_year=1972),
        person("Vắng Mặt", gender="female", ethnicity="Mông", present=False),  # absent: not in the composition
        person("Khách Mời", kind="guest", gender="female"),
    ]
    sections = {s.title: s for s in report(members).composition}
    assert all(s.base == 4 for s in sections.values())
    assert shares(sections["Giới tính"]) == {"Nữ": (2, 50.0), "Nam": (2, 50.0)}
    assert shares(sections["Dân tộc"]) == {"Dân tộc thiểu số": (3, 75.0), "trong đó Thái": (2, 50.0),
                                           "trong đó Mường": (1, 25.0), "Dân tộc Kinh": (1, 25.0)}
    assert shares(sections["Đảng viên"]) == {"Đảng viên": (2, 50.0), "Chưa là đảng viên": (1, 25.0), UNKNOWN: (1, 25.0)}
    # 2023: ages 29, 30, 50, 51 — the edges belong to the middle band
    assert shares(sections["Độ tuổi"]) == {"Dưới 30 tuổi": (1, 25.0), "Từ 30 đến 50 tuổi": (2, 50.0),
                                           "Trên 50 tuổi": (1, 25.0)}
    assert shares(sections["Trình độ chuyên môn"]) == {"Thạc sĩ": (2, 50.0), "Đại học": (1, 25.0), UNKNOWN: (1, 25.0)}
    units = {u.name: u.present for u in report(members).by_sending_unit}
    assert units == {"Trường THPT Mường Lát": 1, UNKNOWN: 3}


def test_age_bands_as_configured():
    assert [b.label for b in age_bands([35, 45, 55])] == ["Dưới 35 tuổi", "Từ 35 đến 45 tuổi", "Từ 46 đến 55 tuổi",
                                                          "Trên 55 tuổi"]
    single = age_bands([40])
    assert [b.label for b in single] == ["Dưới 40 tuổi", "Từ 40 tuổi trở lên"]
    assert [b.label for b in single if b.holds(40)] == ["Từ 40 tuổi trở lên"]
    for age in range(16, 101):  # every age falls in exactly one band
        assert sum(b.holds(age) for b in age_bands([30, 50])) == 1
    for bad in ([], [50, 30], [30, 30], [10], list(range(20, 90, 10))):
        with pytest.raises(ValueError, match="Độ tuổi"):
            check_age_bands(bad)


def test_an_empty_congress_reports_zeros_not_errors():
    done = report([])
    assert (done.attendance.summoned, done.attendance.quorum_met, done.absentees) == (0, False, [])
    assert all(row.percent == 0.0 for s in done.composition for row in s.rows)


def test_unit_names_sort_word_by_word_the_vietnamese_way():
    names = ["LĐLĐ thành phố Thanh Hóa", "Công đoàn ngành Y tế", "LĐLĐ huyện Mường Lát", "Công đoàn Viên chức tỉnh"]
    assert sorted(names, key=vietnamese_text_key) == [
        "Công đoàn ngành Y tế", "Công đoàn Viên chức tỉnh", "LĐLĐ huyện Mường Lát", "LĐLĐ thành phố Thanh Hóa"]
