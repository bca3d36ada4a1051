"""Where an analysis takes its data from: results (a stage), index data or a plain frame."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from nengji.index.data import IndexData
from nengji.index.errors import DataError, SpecError
from nengji.index.framework import Framework
from nengji.index.results import IndexResults

#: What an analysis accepts: results (with a stage), index data, or a units × codes frame.
Source = IndexResults | IndexData | pd.DataFrame


def source_frame(source: Source, stage: str | None = None) -> pd.DataFrame:
    """The DataFrame (units × codes) an analysis works on."""
    if isinstance(source, IndexResults):
        if stage is None:
            stage = "aggregated" if "aggregated" in source.stages else list(source.stages)[-1]
        if stage not in source.stages:
            raise DataError(f"no stage {stage!r}; stages: {list(source.stages)}")
        return source.stages[stage]
    if stage is not None:
        raise SpecError("'stage' applies to IndexResults only")
    if isinstance(source, IndexData):
        return source.values
    if isinstance(source, pd.DataFrame):
        return source
    raise TypeError(f"expected IndexResults, IndexData or DataFrame, got {type(source).__name__}")


def source_framework(source: Source, framework: Framework | None = None) -> Framework:
    """The framework of ``source`` (or the one given)."""
    if framework is not None:
        return framework
    fw = getattr(source, "framework", None) if not isinstance(source, pd.DataFrame) else None
    if not isinstance(fw, Framework):
        raise DataError("this analysis needs a framework: pass framework=...")
    return fw


def _columns(frame: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    missing = [c for c in codes if c not in frame.columns]
    if missing:
        raise DataError(f"code {missing[0]!r} is not in the data set")
    return frame[list(codes)].astype(float)
