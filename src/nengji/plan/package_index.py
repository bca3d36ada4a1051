"""The composite index a plan package defines (``plan.yaml`` → ``index:``), read and checked.

The framework (an indicator tree, nengji's CSV format or COINr's iMeta) and the pipeline (YAML
steps) are checked with `nengji.index` itself, so ``plan validate`` refuses what an index run
would refuse later: a framework naming an indicator the package does not define, an unknown
method, a malformed step. The engine is imported only when a package has an index.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

INDEX_REQUIRED = ("framework", "pipeline")
INDEX_OPTIONAL = ("unit", "official_indicator")


@dataclass(frozen=True)
class IndexFiles:
    """``plan.yaml``'s ``index:`` mapping, before its files are read."""

    framework: str
    pipeline: str
    unit: str | None
    official_indicator: str | None
    line: int | None = None


@dataclass(frozen=True)
class IndexSpec:
    """A checked index definition, ready to be stored with the plan."""

    root: str
    unit: str
    framework: tuple[dict[str, Any], ...]
    spec: dict[str, Any]
    official_indicator: str | None
    indicators: tuple[str, ...]


def relative_file(name: object) -> bool:
    """A relative path inside the package folder (``index/framework.csv``; no ``..``)."""
    if not isinstance(name, str) or not name or "\\" in name:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and all(path.parts)


def framework_records(framework: Any) -> tuple[dict[str, Any], ...]:
    """The framework as JSON-ready records (the columns an index run stores and reads back)."""
    frame = framework.to_frame()
    keep = [
        c
        for c in ("code", "name_zh", "name_en", "parent", "weight", "direction", "unit")
        if c in frame.columns
    ]
    records = frame[keep].to_dict(orient="records")
    return tuple(
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
        for r in records
    )


def read_index(
    root: Path,
    files: IndexFiles,
    *,
    district_code: str,
    indicator_codes: set[str],
    error: Any,
) -> IndexSpec | None:
    """Read and check the index files; report problems through ``error(file, line, field, msg)``
    and return None when there is any."""
    from nengji.index import IndexInputError, pipeline_from_spec, read_framework

    ok = True
    framework = None
    try:
        framework = read_framework(root / files.framework)
    except FileNotFoundError:
        error(files.framework, None, "", "file not found")
        ok = False
    except (IndexInputError, ValueError, KeyError) as exc:
        error(files.framework, None, "", f"not a valid index framework: {exc}")
        ok = False
    if framework is not None:
        unknown = [c for c in framework.indicators if c not in indicator_codes]
        if unknown:
            error(
                files.framework,
                None,
                "code",
                "indicators not defined in the plan's indicators: " + ", ".join(unknown),
            )
            ok = False
    spec: dict[str, Any] | None = None
    try:
        raw = yaml.safe_load((root / files.pipeline).read_text(encoding="utf-8"))
    except FileNotFoundError:
        error(files.pipeline, None, "", "file not found")
        ok = False
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        error(files.pipeline, None, "", f"cannot read the pipeline: {exc}")
        ok = False
    else:
        if not isinstance(raw, dict) or not isinstance(raw.get("steps"), list):
            error(files.pipeline, None, "steps", "a pipeline is a mapping with a list of steps")
            ok = False
        else:
            try:
                pipeline_from_spec(raw)
            except (IndexInputError, ValueError, KeyError, TypeError) as exc:
                error(files.pipeline, None, "steps", f"invalid pipeline: {exc}")
                ok = False
            else:
                spec = dict(raw)
    official = files.official_indicator
    if official is not None and official not in indicator_codes:
        error(
            "plan.yaml", files.line, "index.official_indicator", f"unknown indicator {official!r}"
        )
        ok = False
    if not ok or framework is None or spec is None:
        return None
    roots = framework.roots
    if len(roots) != 1:
        error(files.framework, None, "parent", f"the framework needs one root, found {roots}")
        return None
    return IndexSpec(
        root=roots[0],
        unit=files.unit or district_code,
        framework=framework_records(framework),
        spec=spec,
        official_indicator=official,
        indicators=tuple(framework.indicators),
    )
