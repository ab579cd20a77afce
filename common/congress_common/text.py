"""Vietnamese text helpers: diacritic folding, name normalisation, search and sorting.

Pure functions, no dependencies beyond the standard library.
"""
from __future__ import annotations

import re
import string
import unicodedata

__all__ = ["fold", "keep_term_together", "matches", "normalize_name", "row_label", "search_rank",
           "vietnamese_sort_key"]

_SPACES = re.compile(r"\s+")

# Combining marks that carry a tone, by tone rank (dictionary order:
# ngang 0 < huyền 1 < hỏi 2 < ngã 3 < sắc 4 < nặng 5).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Combining marks that make a different letter of the alphabet.
_MODIFIERS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_MODIFIED = {
    ("a", "breve"): "ă", ("a", "circumflex"): "â", ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô", ("o", "horn"): "ơ", ("u", "horn"): "ư",
}
# Digits, then the Vietnamese alphabet with f, j, w, z slotted into their Latin places.
_ALPHABET = [*"0123456789",
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]
# Each letter becomes one ASCII letter, in alphabet order: 'A'..'Z' then 'a'..'q'.
_CODES = dict(zip(_ALPHABET, string.ascii_uppercase + string.ascii_lowercase, strict=False))
_UNKNOWN = "z"  # any other letter sorts after z
_WORD_SEPARATOR = " "


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lowercase, strip diacritics (đ → d) and collapse whitespace.

    >>> fold("  Nguyễn   Thị Thủy ")
    'nguyen thi thuy'
    """
    lowered = (text or "").lower().replace("đ", "d")
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", lowered) if not unicodedata.combining(ch))
    return _collapse(stripped)


def _capitalize(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def normalize_name(text: str) -> str:
    """NFC-normalise a person's name and collapse spaces.

    Case is kept as typed, except that a name typed all in capitals or all in
    lower case is title-cased word by word: ``"NGUYỄN THỊ THỦY"`` → ``"Nguyễn Thị Thủy"``.
    """
    name = _collapse(unicodedata.normalize("NFC", text or ""))
    if name.isupper() or name.islower():
        name = " ".join(_capitalize(word) for word in name.split(" "))
    return name


def _letters(word: str) -> tuple[list[str], int]:
    """Split a word into Vietnamese letters (ă, ơ, đ... are letters) and its tone rank."""
    letters: list[str] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tone = tone or _TONES[ch]
        elif ch in _MODIFIERS and letters:
            letters[-1] = _MODIFIED.get((letters[-1], _MODIFIERS[ch]), letters[-1])
        elif not unicodedata.combining(ch) and ch.isalnum():
            letters.append(ch)
    return letters, tone


def _word_key(word: str) -> str:
    letters, tone = _letters(word)
    return "".join(_CODES.get(letter, _UNKNOWN) for letter in letters) + str(tone)


def vietnamese_sort_key(full_name: str) -> str:
    """A plain string that sorts full names the Vietnamese way under binary collation.

    Word order: the given name (last word) first, then the family name (first
    word), then the middle names in order, e.g. ``"Nguyễn Thị Minh Khai"`` is keyed
    as ``Khai · Nguyễn · Thị · Minh``.

    Encoding of each word: every letter of the Vietnamese alphabet (digits, then
    a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z) becomes one
    ASCII letter, ``'A'``..``'Z'`` then ``'a'``..``'q'``, in alphabet order (so
    ``đ`` sorts after ``d``, ``ă`` after ``a``, ``â`` after ``ă``); other letters
    become ``'z'``; punctuation is dropped. The word ends with one tone digit:
    ``0`` ngang, ``1`` huyền, ``2`` hỏi, ``3`` ngã, ``4`` sắc, ``5`` nặng. Since
    digits sort below the letter codes, tone only breaks ties between words
    with the same letters (``An < Án < Anh``), and a word sorts before its
    extensions. Words are joined by a space, so names with fewer words sort
    first on a tie. Case and tone-mark placement (``Thuỷ``/``Thủy``) are ignored.

    >>> vietnamese_sort_key("Trần Văn An") < vietnamese_sort_key("Lê Thị Ánh")
    True
    """
    words = normalize_name(full_name).split()
    if len(words) > 1:
        words = [words[-1], words[0], *words[1:-1]]
    return _WORD_SEPARATOR.join(_word_key(word) for word in words)


def vietnamese_text_key(text: str) -> str:
    """Like ``vietnamese_sort_key`` for unit names and titles: the words keep their order.

    >>> vietnamese_text_key("LĐLĐ huyện Mường Lát") < vietnamese_text_key("LĐLĐ thành phố Thanh Hóa")
    True
    """
    return _WORD_SEPARATOR.join(_word_key(word) for word in _collapse(text or "").split())


def matches(query: str, *fields: str | None) -> bool:
    """True if every folded word of ``query`` occurs in the folded text of ``fields``.

    >>> matches("thuy lang chanh", "Nguyễn Thị Thủy", "LĐLĐ huyện Lang Chánh")
    True
    """
    haystack = fold(" ".join(field for field in fields if field))
    return all(token in haystack for token in fold(query).split())


def _marked(word: str) -> tuple[str, int]:
    letters, tone = _letters(word)
    return "".join(letters), tone


def search_rank(query: str, *fields: str | None) -> int:
    """How well ``fields`` (already found by ``matches``) answer ``query``, best first, for ordering results.

    0: every word typed with diacritics is there with the same ones (``Thủy`` in *Nguyễn Thị Thủy*, tone-mark
    placement ``Thuỷ``/``Thủy`` aside), as whole words; 1: the same diacritics, some inside a longer word
    (``Thủ`` in *Thủy*); 2: whole words once diacritics are dropped (*Thùy* for ``Thủy``, and every *Thủy*,
    *Thùy* for a bare ``thuy``); 3: only inside words (*Thuyên* for ``thuy``). Words typed without diacritics say
    nothing about them, so they never make a match exact.

    >>> [search_rank("Thủy", name) for name in ("Lê Thủy", "Lê Thuỷ", "Lê Thùy", "Lê Thuyên")]
    [0, 0, 2, 3]
    >>> [search_rank("Thủ", name) for name in ("Lê Thủ", "Lê Thủy", "Lê Thu", "Lê Thuận")]
    [0, 1, 2, 3]
    >>> [search_rank("thuy", name) for name in ("Lê Thủy", "Lê Thuy", "Lê Thuyên")]
    [2, 2, 3]
    """
    text = " ".join(field for field in fields if field)
    marked = [_marked(word) for word in text.split()]
    folded = set(fold(text).split())
    tokens = query.split()
    accented = [token for token in tokens if fold(token) != token.lower()]
    exact = bool(accented) and all(
        any(letters in word and tone == word_tone for word, word_tone in marked)
        for letters, tone in map(_marked, accented))
    whole = all(fold(token) in folded for token in tokens)
    return (0 if whole else 1) if exact else (2 if whole else 3)


def row_label(row: str | int) -> str:
    """A seat row as people read it, "Hàng 7" and never "Hàng 07": numbers without zero padding (the stored row
    and the seat label ``A-07-03`` keep theirs), named rows as given.

    >>> [row_label(r) for r in ("07", "1", 12, "AA")]
    ['7', '1', '12', 'AA']
    """
    text = str(row).strip()
    return str(int(text)) if text.isdigit() else text


NO_BREAK_SPACE = "\u00a0"
_TERM = re.compile(r"nhiệm\s+kỳ\s+\d{4}\s*[–—-]\s*\d{4}", re.IGNORECASE)


def keep_term_together(text: str) -> str:
    r"""The term of office joined by no-break spaces, so that a wrapped title never splits "NHIỆM | KỲ 2023–2028".

    >>> keep_term_together("Đại hội lần thứ XX, NHIỆM KỲ 2023 - 2028").split(" ")[-1]
    'NHIỆM\xa0KỲ\xa02023\xa0-\xa02028'
    """
    return _TERM.sub(lambda m: NO_BREAK_SPACE.join(m[0].split()), text)
