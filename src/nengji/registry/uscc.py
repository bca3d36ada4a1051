"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character.

A thin wrapper over python-stdnum's `stdnum.cn.uscc` (the check-character arithmetic lives
there), so every app validates and normalises the code the same way."""

from __future__ import annotations

from stdnum.cn import uscc as _uscc
from stdnum.exceptions import ValidationError as _StdnumError


def uscc_normalise(value: str) -> str:
    """Upper case, without spaces or dashes."""
    return _uscc.compact(value or "")


def uscc_problem(value: str) -> str | None:
    """None when `value` is a valid code; else what is wrong with it, in words."""
    try:
        _uscc.validate(uscc_normalise(value))
    except _StdnumError as exc:
        return str(exc)
    return None


def uscc_check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code (for making test codes)."""
    return str(_uscc.calc_check_digit(first17))
