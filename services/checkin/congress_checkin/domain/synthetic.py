"""Realistic, made-up delegate lists of Thanh Hóa union congresses, for demos and tests.

``synthetic_delegates`` returns dicts with the keys ``write_delegate_workbook``
takes (code, full_name, delegation, kind, roles, gender, birth_year, ethnicity,
party_member, education, position, sending_unit, phone, email). The output
depends only on its arguments. No real person is described.
"""
from __future__ import annotations

import random
from collections.abc import Sequence

from congress_common.contracts.checkin import CongressRole, DelegateKind
from congress_common.text import fold

FAMILY = {"Nguyễn": 30, "Lê": 10, "Trần": 9, "Phạm": 7, "Hoàng": 5, "Vũ": 4, "Hà": 4, "Đỗ": 3, "Bùi": 3,
          "Trịnh": 3, "Lò": 2, "Mai": 2, "Đặng": 2, "Ngô": 2, "Phan": 2, "Đinh": 2, "Lường": 1, "Cầm": 1,
          "Quách": 1, "Lục": 1}
MIDDLE = {"male": ("Văn", "Văn", "Đức", "Minh", "Hữu", "Quang", "Công", "Xuân", "Thanh", "Mạnh", "Trọng", "Đình"),
          "female": ("Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Phương", "Thùy", "Minh", "Kim")}
GIVEN = {"male": ("An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Hưng", "Khánh", "Long", "Nam", "Phong",
                  "Quân", "Sơn", "Thắng", "Toàn", "Tuấn", "Việt", "Vinh", "Lâm", "Đức", "Hiếu", "Trung", "Tú",
                  "Thành", "Khải", "Lực", "Ngọc", "Chiến", "Tiến"),
         "female": ("Anh", "Ánh", "Ân", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Hương", "Huyền",
                    "Lan", "Liên", "Linh", "Loan", "Mai", "Ngân", "Nga", "Nhung", "Oanh", "Phương", "Quỳnh",
                    "Thảo", "Thủy", "Trang", "Tuyết", "Vân", "Yến", "Xuân")}
DELEGATIONS = {
    "province": ("LĐLĐ thành phố Thanh Hóa", "LĐLĐ thị xã Nghi Sơn", "LĐLĐ thị xã Bỉm Sơn",
                 "LĐLĐ thành phố Sầm Sơn", "LĐLĐ huyện Lang Chánh", "LĐLĐ huyện Bá Thước",
                 "LĐLĐ huyện Quảng Xương", "LĐLĐ huyện Thọ Xuân", "LĐLĐ huyện Quan Hóa", "LĐLĐ huyện Mường Lát",
                 "LĐLĐ huyện Hoằng Hóa", "LĐLĐ huyện Ngọc Lặc", "Công đoàn ngành Giáo dục", "Công đoàn ngành Y tế",
                 "Công đoàn Khu Kinh tế Nghi Sơn và các KCN", "Công đoàn Viên chức tỉnh",
                 "Công đoàn ngành Nông nghiệp và PTNT", "Công đoàn ngành Giao thông - Xây dựng"),
    "district": ("CĐCS Trường THPT Lang Chánh", "CĐCS Trung tâm Y tế huyện Lang Chánh", "CĐCS xã Yên Khương",
                 "CĐCS xã Giao An", "CĐCS Cơ quan UBND huyện Lang Chánh", "CĐCS Trường PTDTNT Lang Chánh",
                 "CĐCS Công ty TNHH Lâm nghiệp Lang Chánh", "CĐCS thị trấn Lang Chánh", "CĐCS xã Tam Văn"),
    "grassroots": ("Tổ Công đoàn Khối văn phòng", "Tổ Công đoàn Phân xưởng May 1", "Tổ Công đoàn Phân xưởng May 2",
                   "Tổ Công đoàn Phân xưởng Cắt", "Tổ Công đoàn Kho vận", "Tổ Công đoàn Kỹ thuật - Cơ điện"),
}
GUEST_DELEGATION = "Khách mời"
GUEST_UNITS = ("Tổng Liên đoàn Lao động Việt Nam", "Tỉnh ủy Thanh Hóa", "UBND tỉnh Thanh Hóa",
               "Ủy ban MTTQ Việt Nam tỉnh Thanh Hóa", "Sở Lao động - Thương binh và Xã hội",
               "Hiệp hội Doanh nghiệp tỉnh Thanh Hóa")
