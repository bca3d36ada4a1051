"""Preparation steps before imputation: denomination and screening of units.

Kept together because both are simple, stateless-in-spirit operations on rows and columns.
"""

# ruff: noqa: N806  matrices keep their mathematical capitals
from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import numpy as np
import pandas as pd

from nengji.index.base import Step
from nengji.index.data import IndexData
from nengji.index.errors import DataError


class Denominate(Step):
    """Divide indicators by a denominator column (COINr ``Denominate``).

    By default the denominator of each indicator is the framework's ``denominator`` (COINr iMeta
    ``Denominator``); ``denominators`` (code → denominator column) overrides it. Indicators
    without one are left unchanged. A missing denominator gives a missing value; a zero
    denominator is an error naming the unit (not a silent infinity).
    """

    constraints: ClassVar[dict[str, str]] = {"denominators": "mapping?"}

    kind: ClassVar[str] = "denominate"
    stage: ClassVar[str] = "denominated"

    def __init__(self, *, denominators: Mapping[str, str] | None = None) -> None:
        self.denominators = denominators

    def _fit(self, data: IndexData) -> None:
        codes = data.indicators
        spec: dict[str, str] = {}
        if data.framework is not None:
            spec = {
                c: data.framework[c].denominator for c in codes if data.framework[c].denominator
            }  # type: ignore[misc]
        for code, den in (self.denominators or {}).items():
            if code not in codes:
                raise DataError(f"denominator given for unknown indicator {code!r}")
            spec[code] = den
        missing = [d for d in spec.values() if d not in data.denominators.columns]
        if missing:
            raise DataError(f"denominator column {missing[0]!r} not found in the data")
        self.codes_ = codes
        self.map_ = spec

    def _transform(self, data: IndexData) -> pd.DataFrame:
        X = data.matrix(self.codes_)
        pos = {c: j for j, c in enumerate(self.codes_)}
        for code, den in self.map_.items():
            d = data.denominators[den].to_numpy(dtype=float)
            zero = d == 0
            if zero.any():
                i = int(np.argmax(zero))
                raise DataError(
                    f"denominator {den!r} of {code!r} is 0 at {data.row_label(i)}: "
                    "the ratio is undefined"
                )
            X[:, pos[code]] /= d
        return pd.DataFrame(X, index=data.values.index, columns=self.codes_)


class Screen(Step):
    """Drop units with too little data (COINr ``Screen``, ``unit_screen = "byNA"``).

    A unit (a unit-period row, for panels: screening runs per period as in COINr) is removed when
    its share of non-missing indicators is below ``min_share``. ``report_`` lists what was removed.
    """

    constraints: ClassVar[dict[str, str]] = {"min_share": "share"}

    kind: ClassVar[str] = "screen"
    stage: ClassVar[str] = "screened"

    def __init__(self, *, min_share: float = 1.0) -> None:
        self.min_share = min_share

    def _keep(self, data: IndexData) -> np.ndarray:
        X = data.matrix()
        share = (~np.isnan(X)).sum(axis=1) / X.shape[1]
        return share >= self.min_share

    def _fit(self, data: IndexData) -> None:
        keep = self._keep(data)
        self.removed_ = list(data.values.index[~keep])
        self.report_ = pd.DataFrame({"removed": self.removed_})

    def _transform(self, data: IndexData) -> pd.DataFrame:
        keep = self._keep(data)
        if not keep.any():
            raise DataError(f"screening with min_share={self.min_share} removes every unit")
        return data.values.loc[keep, data.indicators].copy()
