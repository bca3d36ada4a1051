"""The registry's part of a plan package: ``registry/`` beside ``plan.yaml``.

Files (all optional; a package without ``registry/`` has no ladder and no carriers):

- ``ladder.yaml`` — the growth ladder: stages (code, level, names, designation kinds) and each
  stage's entry rule as clauses (`nengji.registry.clauses`), each clause citing its source;
- ``streets.csv`` — the district's 街道 (code, name_zh, name_en);
- ``areas.yaml`` — zones, functional areas and structure groups, each quoting the plan text;
- ``carriers.csv`` — carriers (code, names, kind, level, group, zone, functional_area, lon,
  lat, area_m2, operator, coords ``approximate`` or ``surveyed``);
- ``partners.yaml`` — the partner bases of the regional start-up map and their services;
- ``boundary.geojson`` — the district's boundary (GCJ-02) for the offline map;
- ``indicators.yaml`` — which of the plan's indicators the registry counts at year end, how.

`registry_part_read` reads and checks them without a database (for `nengji plan validate`);
every problem is a `PackageError` with file, line (CSV rows) and field.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from nengji.plan.package import PackageError, PlanPackage
from nengji.registry.clauses import clauses_check

FOLDER = "registry"
STAGE_CODES = (
    "startup",
    "tech_sme",
    "innovative_sme",
    "high_tech",
    "specialised",
    "little_giant",
    "gazelle",
    "listed",
    "unicorn",
)
CARRIER_COLUMNS = (
    "code",
    "name_zh",
    "name_en",
    "kind",
    "level",
    "group",
    "zone",
    "functional_area",
    "lon",
    "lat",
    "area_m2",
    "operator",
    "coords",
)
#: a package file is read only up to this size (a hand-edited folder, not a bulk import)
MAX_FILE_BYTES = 2_000_000


@dataclass
class RegistryPart:
    root: Path
    stages: list[dict[str, Any]] = field(default_factory=list)
    streets: list[dict[str, str]] = field(default_factory=list)
    areas: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    carriers: list[dict[str, Any]] = field(default_factory=list)
    partners: dict[str, Any] = field(default_factory=dict)
    boundary: dict[str, Any] | None = None
    ladder_quote: str = ""
    counts: list[dict[str, Any]] = field(default_factory=list)


def _read(path: Path, name: str, errors: list[PackageError]) -> str | None:
    if not path.is_file():
        return None
    if path.stat().st_size > MAX_FILE_BYTES:
        errors.append(PackageError(name, None, "", f"larger than {MAX_FILE_BYTES} bytes"))
        return None
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        errors.append(PackageError(name, None, "", "not UTF-8"))
        return None


def _yaml(text: str, name: str, errors: list[PackageError]) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        errors.append(PackageError(name, None, "", f"not valid YAML: {exc}"))
        return None


def _csv(
    text: str, name: str, columns: tuple[str, ...], errors: list[PackageError]
) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        errors.append(PackageError(name, 1, "", f"missing columns: {', '.join(missing)}"))
        return []
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _decimal(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def registry_part_read(package: PlanPackage) -> tuple[RegistryPart, list[PackageError]]:
    """The registry part of `package` and every problem in it."""
    root = Path(package.root) / FOLDER
    part = RegistryPart(root=root)
    errors: list[PackageError] = []
    if not root.is_dir():
        return part, errors
    source = package.source_text

    name = f"{FOLDER}/ladder.yaml"
    text = _read(root / "ladder.yaml", name, errors)
    data = _yaml(text, name, errors) if text is not None else None
    if data is not None:
        if not isinstance(data, dict) or not isinstance(data.get("stages"), list):
            errors.append(PackageError(name, None, "stages", "a list of stages"))
        else:
            part.ladder_quote = str(data.get("quote") or "")
            if part.ladder_quote and part.ladder_quote not in source:
                errors.append(PackageError(name, None, "quote", "does not occur in the plan text"))
            seen: set[str] = set()
            for i, stage in enumerate(data["stages"]):
                where = f"stages[{i}]"
                if not isinstance(stage, dict):
                    errors.append(PackageError(name, None, where, "a mapping"))
                    continue
                code = stage.get("code")
                if code not in STAGE_CODES:
                    errors.append(
                        PackageError(
                            name, None, f"{where}.code", f"one of {', '.join(STAGE_CODES)}"
                        )
                    )
                elif code in seen:
                    errors.append(PackageError(name, None, f"{where}.code", "used twice"))
                seen.add(str(code))
                if not isinstance(stage.get("level"), int) or stage["level"] < 0:
                    errors.append(PackageError(name, None, f"{where}.level", "a whole number ≥ 0"))
                if not str(stage.get("name_zh") or "").strip():
                    errors.append(PackageError(name, None, f"{where}.name_zh", "required"))
                from nengji.registry.models import DesignationKind

                kinds = stage.get("designations", [])
                if not isinstance(kinds, list) or any(
                    k not in DesignationKind.values for k in kinds
                ):
                    errors.append(
                        PackageError(
                            name, None, f"{where}.designations", "a list of designation kinds"
                        )
                    )
                rule = stage.get("rule", [])
                if not isinstance(rule, list):
                    errors.append(PackageError(name, None, f"{where}.rule", "a list of clauses"))
                    continue
                for problem in clauses_check(rule, where=f"{where}.rule"):
                    path, _, message = problem.partition(": ")
                    errors.append(PackageError(name, None, path, message))
                part.stages.append(stage)

    name = f"{FOLDER}/streets.csv"
    text = _read(root / "streets.csv", name, errors)
    if text is not None:
        codes: set[str] = set()
        for n, row in enumerate(_csv(text, name, ("code", "name_zh"), errors), start=2):
            if not row["code"] or not row["name_zh"] or len(row["code"]) > 16:
                errors.append(PackageError(name, n, "code", "a code (≤ 16) and a name"))
            elif row["code"] in codes:
                errors.append(PackageError(name, n, "code", "used twice"))
            codes.add(row["code"])
            part.streets.append(row)

    name = f"{FOLDER}/areas.yaml"
    text = _read(root / "areas.yaml", name, errors)
    data = _yaml(text, name, errors) if text is not None else None
    if data is not None:
        for kind in ("zones", "functional_areas", "groups"):
            items = data.get(kind, []) if isinstance(data, dict) else None
            if not isinstance(items, list):
                errors.append(PackageError(name, None, kind, "a list"))
                continue
            seen = set()
            for i, item in enumerate(items):
                where = f"{kind}[{i}]"
                if not isinstance(item, dict) or not item.get("code") or not item.get("name_zh"):
                    errors.append(PackageError(name, None, where, "needs code and name_zh"))
                    continue
                if item["code"] in seen:
                    errors.append(PackageError(name, None, f"{where}.code", "used twice"))
                seen.add(item["code"])
                quote = str(item.get("quote") or "")
                if not quote or quote not in source:
                    errors.append(
                        PackageError(
                            name,
                            None,
                            f"{where}.quote",
                            "needs a quote that occurs in the plan text",
                        )
                    )
            part.areas[kind] = items

    name = f"{FOLDER}/carriers.csv"
    text = _read(root / "carriers.csv", name, errors)
    if text is not None:
        part.carriers = carriers_check(
            _csv(text, name, CARRIER_COLUMNS, errors), name, part.areas, errors
        )

    name = f"{FOLDER}/partners.yaml"
    text = _read(root / "partners.yaml", name, errors)
    data = _yaml(text, name, errors) if text is not None else None
    if data is not None:
        if not isinstance(data, dict) or not isinstance(data.get("bases"), list):
            errors.append(PackageError(name, None, "bases", "a list of partner bases"))
        else:
            for i, base in enumerate(data["bases"]):
                if not isinstance(base, dict) or not base.get("code") or not base.get("name_zh"):
                    errors.append(PackageError(name, None, f"bases[{i}]", "needs code and name_zh"))
                elif (
                    _decimal(str(base.get("lon"))) is None or _decimal(str(base.get("lat"))) is None
                ):
                    errors.append(PackageError(name, None, f"bases[{i}]", "needs lon and lat"))
            part.partners = data

    name = f"{FOLDER}/indicators.yaml"
    text = _read(root / "indicators.yaml", name, errors)
    data = _yaml(text, name, errors) if text is not None else None
    if data is not None:
        part.counts = counts_check(data, name, package, errors)

    name = f"{FOLDER}/boundary.geojson"
    text = _read(root / "boundary.geojson", name, errors)
    if text is not None:
        try:
            geo = json.loads(text)
        except ValueError:
            errors.append(PackageError(name, None, "", "not JSON"))
        else:
            if not isinstance(geo, dict) or geo.get("type") != "FeatureCollection":
                errors.append(PackageError(name, None, "type", "a GeoJSON FeatureCollection"))
            else:
                part.boundary = geo
    return part, errors


def carriers_check(
    rows: list[dict[str, str]],
    name: str,
    areas: dict[str, list[dict[str, Any]]],
    errors: list[PackageError],
) -> list[dict[str, Any]]:
    """Carrier rows, checked against the kinds, levels and the package's areas."""
    from nengji.registry.models import CarrierKind, CarrierLevel

    known = {
        "group": {a["code"] for a in areas.get("groups", []) if isinstance(a, dict)},
        "zone": {a["code"] for a in areas.get("zones", []) if isinstance(a, dict)},
        "functional_area": {
            a["code"] for a in areas.get("functional_areas", []) if isinstance(a, dict)
        },
    }
    out = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        problems = []
        if not row.get("code") or len(row["code"]) > 64 or not row.get("name_zh"):
            problems.append(("code", "a code (≤ 64) and a name"))
        elif row["code"] in seen:
            problems.append(("code", "used twice"))
        seen.add(row.get("code", ""))
        if row.get("kind") not in CarrierKind.values:
            problems.append(("kind", f"one of {', '.join(CarrierKind.values)}"))
        if row.get("level") and row["level"] not in CarrierLevel.values:
            problems.append(("level", f"empty or one of {', '.join(CarrierLevel.values)}"))
        for key, codes in known.items():
            if row.get(key) and row[key] not in codes:
                problems.append((key, f"“{row[key]}” is not in areas.yaml"))
        lon, lat = _decimal(row.get("lon", "")), _decimal(row.get("lat", ""))
        if (row.get("lon") or row.get("lat")) and (
            lon is None or lat is None or not (73 <= lon <= 136 and 3 <= lat <= 54)
        ):
            problems.append(("lon", "longitude and latitude in China (GCJ-02)"))
        area = _decimal(row["area_m2"]) if row.get("area_m2") else None
        if row.get("area_m2") and (area is None or not 0 < area < 10**9):
            problems.append(("area_m2", "a positive number of m²"))
        if row.get("coords") not in ("", "approximate", "surveyed"):
            problems.append(("coords", "approximate or surveyed"))
        for key, message in problems:
            errors.append(PackageError(name, n, key, message))
        if not problems:
            out.append({**row, "lon": lon, "lat": lat, "area_m2": area})
    return out