SECTOR_UNITS = {
    "Giáo dục": ("Trường THPT Hàm Rồng", "Trường THPT Lam Sơn", "Trường THCS Trần Mai Ninh",
                 "Trường Tiểu học Điện Biên"),
    "Y tế": ("Bệnh viện Đa khoa tỉnh Thanh Hóa", "Bệnh viện Nhi Thanh Hóa", "Trung tâm Kiểm soát bệnh tật tỉnh"),
    "Nghi Sơn": ("Công ty TNHH Lọc hóa dầu Nghi Sơn", "Công ty Xi măng Nghi Sơn", "Công ty TNHH Giày Sun Jade"),
}
MOUNTAIN = ("Lang Chánh", "Bá Thước", "Quan Hóa", "Mường Lát", "Ngọc Lặc", "Yên Khương", "Giao An", "Tam Văn")
ETHNICITY = {"lowland": {"Kinh": 92, "Mường": 4, "Thái": 3, "Thổ": 1},
             "mountain": {"Kinh": 35, "Thái": 30, "Mường": 25, "H'Mông": 5, "Dao": 3, "Khơ Mú": 2}}
EDUCATION = {"Đại học": 55, "Thạc sĩ": 22, "Cao đẳng": 8, "Trung cấp": 10, "Tiến sĩ": 3, "THPT": 2}
JOBS = ("Chủ tịch CĐCS", "Phó Chủ tịch CĐCS", "Ủy viên BCH CĐCS", "Tổ trưởng công đoàn", "Chuyên viên",
        "Giáo viên", "Bác sĩ", "Điều dưỡng", "Kỹ sư", "Công nhân", "Kế toán", "Cán bộ công đoàn chuyên trách")
KEYS = ("code", "full_name", "delegation", "kind", "roles", "gender", "birth_year", "ethnicity", "party_member",
        "education", "position", "sending_unit", "phone", "email")
ROLE_SHARE = ((CongressRole.presidium, 20, 3, 15), (CongressRole.secretariat, 100, 2, 3),
              (CongressRole.credentials, 60, 3, 5), (CongressRole.election_board, 60, 3, 7))


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _name(rng: random.Random, gender: str) -> str:
    middles = [rng.choice(MIDDLE[gender])]
    if gender == "female" and rng.random() < 0.2:  # "Nguyễn Thị Minh Khai"
        middles = ["Thị", rng.choice(MIDDLE[gender][3:])]
    given = rng.choice([g for g in GIVEN[gender] if g not in middles])
    return " ".join([_pick(rng, FAMILY), *middles, given])


def _sending_unit(rng: random.Random, delegation: str) -> str:
    for marker, units in SECTOR_UNITS.items():
        if marker in delegation:
            return rng.choice(units)
    if delegation.startswith("LĐLĐ "):
        area = delegation.removeprefix("LĐLĐ ")
        town = area.removeprefix("huyện ").removeprefix("thị xã ").removeprefix("thành phố ")
        return rng.choice((f"Trung tâm Y tế {area}", f"Cơ quan UBND {area}", f"Trường THCS {town}"))
    return delegation


