"""The benchmark part of a plan package (``benchmark/``), read and checked without a database.

A plan package may define the multi-unit index the plan names (长三角双创示范基地双创指数):
which bases are compared (the plan's own district and partner regions), on which of the plan's
indicators (``framework.csv``), by which method (``pipeline.yaml``) and how robust the ranks
must be shown to be (``uncertainty.yaml``). Everything is checked with `nengji.index` itself,
so ``nengji plan validate`` refuses what a benchmark run would refuse later. The files are
described in ``docs/plan-package.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from nengji.plan.package import PackageError, PlanPackage
from nengji.plan.package_index import framework_records

FOLDER = "benchmark"
FILES = ("benchmark.yaml", "framework.csv", "pipeline.yaml", "uncertainty.yaml")
BASE_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,31}$")
DIVISION = re.compile(r"^[1-8]\d{5}$")  # 行政区划代码 (GB/T 2260): six digits
#: bounds of the robustness analysis a package may ask for (a run happens on every publication)
MAX_RUNS = 5000
MAX_SOBOL = 1024
#: fewer bases than this cannot be ranked meaningfully
MIN_BASES = 3
MAX_BASES = 100


@dataclass(frozen=True)
class BaseSpec:
    """One base compared: the plan's own district (``own``) or a partner region."""

    code: str
    name_zh: str
    name_en: str
    own: bool = False
    division: str = ""
    region_zh: str = ""
    region_en: str = ""


@dataclass(frozen=True)
class BenchmarkSpec:
    code: str
    name_zh: str
    name_en: str
    source_start: int | None
    source_end: int | None
    source_quote: str
    first_year: int
    bases: tuple[BaseSpec, ...]
    framework: tuple[dict[str, Any], ...]
    spec: dict[str, Any]
    uncertainty: dict[str, Any]  # {"runs", "sobol", "seed", "inputs"}
    indicators: tuple[str, ...]


class _Errors:
    def __init__(self) -> None:
        self.items: list[PackageError] = []

    def __call__(self, file: str, field: str, message: str) -> None:
        self.items.append(PackageError(f"{FOLDER}/{file}", None, field, message))


def _yaml(root: Path, name: str, err: _Errors) -> Any:
    path = root / FOLDER / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        err(name, "", "file not found")
        return None
    except UnicodeDecodeError:
        err(name, "", "not UTF-8 text")
        return None
    if len(text) > 200_000:
        err(name, "", "file too large (over 200,000 characters)")
        return None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        err(name, "", f"YAML error: {exc}")
        return None


def _text(m: dict[str, Any], key: str, file: str, field: str, err: _Errors) -> str:
    value = m.get(key)
    if not isinstance(value, str) or not value.strip():
        err(file, field, "required text")
        return ""
    return value.strip()


def _bases(raw: Any, err: _Errors) -> tuple[BaseSpec, ...]:
    f = "benchmark.yaml"
    if not isinstance(raw, list) or not raw:
        err(f, "bases", "a list of bases is required")
        return ()
    if len(raw) > MAX_BASES:
        err(f, "bases", f"at most {MAX_BASES} bases")
        return ()
    out: list[BaseSpec] = []
    seen_codes: set[str] = set()
    seen_divisions: set[str] = set()
    known = {"code", "own", "division", "name_zh", "name_en", "region_zh", "region_en"}
    for n, item in enumerate(raw):
        p = f"bases[{n}]"
        if not isinstance(item, dict):
            err(f, p, "a base is a mapping (code, name_zh, division …)")
            continue
        for key in sorted(set(item) - known, key=str):
            err(f, f"{p}.{key}", "unknown field")
        code = item.get("code")
        if not isinstance(code, str) or not BASE_CODE.match(code):
            err(f, f"{p}.code", "an upper-case code of 2–32 letters, digits or _")
            continue
        if code in seen_codes:
            err(f, f"{p}.code", f"duplicate base {code}")
        seen_codes.add(code)
        own = item.get("own", False)
        if not isinstance(own, bool):
            err(f, f"{p}.own", "true or false")
            own = False
        name_zh = _text(item, "name_zh", f, f"{p}.name_zh", err)
        division = item.get("division", "")
        division = str(division) if isinstance(division, str | int) else ""
        if own:
            if division:
                err(f, f"{p}.division", "the plan's own base is the plan's district")
        elif not DIVISION.match(division):
            err(f, f"{p}.division", "a partner base needs its six-digit 行政区划代码")
        elif division in seen_divisions:
            err(f, f"{p}.division", f"duplicate division {division}")
        else:
            seen_divisions.add(division)
        out.append(
            BaseSpec(
                code=code,
                name_zh=name_zh,
                name_en=str(item.get("name_en") or ""),
                own=own,
                division="" if own else division,
                region_zh=str(item.get("region_zh") or name_zh),
                region_en=str(item.get("region_en") or item.get("name_en") or ""),
            )
        )
    owns = [b for b in out if b.own]
    if len(owns) != 1:
        err(f, "bases", f"exactly one base is the plan's own (own: true), found {len(owns)}")
    if len(out) < MIN_BASES:
        err(f, "bases", f"at least {MIN_BASES} bases are needed to rank")
    return tuple(out)


