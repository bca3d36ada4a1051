"""Outlier treatment: COINr's default (JRC) winsorisation with a log fallback.

For each indicator separately (and per period for panels), with missing values left aside:

1. The indicator *passes* when ``|skew| < skew`` or ``kurtosis < kurtosis`` (sample-adjusted,
   e1071 type 2 / Excel ``SKEW``/``KURT``).
2. If it fails, winsorise in a loop while it still fails and fewer than ``max_points`` points
   have been winsorised: if skew ≥ 0, every point equal to the current maximum is set to the
   largest remaining value (earlier winsorised points are tied with it, so they move along);
   otherwise the same at the minimum. The count is the size of the last high-side tie group plus
   the size of the last low-side tie group.
3. If it still fails, ``log(x − min + 0.01·(max − min))`` is applied to the *original* values and
   kept whatever the final check says (COINr ``log_CT``, ``combine_treat = FALSE``).

Fitting learns clip bounds (or the log parameters), so ``transform`` of the fitted data reproduces
the loop exactly and other data are treated the same way. ``report_`` says what was done.
"""

# ruff: noqa: N803, N806  matrices keep their mathematical capitals
from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from nengji.index.base import Step
from nengji.index.data import IndexData
from nengji.index.errors import DataError


def _skew_kurt(x: np.ndarray) -> tuple[float, float]:
    """Sample-adjusted skewness and excess kurtosis from one pass over the deviations."""
    n = len(x)
    if n < 3:
        return math.nan, math.nan
    d = x - x.mean()
    d2 = d * d
    m2 = float(d2.sum())
    if m2 == 0:
        return math.nan, math.nan
    g1 = math.sqrt(n) * float((d2 * d).sum()) / m2**1.5
    sk = g1 * math.sqrt(n * (n - 1)) / (n - 2)
    if n < 4:
        return sk, math.nan
    g2 = n * float((d2 * d2).sum()) / m2**2 - 3.0
    return sk, ((n + 1) * g2 + 6.0) * (n - 1) / ((n - 2) * (n - 3))


def skew(x: np.ndarray) -> float:
    """Sample-adjusted skewness (e1071 type 2 = Excel ``SKEW``); NaN for fewer than 3 values.

    >>> round(skew(np.array([1.0, 2.0, 3.0, 10.0])), 6)
    1.763633
    """
    return _skew_kurt(x)[0]


def kurt(x: np.ndarray) -> float:
    """Sample-adjusted excess kurtosis (e1071 type 2 = Excel ``KURT``); NaN below 4 values."""
    return _skew_kurt(x)[1]


def _passes_sk(sk: float, kt: float, skew_t: float, kurt_t: float) -> bool:
    if math.isnan(sk) or math.isnan(kt):
        return True  # COINr returns the vector untreated when the check is NA
    return abs(sk) < skew_t or kt < kurt_t


def _passes(x: np.ndarray, skew_t: float, kurt_t: float) -> bool:
    return _passes_sk(*_skew_kurt(x), skew_t, kurt_t)


