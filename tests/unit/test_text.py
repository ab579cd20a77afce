"""Vietnamese text helpers: folding, name normalisation, search, sort keys."""
from __future__ import annotations

import random
import unicodedata

from congress_common.text import fold, matches, normalize_name, vietnamese_sort_key


def test_fold_strips_diacritics_case_and_spaces() -> None:
    assert fold("Nguyễn Thị Thủy") == "nguyen thi thuy"
    assert fold("  ĐỖ   Đức\tĐạt ") == "do duc dat"
    assert fold("LĐLĐ huyện Lang Chánh") == "ldld huyen lang chanh"
    assert fold("Trương Ưng Ơn Ắt Ậy") == "truong ung on at ay"
    assert fold("") == ""


def test_fold_accepts_decomposed_input() -> None:
    assert fold(unicodedata.normalize("NFD", "Phạm Thị Hằng")) == "pham thi hang"


def test_normalize_name_title_cases_all_upper_or_lower() -> None:
    assert normalize_name("NGUYỄN THỊ THỦY") == "Nguyễn Thị Thủy"
    assert normalize_name("  nguyễn   thị thủy ") == "Nguyễn Thị Thủy"
    assert normalize_name("đỗ đức đạt") == "Đỗ Đức Đạt"


def test_normalize_name_keeps_mixed_case_and_composes() -> None:
    assert normalize_name("Lò Văn MƯỜNG") == "Lò Văn MƯỜNG"
    decomposed = unicodedata.normalize("NFD", "Hoàng Thị Ngọc Ánh")
    assert normalize_name(decomposed) == unicodedata.normalize("NFC", "Hoàng Thị Ngọc Ánh")
    assert normalize_name(decomposed) != decomposed


def test_matches_every_token_without_diacritics() -> None:
    assert matches("nguyen thi thuy", "Nguyễn Thị Thủy")
    assert matches("thuy lang chanh", "Nguyễn Thị Thủy", "LĐLĐ huyện Lang Chánh")
    assert matches("DAT", "Phạm Đức Đạt")
    assert matches("Thủy", "Nguyễn Thị Thuỷ")
    assert matches("db01", "DB012", None)
    assert not matches("nguyen van thuy", "Nguyễn Thị Thủy")
    assert matches("", "anything")


def test_sort_key_is_a_plain_ascii_string() -> None:
    key = vietnamese_sort_key("Nguyễn Thị Thủy")
    assert isinstance(key, str)
    assert key.isascii() and key.isprintable()


def test_sort_key_ignores_case_spacing_and_tone_placement() -> None:
    key = vietnamese_sort_key("Nguyễn Thị Thủy")
    assert vietnamese_sort_key("NGUYỄN  THỊ THỦY") == key
    assert vietnamese_sort_key("Nguyễn Thị Thuỷ") == key
    assert vietnamese_sort_key(unicodedata.normalize("NFD", "Nguyễn Thị Thủy")) == key


def test_sort_examples_given_name_first() -> None:
    names = ["Trần Văn An", "Lê Thị Ánh", "Nguyễn Văn Bình", "Đỗ Thị Dung", "Phạm Đức Đạt"]
    keys = [vietnamese_sort_key(n) for n in names]
    assert keys == sorted(keys)


def test_sort_d_with_stroke_after_d_and_breve_circumflex_after_a() -> None:
    key = vietnamese_sort_key
    assert key("Đỗ Thị Dung") < key("Phạm Đức Đạt")
    assert key("Nguyễn Văn Án") < key("Nguyễn Thị Ăn") < key("Nguyễn Thị Ân")
    assert key("Nguyễn Thị Ánh") < key("Nguyễn Thị Ân")
    assert key("Lê Văn Hùng") < key("Lê Văn Hưng") < key("Lê Thị Hương")


def test_sort_tones_break_ties_in_dictionary_order() -> None:
    ordered = ["Lê Văn Ba", "Lê Văn Bà", "Lê Văn Bả", "Lê Văn Bã", "Lê Văn Bá", "Lê Văn Bạ", "Lê Văn Bác"]
    keys = [vietnamese_sort_key(n) for n in ordered]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_sort_family_then_middle_then_fewer_words() -> None:
    key = vietnamese_sort_key
    assert key("Lê Văn Hùng") < key("Nguyễn Văn Hùng")
    assert key("Nguyễn Thị An") < key("Nguyễn Văn An")
    assert key("Nguyễn An") < key("Nguyễn Thị An")
    assert key("Nguyễn Văn An") < key("Nguyễn Văn Anh")


EXPECTED_ORDER = [
    "Nguyễn An", "Nguyễn Thị An", "Nguyễn Văn An", "Trần Văn An", "Nguyễn Văn Án", "Lê Thị Ánh",
    "Nguyễn Thị Ân", "Nguyễn Văn Bình", "Đỗ Thị Dung", "Phạm Đức Đạt", "Lê Văn Đức", "Hà Thị Giang",
    "Bùi Thị Hà", "Đặng Thị Hà", "Lê Thị Hà", "Trần Thị Hạnh", "Nguyễn Thị Hằng", "Ngô Văn Hùng",
    "Lê Văn Hưng", "Vũ Thị Hương", "Nguyễn Thị Minh Khai", "Lò Văn Ơn", "Mai Văn Sơn", "Nguyễn Văn Sơn",
    "Nguyễn Thị Thu", "Nguyễn Thị Thủy", "Trịnh Thị Thúy", "Nguyễn Thị Thụy", "Hoàng Văn Tùng", "Lê Thị Yến",
]


def test_shuffled_names_sort_into_vietnamese_order() -> None:
    for seed in range(5):
        names = EXPECTED_ORDER[:]
        random.Random(seed).shuffle(names)
        assert sorted(names, key=vietnamese_sort_key) == EXPECTED_ORDER


def test_sort_keys_order_the_same_as_utf8_bytes() -> None:
    keys = [vietnamese_sort_key(n) for n in EXPECTED_ORDER]
    assert [k.encode() for k in keys] == sorted(k.encode() for k in keys)
