"""Run the docstring Examples of every nengji.index module (they are documentation that runs)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import nengji.index

MODULES = [m.name for m in pkgutil.iter_modules(nengji.index.__path__, "nengji.index.")]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
