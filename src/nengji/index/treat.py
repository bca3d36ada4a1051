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
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from nengji.index.base import _KINDS, Step
from nengji.index.data import IndexData
from nengji.index.errors import DataError, SpecError


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


#: Transformations applied when winsorising is not enough (COINr's ``f2``).
FALLBACKS = ("log_ct", "log_ct_plus", "log_gii", "boxcox")


def fallback_params(x: np.ndarray, fallback: str, boxcox_lambda: float) -> dict[str, Any]:
    """What a fallback transformation learns from the (original, non-missing) values ``x``."""
    lo, hi = float(x.min()), float(x.max())
    rule: dict[str, Any] = {"method": "log", "log_min": lo, "log_max": hi}
    if fallback == "log_ct_plus":  # COINr log_CT_plus: the tail side follows the skew
        rule["method"] = "log_ct_plus" if skew(x) > 0 else "log_ct_neg"
    elif fallback == "log_gii":
        if hi == 1.0 or hi == lo:
            raise DataError(
                f"log_gii needs a maximum other than 1 and a spread, got min {lo}, max {hi}"
            )
        rule["method"] = "log_gii"
    elif fallback == "boxcox":
        rule.update(method="boxcox", boxcox_lambda=float(boxcox_lambda))
    return rule


def apply_rule(x: np.ndarray, rule: Mapping[str, Any]) -> np.ndarray:
    """Apply a learned treatment rule to values (NaN stays NaN)."""
    method = rule["method"]
    if method == "winsorise":
        return np.asarray(np.clip(x, rule["low"], rule["high"]))
    if method == "none":
        return x.copy()
    lo, hi = rule["log_min"], rule["log_max"]
    a = 0.01 * (hi - lo)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "log":  # COINr log_CT
            return np.asarray(np.log(x - lo + a))
        if method == "log_ct_plus":
            return np.asarray(np.log(x - lo + a))
        if method == "log_ct_neg":  # negative skew: mirror, so the long tail is compressed
            return np.asarray(-np.log(hi + a - x))
        if method == "log_gii":  # log((max − 1)(x − min)/(max − min) + 1), the GII's rule
            return np.asarray(np.log((hi - 1.0) * (x - lo) / (hi - lo) + 1.0))
        lam = rule["boxcox_lambda"]  # boxcox with COINr's makepos shift x − min + 1
        y = x - lo + 1.0
        return np.asarray(np.log(y) if lam == 0 else (y**lam - 1.0) / lam)


def winsorise_column(
    x: np.ndarray,
    *,
    skew_t: float = 2.0,
    kurt_t: float = 3.5,
    max_points: int | None = 5,
    log_fallback: bool = True,
    force: bool = False,
    fallback: str = "log_ct",
    boxcox_lambda: float = 1.0,
) -> dict[str, Any]:
    """Treat one column (NaN allowed); return the treated values and what was done.

    ``force`` winsorises up to ``max_points`` points whatever the skew and kurtosis (COINr
    ``force_win``); ``fallback`` names the transformation used when winsorising is not enough.
    """
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
    if _passes(v, skew_t, kurt_t) and not force:
        info.update(skew_after=info["skew_before"], kurtosis_after=info["kurtosis_before"])
        return {"x": out, **info}
    n_high = n_low = 0
    nwin = 0
    high_side = low_side = False
    sk, kt = _skew_kurt(v)
    while (force or not _passes_sk(sk, kt, skew_t, kurt_t)) and (
        max_points is None or nwin < max_points
    ):
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
        rule = fallback_params(x[ok], fallback, boxcox_lambda)
        info.update(rule)
        out = apply_rule(x, rule)
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


#: What ``specs`` may override for one indicator.
_SPEC_KEYS = (
    "skew",
    "kurtosis",
    "max_points",
    "log_fallback",
    "force",
    "fallback",
    "boxcox_lambda",
)