def registry_part_check(package: PlanPackage) -> list[PackageError]:
    """The check `nengji plan validate` and `plan load` run (registered in `apps.py`)."""
    return registry_part_read(package)[1]


def counts_check(
    data: Any, name: str, package: PlanPackage, errors: list[PackageError]
) -> list[dict[str, Any]]:
    """The year-end counts: each names an indicator of the plan and one counting rule."""
    from nengji.registry.models import CarrierKind, CarrierLevel, DesignationKind

    rows = data.get("counts") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        errors.append(PackageError(name, None, "counts", "a list"))
        return []
    codes = {i.code for i in package.indicators}
    out = []
    for i, row in enumerate(rows):
        where = f"counts[{i}]"
        if not isinstance(row, dict):
            errors.append(PackageError(name, None, where, "a mapping"))
            continue
        problems = []
        if row.get("indicator") not in codes:
            problems.append(("indicator", "not an indicator of this plan"))
        if ("designation" in row) == ("carriers" in row):
            problems.append(("designation", "one of designation or carriers"))
        elif "designation" in row and row["designation"] not in DesignationKind.values:
            problems.append(("designation", "a designation kind"))
        elif "carriers" in row:
            c = row["carriers"]
            if not isinstance(c, dict) or c.get("kind") not in CarrierKind.values:
                problems.append(("carriers.kind", "a carrier kind"))
            elif c.get("level") and c["level"] not in CarrierLevel.values:
                problems.append(("carriers.level", "a carrier level"))
        if not str(row.get("method") or "").strip():
            problems.append(("method", "say what is counted"))
        for field_name, message in problems:
            errors.append(PackageError(name, None, f"{where}.{field_name}", message))
        if not problems:
            out.append(row)
    return out