def _person(rng: random.Random, delegation: str, kind: DelegateKind, rank: int) -> dict[str, object]:
    gender = "female" if rng.random() < 0.45 else "male"
    guest = kind is DelegateKind.guest
    region = "mountain" if any(place in delegation for place in MOUNTAIN) else "lowland"
    if guest:
        position, unit = rng.choice(("Phó Chủ tịch", "Trưởng ban", "Ủy viên Ban Thường vụ")), rng.choice(GUEST_UNITS)
    elif rank < 2 and kind is DelegateKind.official:
        title = ("Tổ trưởng ", "Tổ phó ") if delegation.startswith("Tổ") else ("Chủ tịch ", "Phó Chủ tịch ")
        position, unit = title[rank] + delegation, delegation
    else:
        position, unit = rng.choice(JOBS), _sending_unit(rng, delegation)
    return {
        "full_name": _name(rng, gender), "delegation": delegation, "kind": kind, "roles": [], "gender": gender,
        "birth_year": rng.randint(1960, 1985) if guest or rank < 2 else rng.randint(1966, 1998),
        "ethnicity": _pick(rng, ETHNICITY[region]),
        "party_member": rng.random() < (0.9 if guest else 0.85 if kind is DelegateKind.official else 0.7),
        "education": _pick(rng, EDUCATION), "position": position, "sending_unit": unit,
        "phone": "09" + "".join(rng.choices("0123456789", k=8)) if rng.random() < 0.95 else None,
    }


def _kinds(n: int) -> list[DelegateKind]:
    guests, alternates = round(n * 0.04), round(n * 0.06)
    return ([DelegateKind.official] * (n - guests - alternates) + [DelegateKind.alternate] * alternates
            + [DelegateKind.guest] * guests)


def _assign_roles(rng: random.Random, people: Sequence[dict[str, object]]) -> None:
    officials = [p for p in people if p["kind"] is DelegateKind.official]
    pool = rng.sample(officials, len(officials))
    for role, per, low, high in ROLE_SHARE:
        for person in pool[: max(low, min(high, len(officials) // per))]:
            person["roles"] = [role]
        pool = pool[max(low, min(high, len(officials) // per)):]


def _email(person: dict[str, object], index: int) -> str:
    words = fold(str(person["full_name"])).replace("'", "").split()
    return f"{words[-1]}.{''.join(w[0] for w in words[:-1])}{index}@thanhhoa.example"


def synthetic_delegates(n: int, *, seed: int = 20, congress_level: str = "province") -> list[dict]:
    """``n`` made-up delegates (about 90% official, 6% alternate, 4% guest), grouped by delegation.

    Codes are ``DB001``, ``DB002``...; no two people of a delegation share a
    name (the import would warn and ask); some officials sit on the presidium, secretariat, credentials
    committee or election board. ``congress_level`` is ``"province"``,
    ``"district"`` or ``"grassroots"``.
    """
    if congress_level not in DELEGATIONS:
        raise ValueError(f"unknown congress level {congress_level!r}; use one of {', '.join(DELEGATIONS)}")
    rng = random.Random(f"{seed}:{congress_level}")
    delegations = DELEGATIONS[congress_level]
    people: list[dict[str, object]] = []
    seen: set[tuple[str, str]] = set()
    ranks: dict[str, int] = {}
    for index, kind in enumerate(_kinds(n)):
        delegation = GUEST_DELEGATION if kind is DelegateKind.guest else delegations[index % len(delegations)]
        person = _person(rng, delegation, kind, ranks.get(delegation, 0))
        while (key := (fold(str(person["full_name"])), delegation)) in seen:
            person["full_name"] = _name(rng, str(person["gender"]))
        seen.add(key)
        ranks[delegation] = ranks.get(delegation, 0) + 1
        people.append(person)
    order = {name: i for i, name in enumerate((*delegations, GUEST_DELEGATION))}
    people.sort(key=lambda p: (order[str(p["delegation"])], list(DelegateKind).index(p["kind"])))
    _assign_roles(rng, people)
    width = max(3, len(str(n)))
    for number, person in enumerate(people, start=1):
        person["code"] = f"DB{number:0{width}d}"
        person["email"] = _email(person, number) if rng.random() < 0.6 else None
    return [{key: person[key] for key in KEYS} for person in people]
