r"""Korean particles chosen for the word they follow: 은/는, 이/가, 을/를, 과/와, 으로/로, 이라/라.

A Korean particle has two forms, one for a word that ends in a final consonant (batchim) and one
for a word that ends in a vowel: 책은, 나무는. The catalog (:mod:`symderiv.locales.ko`) writes
both, as a dictionary does, ``{f}은(는)``; :func:`agree` keeps the one the preceding word takes.

The rule:

- The preceding word is read aloud, and its last syllable decides. A Hangul syllable has a final
  consonant when ``(code − 0xAC00) % 28`` is not 0 (the Unicode Hangul syllable layout).
- 은/는, 이/가, 을/를, 과/와, 이라/라: the first form after a final consonant, the second after a
  vowel. 으로/로: 으로 after a final consonant other than ㄹ; 로 after a vowel or ㄹ (연필로, 집으로).
- A formula is read the way Korean mathematics is read aloud, by its last spoken part
  (:func:`last_reading`): a Latin letter by its name (x 엑스, l 엘, m 엠, n 엔, r 알), a Greek
  letter by its name (σ 시그마, θ 세타, λ 람다), a number in Sino-Korean (1 일, 2 이, 3 삼, 10 십),
  a power by 제곱 (x² "엑스 제곱"), a fraction by its numerator (1/u "유 분의 일"), a subscript by
  its index, a function of an argument by the argument (σ(z) "시그마 제트"), a prime by 프라임.
- When the last part cannot be read (an unknown command), both forms stay, as the catalog wrote them.

>>> agree("은(는) 상수이다.", lambda: ("1", True))
'은 상수이다.'
>>> agree("을(를) 곱한다.", lambda: ("x", True))
'를 곱한다.'
>>> agree("(으)로 나타낸다.", lambda: ("\\sigma\\left(x\\right)", True))
'로 나타낸다.'
>>> agree("과(와) 같다.", lambda: ("선생님", False))
'과 같다.'
"""

from __future__ import annotations

import re
from typing import Callable

__all__ = ["MARKERS", "agree", "last_reading", "final_consonant"]

#: Marker → (form after a final consonant, form after a vowel).
MARKERS: dict[str, tuple[str, str]] = {
    "은(는)": ("은", "는"),
    "이(가)": ("이", "가"),
    "을(를)": ("을", "를"),
    "과(와)": ("과", "와"),
    "(으)로": ("으로", "로"),
    "(이)라": ("이라", "라"),
}

_LATIN = {
    "a": "에이", "b": "비", "c": "시", "d": "디", "e": "이", "f": "에프", "g": "지", "h": "에이치",
    "i": "아이", "j": "제이", "k": "케이", "l": "엘", "m": "엠", "n": "엔", "o": "오", "p": "피", "q": "큐",
    "r": "알", "s": "에스", "t": "티", "u": "유", "v": "브이", "w": "더블유", "x": "엑스", "y": "와이", "z": "제트",
}

_GREEK = {
    "alpha": "알파", "beta": "베타", "gamma": "감마", "delta": "델타", "epsilon": "엡실론",
    "varepsilon": "엡실론", "zeta": "제타", "eta": "에타", "theta": "세타", "vartheta": "세타",
    "iota": "요타", "kappa": "카파", "lambda": "람다", "mu": "뮤", "nu": "뉴", "xi": "크시",
    "omicron": "오미크론", "pi": "파이", "rho": "로", "sigma": "시그마", "tau": "타우",
    "upsilon": "입실론", "phi": "파이", "varphi": "파이", "chi": "카이", "psi": "프사이", "omega": "오메가",
    "ell": "엘", "infty": "무한대", "prime": "프라임", "ldots": "점점점", "cdots": "점점점",
}

_DIGITS = "영일이삼사오육칠팔구"
_SMALL_UNITS = ("", "십", "백", "천")
_MYRIADS = ("", "만", "억", "조", "경")

#: Trailing pieces that are not read aloud: closing brackets, spacing.
_SILENT_TAIL = re.compile(r"(\\right[)\]|.]|\\right\\\}|[)\]|.,;:]|\\[,;:! ]|\\quad|\\qquad|\s)+$")
_WORD_COMMANDS = ("mathrm", "operatorname", "text", "mathit", "mathbf", "mathsf", "mathcal", "bar", "hat",
                  "tilde", "vec", "dot", "overline")


def final_consonant(syllable: str) -> str | None:
    """``"ㄹ"`` for a syllable ending in ㄹ, ``"yes"`` for another final consonant, None for a vowel.

    >>> final_consonant("일"), final_consonant("삼"), final_consonant("이")
    ('ㄹ', 'yes', None)
    """
    index = ord(syllable) - 0xAC00
    if not 0 <= index < 11172:
        raise ValueError(f"{syllable!r} is not a Hangul syllable")
    final = index % 28
    return None if final == 0 else "ㄹ" if final == 8 else "yes"


