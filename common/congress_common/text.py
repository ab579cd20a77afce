"""Vietnamese text helpers: diacritic folding, name normalisation, search and sorting.

Pure functions, no dependencies beyond the standard library.
"""
from __future__ import annotations

import re
import string
import unicodedata

__all__ = ["fold", "matches", "normalize_name", "vietnamese_sort_key"]

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
