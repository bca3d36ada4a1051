"""Exceptions raised by :mod:`nengji.index`.

Every error is a :class:`ValueError` subclass so callers that only care about "bad input" can catch
one type, while the message always names the offending code, row or column.
"""

from __future__ import annotations


class IndexInputError(ValueError):
    """Base class for all bad-input errors of the index engine."""


class FrameworkError(IndexInputError):
    """The indicator framework (tree) is invalid: cycle, unknown parent, bad weight, ..."""


class DataError(IndexInputError):
    """The data do not fit the framework or a method: unknown code, non-numeric cell, ..."""


class SpecError(IndexInputError):
    """A stored pipeline spec names an unknown step or method, or has bad parameters."""


class NotFittedError(IndexInputError, AttributeError):
    """``transform`` (or a fitted attribute) was used before ``fit``."""


class IndexWarning(UserWarning):
    """Something was computed as asked but deserves a look (e.g. COINr-style infinities)."""