def agree(words: str, preceding: Callable[[], tuple[str, bool]]) -> str:
    """``words`` with the particle marker it starts with replaced by the form the preceding word takes.

    ``preceding`` returns the preceding piece: its text and whether that text is TeX (a formula).
    It is called only when ``words`` starts with a marker. Markers further on in ``words`` follow
    Hangul text and are resolved by it.
    """
    out = _resolve_inner(words)
    marker = next((m for m in MARKERS if out.startswith(m)), None)
    if marker is None:
        return out
    text, is_tex = preceding()
    reading = last_reading(text) if is_tex else _reading_of_words(text)
    return _choose(marker, reading) + out[len(marker):] if reading else out


def _resolve_inner(words: str) -> str:
    """Markers inside ``words`` that follow a Hangul syllable, resolved by it."""
    pattern = re.compile("([가-힣])(%s)" % "|".join(re.escape(marker) for marker in MARKERS))
    return pattern.sub(lambda m: m.group(1) + _choose(m.group(2), m.group(1)), words)


def _choose(marker: str, reading: str) -> str:
    after_consonant, after_vowel = MARKERS[marker]
    final = final_consonant(reading[-1])
    if marker == "(으)로":
        return after_consonant if final == "yes" else after_vowel
    return after_vowel if final is None else after_consonant


def _reading_of_words(text: str) -> str | None:
    """How words end when read: their last Hangul syllable, letter or number."""
    text = _SILENT_TAIL.sub("", text)
    if not text:
        return None
    if "가" <= text[-1] <= "힣":
        return text[-1]
    return last_reading(text)


def last_reading(tex: str) -> str | None:
    r"""The last spoken part of a formula written in TeX, in Hangul; None when it cannot be read.

    >>> last_reading("x^{2}"), last_reading("\\frac{1}{u}"), last_reading("a^{(3)}_{1}"), last_reading("10")
    ('제곱', '일', '일', '십')
    """
    tex = _SILENT_TAIL.sub("", tex)
    if not tex:
        return None
    if tex.endswith("}"):
        return _group_reading(tex)
    number = re.search(r"[0-9]+(?:\.[0-9]+)?$", tex)
    if number:
        return _number(number.group(0))
    command = re.search(r"\\([A-Za-z]+)$", tex)
    if command:
        return _GREEK.get(command.group(1))
    if tex[-1].isascii() and tex[-1].isalpha():
        return _LATIN[tex[-1].lower()]
    if tex.endswith("'"):
        return "프라임"
    if tex.endswith("!"):
        return "팩토리얼"
    if "가" <= tex[-1] <= "힣":
        return tex[-1]
    return None


def _group_reading(tex: str) -> str | None:
    """The reading of a formula that ends with a ``{...}`` group, by what the group belongs to."""
    start = _opening(tex)
    if start is None:
        return None
    group, before = tex[start + 1:-1], tex[:start]
    if before.endswith("^"):
        if group.startswith("(") or group in ("T", r"\top"):
            return last_reading(group)
        return "프라임" if group in (r"\prime", "'") else "제곱"
    numerator = _opening(before) if before.endswith("}") else None
    if numerator is not None and re.search(r"\\[dt]?frac$", before[:numerator]):
        return last_reading(before[numerator + 1:-1])  # Korean reads the denominator first
    word = re.search(r"\\([A-Za-z]+)$", before)
    if word and word.group(1) in _WORD_COMMANDS:
        return last_reading(group[-1]) if group else None
    return last_reading(group)


def _opening(tex: str) -> int | None:
    """The index of the ``{`` that the final ``}`` of ``tex`` closes."""
    depth = 0
    for index in range(len(tex) - 1, -1, -1):
        char = tex[index]
        if char == "}" and (index == 0 or tex[index - 1] != "\\"):
            depth += 1
        elif char == "{" and (index == 0 or tex[index - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return index
    return None


def _number(text: str) -> str:
    """The last syllable of a number read in Sino-Korean: 1 일, 10 십, 100 백, 10000 만, 0.5 오."""
    if "." in text:
        return _DIGITS[int(text[-1])]
    digits = text.lstrip("0") or "0"
    if digits == "0":
        return "영"
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == 0:
        return _DIGITS[int(digits[-1])]
    if zeros >= 4:
        return _MYRIADS[min(zeros // 4, len(_MYRIADS) - 1)]
    return _SMALL_UNITS[zeros]