def _column_moments(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Skewness and kurtosis of every column at once (NaN ignored), for the quick first check."""
    ok = ~np.isnan(X)
    n = ok.sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, X, 0.0).sum(axis=0) / n
        d = np.where(ok, X - mean, 0.0)
        d2 = d * d
        m2, m3, m4 = d2.sum(axis=0), (d2 * d).sum(axis=0), (d2 * d2).sum(axis=0)
        sk = np.sqrt(n) * m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
        kt = ((n + 1) * (n * m4 / m2**2 - 3.0) + 6.0) * (n - 1) / ((n - 2) * (n - 3))
    sk[(n < 3) | (m2 == 0)] = np.nan
    kt[(n < 4) | (m2 == 0)] = np.nan
    return sk, kt


def winsorise_column(
    x: np.ndarray,
    *,
    skew_t: float = 2.0,
    kurt_t: float = 3.5,
    max_points: int | None = 5,
    log_fallback: bool = True,
) -> dict[str, Any]:
    """Treat one column (NaN allowed); return the treated values and what was done."""
    ok = ~np.isnan(x)
    v = x[ok].copy()
    info: dict[str, Any] = {
        "skew_before": skew(v),
        "kurtosis_before": kurt(v),
        "method": "none",
        "n_winsorised": 0,
        "n_high": 0,
        "n_low": 0,
        "low": -math.inf,
        "high": math.inf,
        "log_min": math.nan,
        "log_max": math.nan,
    }
    out = x.copy()
    if _passes(v, skew_t, kurt_t):
        info.update(skew_after=info["skew_before"], kurtosis_after=info["kurtosis_before"])
        return {"x": out, **info}
    n_high = n_low = 0
    nwin = 0
    high_side = low_side = False
    sk, kt = _skew_kurt(v)
    while not _passes_sk(sk, kt, skew_t, kurt_t) and (max_points is None or nwin < max_points):
        if sk >= 0:
            at = v == v.max()
            if at.all():
                break
            v[at] = v[~at].max()
            n_high, high_side = int(at.sum()), True
        else:
            at = v == v.min()
            if at.all():
                break
            v[at] = v[~at].min()
            n_low, low_side = int(at.sum()), True
        nwin = n_high + n_low
        sk, kt = _skew_kurt(v)
    if _passes_sk(sk, kt, skew_t, kurt_t) or not log_fallback:
        info.update(
            method="winsorise" if nwin else "none",
            n_winsorised=nwin,
            n_high=n_high,
            n_low=n_low,
            low=float(v.min()) if low_side else -math.inf,
            high=float(v.max()) if high_side else math.inf,
        )
        out[ok] = v
    else:
        lo, hi = float(x[ok].min()), float(x[ok].max())
        info.update(method="log", log_min=lo, log_max=hi)
        out = np.log(x - lo + 0.01 * (hi - lo))
    after = out[ok]
    info.update(skew_after=skew(after), kurtosis_after=kurt(after))
    return {"x": out, **info}


_UNTREATED: dict[str, Any] = {
    "method": "none",
    "n_winsorised": 0,
    "n_high": 0,
    "n_low": 0,
    "low": -math.inf,
    "high": math.inf,
    "log_min": math.nan,
    "log_max": math.nan,
}


class Winsorise(Step):
    """COINr's default outlier treatment (see the module docstring).

    Parameters
    ----------
    skew, kurtosis : float
        Thresholds: an indicator passes if ``|skew| < skew`` or ``kurtosis < kurtosis``.
    max_points : int or None
        Most points to winsorise before falling back to the log (COINr ``winmax``).
    log_fallback : bool
        Apply the log transform when winsorisation is not enough (COINr's ``f2 = "log_CT"``).
    """

    constraints: ClassVar[dict[str, str]] = {
        "skew": "positive",
        "kurtosis": "number",
        "max_points": "int>=0?",
        "log_fallback": "bool",
    }

    kind: ClassVar[str] = "treat"
    method: ClassVar[str] = "winsorise"
    stage: ClassVar[str] = "treated"

    def __init__(
        self,
        *,
        skew: float = 2.0,
        kurtosis: float = 3.5,
        max_points: int | None = 5,
        log_fallback: bool = True,
    ) -> None:
        self.skew = skew
        self.kurtosis = kurtosis
        self.max_points = max_points
        self.log_fallback = log_fallback

    def _fit(self, data: IndexData) -> None:
        codes = data.indicators
        X = data.matrix(codes)
        per = data.period_labels()
        self.codes_ = codes
        self.rules_: dict[tuple[Any, str], dict[str, Any]] = {}
        rows = []
        for t in data.periods():
            Xt = X[per == t]
            sk, kt = _column_moments(Xt)
            margin = 1e-9  # near a threshold, decide with the exact one-column computation
            sure = np.isnan(sk) | np.isnan(kt) | (np.abs(sk) < self.skew - margin)
            sure |= kt < self.kurtosis - margin
            for j, code in enumerate(codes):
                if sure[j]:
                    res = {
                        **_UNTREATED,
                        "skew_before": sk[j],
                        "kurtosis_before": kt[j],
                        "skew_after": sk[j],
                        "kurtosis_after": kt[j],
                    }
                    self.rules_[(t, code)] = res
                    rows.append({"period": t, "code": code, **res})
                    continue
                res = winsorise_column(
                    Xt[:, j],
                    skew_t=self.skew,
                    kurt_t=self.kurtosis,
                    max_points=self.max_points,
                    log_fallback=self.log_fallback,
                )
                res.pop("x")
                self.rules_[(t, code)] = res
                rows.append({"period": t, "code": code, **res})
        report = pd.DataFrame(rows)
        if not data.is_panel:
            report = report.drop(columns="period")
        self.report_ = report

    def treated_points(self, data: IndexData | pd.DataFrame) -> pd.DataFrame:
        """Which values the fitted rules change: ``"winhi"``, ``"winlo"``, ``"log"`` or ``""``.

        Same labels as ``data.values`` (COINr's ``Treated_Points``), so a drill-down can say
        that a raw value was capped.
        """
        self._check_fitted()
        from nengji.index.data import as_index_data

        data = as_index_data(data)
        X = data.matrix(self.codes_)
        out = np.full(X.shape, "", dtype=object)
        per = data.period_labels()
        for t in data.periods():
            rows = per == t
            for j, code in enumerate(self.codes_):
                rule = self.rules_[(t, code)]
                col = X[rows, j]
                flags = out[rows, j]
                if rule["method"] == "winsorise":
                    flags[col > rule["high"]] = "winhi"
                    flags[col < rule["low"]] = "winlo"
                elif rule["method"] == "log":
                    flags[~np.isnan(col)] = "log"
                out[rows, j] = flags
        return pd.DataFrame(out, index=data.values.index, columns=self.codes_)

    def _transform(self, data: IndexData) -> pd.DataFrame:
        codes = self.codes_
        X = data.matrix(codes)
        out = X.copy()
        per = data.period_labels()
        for t in data.periods():
            rows = per == t
            for j, code in enumerate(codes):
                rule = self.rules_.get((t, code))
                if rule is None:
                    raise DataError(f"Winsorise was not fitted on period {t!r}")
                col = X[rows, j]
                if rule["method"] == "winsorise":
                    out[rows, j] = np.clip(col, rule["low"], rule["high"])
                elif rule["method"] == "log":
                    lo, hi = rule["log_min"], rule["log_max"]
                    with np.errstate(invalid="ignore", divide="ignore"):
                        out[rows, j] = np.log(col - lo + 0.01 * (hi - lo))
        return pd.DataFrame(out, index=data.values.index, columns=codes)


TREATERS: dict[str, type[Step]] = {"winsorise": Winsorise}
