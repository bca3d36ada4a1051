"""GB/T 4754-2017 industry codes (国民经济行业分类): a section letter (门类 A–T) and then the
division (大类, 2 digits), group (中类, 3) or class (小类, 4), e.g. ``I``, ``I65``, ``I651``,
``I6513``. The digits must fall in the section's divisions: that is the standard's own
structure (like a check character), so it is checked here rather than read from a plan."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

#: section letter → (first division, last division), GB/T 4754-2017
SECTIONS: dict[str, tuple[int, int]] = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 97),
    "T": (98, 98),
}

_CODE = re.compile(r"^([A-T])(\d{2,4})?$")


def industry_normalise(value: str) -> str:
    """Upper case without spaces; a bare number gets its section letter (``6513`` → ``I6513``)."""
    code = (value or "").strip().upper().replace(" ", "")
    if code[:1].isdigit() and len(code) >= 2:
        division = int(code[:2])
        for letter, (lo, hi) in SECTIONS.items():
            if lo <= division <= hi:
                return letter + code
    return code


def industry_problem(value: str) -> str | None:
    """None when `value` (normalised) is a GB/T 4754-2017 code; else what is wrong, in words."""
    match = _CODE.match(value)
    if match is None:
        return _("Not a GB/T 4754 code (a section letter A–T and 2 to 4 digits, e.g. I6513).")
    letter, digits = match.groups()
    if digits:
        lo, hi = SECTIONS[letter]
        if not lo <= int(digits[:2]) <= hi:
            return _("Division %(d)s is not in section %(s)s (divisions %(lo)02d–%(hi)02d).") % {
                "d": digits[:2],
                "s": letter,
                "lo": lo,
                "hi": hi,
            }
    return None


def industry_section(value: str) -> str:
    return value[:1] if value else ""
