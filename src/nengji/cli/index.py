"""`nengji index`: the composite-index engine from the command line (a thin shell).

``nengji index run --framework F --data D --pipeline P.yaml --out results.csv`` reads nengji's own
tables or COINr's iMeta/iData CSVs unchanged (detected by their columns), runs the pipeline and
writes one row per unit (and period): the unit code column named as in the input (e.g. ``uCode``),
``Time`` for panels, then one column per aggregate (the index first). Next to the output it writes
``<out>.spec.json``: the pipeline spec and the SHA-256 of every input, so any figure can be
regenerated. ``--data tool.xlsm`` without ``--framework`` reads a JRC COIN Tool input workbook
(framework and data in one file; :mod:`nengji.index.cointool`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # the engine (numpy, pandas) is imported inside the commands: fast --help
    from nengji.index import Framework, IndexData, Pipeline


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_framework(path: str | Path) -> Framework:
    """Read a framework: CSV (nengji format or COINr iMeta) or YAML (a list of node mappings,
    or ``{nodes: [...], groups: [...], denominators: [...]}``)."""
    import yaml

    from nengji.index import Framework, read_framework

    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict):
            return Framework.from_records(
                doc.get("nodes", []),
                groups=doc.get("groups", ()),
                denominators=doc.get("denominators", ()),
            )
        return Framework.from_records(doc or [])
    return read_framework(path)


#: data files read as a JRC COIN Tool input workbook (which holds its own framework)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def load_inputs(framework: str | Path | None, data: str | Path) -> IndexData:
    """Read a framework and a data table (nengji or COINr format) into :class:`IndexData`, or a
    JRC COIN Tool workbook (``.xlsx``/``.xlsm``, no framework file: the workbook holds it)."""
    from nengji.index import read_data
    from nengji.index.cointool import import_coin_tool

    if Path(data).suffix.lower() in WORKBOOK_SUFFIXES:
        if framework is not None:
            raise click.BadParameter(
                "a COIN Tool workbook holds its own framework: leave out --framework",
                param_hint="--framework",
            )
        imported = import_coin_tool(data)  # bounded (size, zip) before it is parsed
        for note in imported.notes:
            click.echo(f"note: {note}", err=True)
        return imported.data
    if framework is None:
        raise click.BadParameter(
            "needed unless --data is a COIN Tool workbook (.xlsx/.xlsm)", param_hint="--framework"
        )
    return read_data(data, load_framework(framework))


def load_spec(path: str | Path) -> dict[str, Any]:
    """Read a pipeline (or any) spec from YAML or JSON."""
    import yaml

    text = Path(path).read_text(encoding="utf-8")
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise click.BadParameter(f"{path} is not valid YAML/JSON: {exc}") from None
    if not isinstance(spec, dict):
        raise click.BadParameter(f"{path} does not hold a mapping", param_hint="--pipeline")
    return spec


def load_pipeline(path: str | Path) -> Pipeline:
    """Read a pipeline YAML/JSON file into a :class:`Pipeline`."""
    from nengji.index import pipeline_from_spec

    return pipeline_from_spec(load_spec(path))


def spec_path_for(out: Path) -> Path:
    """``results.csv`` → ``results.spec.json``."""
    return out.with_name(out.stem + ".spec.json")


def write_provenance(
    out: Path, *, spec: dict[str, Any], inputs: dict[str, Path], command: str, **extra: Any
) -> Path:
    """Write ``<out>.spec.json`` with the spec and input hashes; return its path."""
    from nengji import __version__

    record = {
        "command": command,
        "nengji_version": __version__,
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "inputs": {name: {"path": str(p), "sha256": file_sha256(p)} for name, p in inputs.items()},
        "pipeline": spec,
        **extra,
    }
    path = spec_path_for(out)
    path.write_text(
        json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    return path


@click.group("index")
def index() -> None:
    """Composite index engine (COINr-compatible): run pipelines on indicator tables."""


@index.command("run")
@click.option(
    "--framework",
    "framework_path",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Framework CSV (nengji format or COINr iMeta) or YAML (a list of nodes); "
    "not with a COIN Tool workbook.",
)
@click.option(
    "--data",
    "data_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Data CSV (nengji format or COINr iData; a Time column makes a panel), or a JRC "
    "COIN Tool input workbook (.xlsx/.xlsm, framework included).",
)
@click.option(
    "--pipeline",
    "pipeline_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Pipeline YAML/JSON: steps: [{step: normalise, method: minmax}, ...].",
)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output CSV of aggregate scores.",
)
@click.option("--ranks", is_flag=True, help="Write ranks instead of scores.")
@click.option(
    "--stage",
    default=None,
    help="Write this stage instead (raw, denominated, screened, imputed, treated, normalised, "
    "aggregated = indicators + aggregates).",
)
def run(
    framework_path: Path | None,
    data_path: Path,
    pipeline_path: Path,
    out_path: Path,
    ranks: bool,
    stage: str | None,
) -> None:
    """Run a pipeline and write aggregate scores (one column per aggregate code)."""
    from nengji.index import IndexInputError

    try:
        data = load_inputs(framework_path, data_path)
        pipeline = load_pipeline(pipeline_path)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            results = pipeline.run(data)
        for warning in caught:  # e.g. COINr-style infinities asked for: say so, keep going
            click.echo(f"warning: {warning.message}", err=True)
        if stage is not None:
            if stage not in results.stages:
                raise click.BadParameter(
                    f"no stage {stage!r}; this run has {list(results.stages)}",
                    param_hint="--stage",
                )
            table = results.stages[stage].reset_index()
        else:
            table = results.to_frame("ranks" if ranks else "scores")
        if data.time_col is not None:  # the period column is always called Time in the output
            table = table.rename(columns={data.time_col: "Time"})
    except IndexInputError as exc:
        raise click.ClickException(str(exc)) from exc
    out_path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_path, index=False)
    spec_file = write_provenance(
        out_path,
        spec=results.spec,
        inputs={
            **({"framework": framework_path} if framework_path is not None else {}),
            "data": data_path,
            "pipeline": pipeline_path,
        },
        command="nengji index run",
        output={"path": str(out_path), "what": stage or ("ranks" if ranks else "scores")},
    )
    click.echo(f"wrote {out_path} ({len(table)} rows) and {spec_file}")