def _uncertainty(raw: Any, err: _Errors) -> dict[str, Any] | None:
    f = "uncertainty.yaml"
    from nengji.index import IndexInputError, parse_inputs

    if not isinstance(raw, dict):
        err(f, "", "a mapping with runs, sobol, seed and inputs")
        return None
    ok = True
    for key in sorted(set(raw) - {"runs", "sobol", "seed", "inputs"}, key=str):
        err(f, key, "unknown field")
        ok = False
    runs, sobol, seed = raw.get("runs"), raw.get("sobol", 0), raw.get("seed", 0)
    if not isinstance(runs, int) or isinstance(runs, bool) or not 1 <= runs <= MAX_RUNS:
        err(f, "runs", f"a whole number of runs from 1 to {MAX_RUNS}")
        ok = False
    if not isinstance(sobol, int) or isinstance(sobol, bool) or not 0 <= sobol <= MAX_SOBOL:
        err(f, "sobol", f"a whole number from 0 (no Sobol' analysis) to {MAX_SOBOL}")
        ok = False
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**32:
        err(f, "seed", "a whole number from 0 to 2³² − 1")
        ok = False
    inputs = raw.get("inputs")
    try:
        parsed = parse_inputs({"inputs": inputs})
    except (IndexInputError, ValueError, KeyError, TypeError) as exc:
        err(f, "inputs", f"invalid uncertain inputs: {exc}")
        return None
    if sobol and len(parsed) < 2:
        err(f, "sobol", "a Sobol' analysis needs at least two uncertain inputs")
        ok = False
    if not ok:
        return None
    return {"runs": runs, "sobol": sobol, "seed": seed, "inputs": inputs}


def _dry_run(spec: BenchmarkSpec, err: _Errors) -> None:
    """Run the method once on made-up values for three units: what the engine would refuse
    (a weight level the framework lacks, an input naming a missing step) is refused now."""
    from nengji.index import IndexInputError, build_data, pipeline_from_spec, read_framework
    from nengji.index.uncertainty import run_uncertainty

    fw = read_framework(list(spec.framework))
    frame = pd.DataFrame({"uCode": ["A", "B", "C"]})
    for n, code in enumerate(fw.indicators):
        frame[code] = [1.0 + n, 2.0 + 2 * n, 3.0 + (n % 3)]
    try:
        data = build_data(frame, fw)
        run_uncertainty(
            data,
            pipeline_from_spec(spec.spec),
            {"inputs": spec.uncertainty["inputs"]},
            n_runs=2,
            seed=0,
        )
    except (IndexInputError, ValueError, KeyError, TypeError) as exc:
        err("uncertainty.yaml", "inputs", f"the method cannot run: {exc}")


