"""Import cost: ``import nengji.index`` loads no scipy (``import scipy.stats`` alone costs ~3 s on
the 2-core machine, which every ``nengji index …`` call paid); scipy is imported only inside the
functions that need it (quasi-random sampling, t-distribution p-values, optimisation)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from nengji.index.uncertainty import min_ranks, rank_rows


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(  # noqa: S603  our own interpreter and a fixed statement
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_import_nengji_index_loads_no_scipy():
    loaded = _modules_after("import nengji.index")
    assert "nengji.index" in loaded  # the probe works
    assert not {m for m in loaded if m == "scipy" or m.startswith("scipy.")}


def test_import_nengji_index_loads_no_django_or_matplotlib():
    loaded = _modules_after("import nengji.index")
    assert not {m for m in loaded if m.split(".")[0] in {"django", "matplotlib", "click", "yaml"}}


def test_min_ranks_is_r_rank_min():
    """R: rank(c(2, 1, 2, 0.5, 7, 2), ties.method = "min") = 3 2 3 1 6 3 (hand-checked)."""
    got = min_ranks(np.array([[2.0, 1.0, 2.0, 0.5, 7.0, 2.0], [1.0, 1.0, 1.0, 1.0, 1.0, 0.0]]))
    assert got.tolist() == [[3, 2, 3, 1, 6, 3], [2, 2, 2, 2, 2, 1]]


def test_rank_rows_keeps_missing_and_ranks_highest_first():
    got = rank_rows(np.array([[3.0, np.nan, 5.0, 3.0], [np.nan, np.nan, 1.0, 2.0]]))
    np.testing.assert_array_equal(got, [[2, np.nan, 1, 2], [np.nan, np.nan, 2, 1]])
