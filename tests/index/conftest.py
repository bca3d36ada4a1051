"""Fixtures for the index engine tests: numpy/pandas/scipy + pytest only, no Django."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nengji.index import IndexData, read_data, read_framework, read_table

#: ``../shared/data/coinr-asem`` next to the repository root (COINr's reference data).
COINR_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "coinr-asem"


def coinr_file(name: str) -> Path:
    """Path of a shared COINr file, skipping the test when the folder is absent."""
    path = COINR_DIR / name
    if not path.exists():
        pytest.skip(f"COINr reference data not available: {path}")
    return path


@pytest.fixture(scope="session")
def asem() -> IndexData:
    """COINr's ASEM example (51 units × 49 indicators, 4 levels), read unchanged."""
    fw = read_framework(coinr_file("input_ASEM_iMeta.csv"))
    return read_data(coinr_file("input_ASEM_iData.csv"), fw)


@pytest.fixture(scope="session")
def asem_panel() -> IndexData:
    """COINr's ASEM panel (51 units × 5 years)."""
    fw = read_framework(coinr_file("input_ASEM_iMeta.csv"))
    return read_data(coinr_file("input_ASEM_iData_p.csv"), fw)


def reference(name: str) -> pd.DataFrame:
    """A COINr output CSV indexed by ``uCode``."""
    return read_table(coinr_file(name)).set_index("uCode")