def read_benchmark(package: PlanPackage) -> tuple[BenchmarkSpec | None, list[PackageError]]:
    """The package's benchmark (None when it has no ``benchmark/`` folder) and every error."""
    root = package.root
    if not (root / FOLDER).is_dir():
        return None, []
    from nengji.index import IndexInputError, pipeline_from_spec, read_framework

    err = _Errors()
    meta = _yaml(root, "benchmark.yaml", err)
    if meta is not None and not isinstance(meta, dict):
        err("benchmark.yaml", "", "a mapping (code, name_zh, bases …)")
        meta = None
    code = name_zh = quote = ""
    first_year = 0
    start = end = None
    bases: tuple[BaseSpec, ...] = ()
    if meta is not None:
        known = {"code", "name_zh", "name_en", "source", "first_year", "bases"}
        for key in sorted(set(meta) - known, key=str):
            err("benchmark.yaml", str(key), "unknown field")
        code = _text(meta, "code", "benchmark.yaml", "code", err)
        if code and not BASE_CODE.match(code):
            err("benchmark.yaml", "code", "an upper-case code of 2–32 letters, digits or _")
        name_zh = _text(meta, "name_zh", "benchmark.yaml", "name_zh", err)
        first_year = meta.get("first_year")
        if not isinstance(first_year, int) or isinstance(first_year, bool):
            err("benchmark.yaml", "first_year", "a year")
            first_year = 0
        elif not package.meta.period_start - 5 <= first_year <= package.meta.period_end:
            err("benchmark.yaml", "first_year", "must lie in (or just before) the plan period")
        source = meta.get("source")
        if source is not None:
            if not isinstance(source, dict) or not {"start", "end", "quote"} <= set(source):
                err("benchmark.yaml", "source", "a span {start, end, quote}")
            else:
                start, end, quote = source["start"], source["end"], str(source["quote"])
                if (
                    not isinstance(start, int)
                    or not isinstance(end, int)
                    or package.source_text[start:end] != quote
                ):
                    found = package.source_text.find(quote) if quote else -1
                    where = f" (found at {found}–{found + len(quote)})" if found >= 0 else ""
                    err("benchmark.yaml", "source", f"quote does not match source.txt{where}")
        bases = _bases(meta.get("bases"), err)
    framework: tuple[dict[str, Any], ...] = ()
    indicators: tuple[str, ...] = ()
    try:
        fw = read_framework(root / FOLDER / "framework.csv")
    except FileNotFoundError:
        err("framework.csv", "", "file not found")
    except (IndexInputError, ValueError, KeyError, UnicodeDecodeError) as exc:
        err("framework.csv", "", f"not a valid index framework: {exc}")
    else:
        plan_codes = {i.code for i in package.indicators}
        unknown = [c for c in fw.indicators if c not in plan_codes]
        if unknown:
            err(
                "framework.csv",
                "code",
                "indicators not defined in the plan's indicators: " + ", ".join(unknown),
            )
        if len(fw.roots) != 1:
            err("framework.csv", "parent", f"the framework needs one root, found {fw.roots}")
        if code and fw.roots and fw.roots[0] != code:
            err("framework.csv", "code", f"the root must be the benchmark's code {code}")
        framework = framework_records(fw)
        indicators = tuple(fw.indicators)
    spec: dict[str, Any] = {}
    raw = _yaml(root, "pipeline.yaml", err)
    if raw is not None:
        if not isinstance(raw, dict) or not isinstance(raw.get("steps"), list):
            err("pipeline.yaml", "steps", "a pipeline is a mapping with a list of steps")
        else:
            try:
                pipeline_from_spec(raw)
            except (IndexInputError, ValueError, KeyError, TypeError) as exc:
                err("pipeline.yaml", "steps", f"invalid pipeline: {exc}")
            else:
                kinds = [s.get("step") for s in raw["steps"] if isinstance(s, dict)]
                if "aggregate" not in kinds:
                    err("pipeline.yaml", "steps", "the pipeline must aggregate")
                spec = dict(raw)
    uncertainty = None
    raw = _yaml(root, "uncertainty.yaml", err)
    if raw is not None:
        uncertainty = _uncertainty(raw, err)
    if err.items or uncertainty is None or not spec or not framework:
        return None, err.items or [PackageError(FOLDER, None, "", "incomplete benchmark")]
    result = BenchmarkSpec(
        code=code,
        name_zh=name_zh,
        name_en=str(meta.get("name_en") or "") if meta else "",
        source_start=start,
        source_end=end,
        source_quote=quote,
        first_year=first_year,
        bases=bases,
        framework=framework,
        spec=spec,
        uncertainty=uncertainty,
        indicators=indicators,
    )
    _dry_run(result, err)
    return (None, err.items) if err.items else (result, [])


def benchmark_check(package: PlanPackage) -> list[PackageError]:
    """The check `nengji plan validate` and `plan load` run (registered as a package part)."""
    return read_benchmark(package)[1]