class Winsorise(Step):
    """COINr's default outlier treatment (see the module docstring), with its options.

    Parameters
    ----------
    skew, kurtosis : float
        Thresholds: an indicator passes if ``|skew| < skew`` or ``kurtosis < kurtosis``.
    max_points : int or None
        Most points to winsorise before falling back (COINr ``winmax``).
    log_fallback : bool
        Transform when winsorisation is not enough (COINr's ``f2``); False keeps the winsorised
        values.
    fallback : str
        The transformation: ``log_ct`` (COINr ``log_CT``, the default), ``log_ct_plus``
        (``log_CT_plus``: mirrored for negative skew), ``log_gii`` (the GII's rule), or
        ``boxcox`` with ``boxcox_lambda`` (COINr ``boxcox`` with ``makepos``).
    force : bool
        Winsorise ``max_points`` points whatever the skew and kurtosis (COINr ``force_win``).
    specs : mapping code → mapping or ``"none"``, optional
        Per-indicator settings (COINr ``indiv_specs``): ``"none"`` leaves the indicator
        untreated, a mapping overrides any of ``skew, kurtosis, max_points, log_fallback,
        force, fallback, boxcox_lambda`` for it.
    pooled : bool
        For panels: decide and learn the treatment once on all periods together (scores stay
        comparable over time), instead of per period (COINr treats each year separately).
    """

    constraints: ClassVar[dict[str, str]] = {
        "skew": "positive",
        "kurtosis": "number",
        "max_points": "int>=0?",
        "log_fallback": "bool",
        "fallback": "str+",
        "boxcox_lambda": "number",
        "force": "bool",
        "specs": "mapping?",
        "pooled": "bool",
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
        fallback: str = "log_ct",
        boxcox_lambda: float = 1.0,
        force: bool = False,
        specs: Mapping[str, Any] | None = None,
        pooled: bool = False,
    ) -> None:
        self.skew = skew
        self.kurtosis = kurtosis
        self.max_points = max_points
        self.log_fallback = log_fallback
        self.fallback = fallback
        self.boxcox_lambda = boxcox_lambda
        self.force = force
        self.specs = specs
        self.pooled = pooled

    def _settings(self, codes: list[str]) -> dict[str, dict[str, Any] | None]:
        """Effective settings per indicator (``None`` = untreated), validated."""
        base = {k: getattr(self, k) for k in _SPEC_KEYS}
        specs = dict(self.specs or {})
        unknown = [c for c in specs if c not in codes]
        if unknown:
            raise DataError(f"Winsorise.specs names {unknown[0]!r}, which is not an indicator")
        out: dict[str, dict[str, Any] | None] = {}
        for code in codes:
            spec = specs.get(code)
            if spec == "none":
                out[code] = None
                continue
            if spec is not None and not isinstance(spec, Mapping):
                raise SpecError(f"Winsorise.specs[{code!r}] must be 'none' or a mapping")
            bad = [k for k in (spec or {}) if k not in _SPEC_KEYS]
            if bad:
                raise SpecError(
                    f"Winsorise.specs[{code!r}] has no setting {bad[0]!r}; "
                    f"valid: {list(_SPEC_KEYS)}"
                )
            for key, value in (spec or {}).items():
                kind = self.constraints[key]
                test, words = _KINDS[kind.rstrip("?")]
                if not (test(value) or (kind.endswith("?") and value is None)):
                    raise SpecError(
                        f"Winsorise.specs[{code!r}][{key!r}] must be {words}, got {value!r}"
                    )
            one = {**base, **(spec or {})}
            if one["fallback"] not in FALLBACKS:
                raise SpecError(
                    f"Winsorise fallback for {code!r} must be one of {list(FALLBACKS)}, "
                    f"got {one['fallback']!r}"
                )
            if one["force"] and one["max_points"] is None:
                raise SpecError(f"Winsorise.force for {code!r} needs a max_points limit")
            out[code] = one
        return out

    def _fit(self, data: IndexData) -> None:
        codes = data.indicators
        X = data.matrix(codes)
        per = data.period_labels()
        settings = self._settings(codes)
        self.codes_ = codes
        self.rules_: dict[tuple[Any, str], dict[str, Any]] = {}
        rows = []
        periods = [None] if self.pooled else data.periods()
        for t in periods:
            Xt = X if self.pooled else X[per == t]
            sk, kt = _column_moments(Xt)
            for j, code in enumerate(codes):
                one = settings[code]
                margin = 1e-9  # near a threshold, decide with the exact one-column computation
                sure = one is None or (
                    not one["force"]
                    and (
                        np.isnan(sk[j])
                        or np.isnan(kt[j])
                        or abs(sk[j]) < one["skew"] - margin
                        or kt[j] < one["kurtosis"] - margin
                    )
                )
                if sure:
                    res = {
                        **_UNTREATED,
                        "skew_before": sk[j],
                        "kurtosis_before": kt[j],
                        "skew_after": sk[j],
                        "kurtosis_after": kt[j],
                    }
                else:
                    assert one is not None
                    res = winsorise_column(
                        Xt[:, j],
                        skew_t=one["skew"],
                        kurt_t=one["kurtosis"],
                        max_points=one["max_points"],
                        log_fallback=one["log_fallback"],
                        force=one["force"],
                        fallback=one["fallback"],
                        boxcox_lambda=one["boxcox_lambda"],
                    )
                    res.pop("x")
                self.rules_[(t, code)] = res
                rows.append({"period": t, "code": code, **res})
        report = pd.DataFrame(rows)
        if not data.is_panel or self.pooled:
            report = report.drop(columns="period")
        self.report_ = report

    def _rule(self, t: Any, code: str) -> dict[str, Any]:
        rule = self.rules_.get((None if self.pooled else t, code))
        if rule is None:
            raise DataError(f"Winsorise was not fitted on period {t!r}")
        return rule

    def treated_points(self, data: IndexData | pd.DataFrame) -> pd.DataFrame:
        """Which values the fitted rules change: ``"winhi"``, ``"winlo"``, the transformation's
        name (``"log"``, ``"boxcox"``, …) or ``""``.

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
                rule = self._rule(t, code)
                col = X[rows, j]
                flags = out[rows, j]
                if rule["method"] == "winsorise":
                    flags[col > rule["high"]] = "winhi"
                    flags[col < rule["low"]] = "winlo"
                elif rule["method"] != "none":
                    flags[~np.isnan(col)] = rule["method"]
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
                out[rows, j] = apply_rule(X[rows, j], self._rule(t, code))
        return pd.DataFrame(out, index=data.values.index, columns=codes)


TREATERS: dict[str, type[Step]] = {"winsorise": Winsorise}
