"""`nengji index uncertainty | sensitivity | analyse`: Monte Carlo, Sobol' and analysis tables.

``nengji index uncertainty --framework F --data D --pipeline P.yaml --uncertainty U.yaml
--runs N --seed S --out ranks.csv`` writes one row per unit: the unit code column (named as in
the input, e.g. ``uCode``), then ``nominal_rank, mean_rank, median_rank, q05_rank, q95_rank``.
``sensitivity`` writes the Sobol' indices (``input, S1, ST`` and bootstrap intervals);
``analyse`` writes statistics, correlation and Cronbach tables to a folder. Each output gets a
``<out>.spec.json`` with the pipeline, the uncertain inputs, the seed actually used and the
SHA-256 of every input, so the run can be repeated exactly.

Framework and data are read by the ``run`` command's helpers (nengji's formats or COINr's
iMeta/iData unchanged). The commands are attached to the ``index`` group by
:mod:`nengji.cli.index`.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from nengji.cli.index import load_inputs, load_pipeline, load_spec, write_provenance

if TYPE_CHECKING:  # numpy, pandas and the engine load inside the commands, not at start-up
    from nengji.index import IndexData

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def load_period(framework: Path, data: Path, period: str | None) -> IndexData:
    """Framework + data; for a panel, only the rows of ``period`` (compared as text)."""
    from nengji.index import read_data, read_framework, read_table
    from nengji.index.data import TIME_COLUMNS

    fw = read_framework(framework)
    frame = read_table(data)
    if period is not None:
        time_col = next((c for c in TIME_COLUMNS if c in frame.columns), None)
        if time_col is None:
            raise click.BadParameter("the data have no Time column", param_hint="--period")
        frame = frame[frame[time_col].astype(str) == str(period)]
        if frame.empty:
            raise click.BadParameter(f"no rows for period {period!r}", param_hint="--period")
    return read_data(frame, fw)


def resolve_seed(seed: int | None) -> int:
    """The seed to use: the one given, or a fresh one that is then recorded."""
    return secrets.randbits(63) if seed is None else seed


def common_options(func: Any) -> Any:
    """``--framework --data --pipeline --uncertainty --seed --target --period``."""
    options = [
        click.option("--framework", "framework_path", required=True, type=_FILE,
                     help="Framework CSV (nengji format or COINr iMeta)."),
        click.option("--data", "data_path", required=True, type=_FILE,
                     help="Data CSV (nengji format or COINr iData)."),
        click.option("--pipeline", "pipeline_path", required=True, type=_FILE,
                     help="Nominal pipeline YAML/JSON (must end with an aggregate step)."),
        click.option("--uncertainty", "uncertainty_path", required=True, type=_FILE,
                     help="Uncertain inputs YAML: inputs: [{name, param, values | noise+levels}]."),
        click.option("--seed", type=int, default=None,
                     help="Random seed (default: a fresh one, recorded in <out>.spec.json)."),
        click.option("--target", default=None, help="Aggregate to rank (default: the index)."),
        click.option("--period", default=None,
                     help="For a panel: the period to rank (the pipeline runs on all periods)."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


@click.command("uncertainty")
@common_options
@click.option("--runs", type=click.IntRange(min=1), default=500, show_default=True,
              help="Number of Monte Carlo runs.")  # fmt: skip
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output CSV: unit, nominal/mean/median/q05/q95 rank.")  # fmt: skip
@click.option("--scores", "scores_path", default=None,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Also write every run's scores (runs × units) to this CSV.")  # fmt: skip
def uncertainty(
    framework_path: Path,
    data_path: Path,
    pipeline_path: Path,
    uncertainty_path: Path,
    seed: int | None,
    target: str | None,
    period: str | None,
    runs: int,
    out_path: Path,
    scores_path: Path | None,
) -> None:
    """Monte Carlo uncertainty analysis of the ranks (COINr get_sensitivity, type UA)."""
    from nengji.index import IndexInputError
    from nengji.index.uncertainty import run_uncertainty

    seed = resolve_seed(seed)
    try:
        data = load_inputs(framework_path, data_path)
        pipeline = load_pipeline(pipeline_path)
        spec = load_spec(uncertainty_path)
        res = run_uncertainty(
            data, pipeline, spec, n_runs=runs, seed=seed, target=target, period=period,
            keep_scores=scores_path is not None,
        )  # fmt: skip
    except IndexInputError as exc:
        raise click.ClickException(str(exc)) from exc
    out_path.parent.mkdir(parents=True, exist_ok=True)
    table = res.to_frame()
    table.to_csv(out_path, index=False)
    if scores_path is not None:
        res.score_frame().rename_axis("run").to_csv(scores_path)
    prov = write_provenance(
        out_path,
        spec=pipeline.to_spec(),
        inputs={"framework": framework_path, "data": data_path, "pipeline": pipeline_path,
                "uncertainty": uncertainty_path},
        command="nengji index uncertainty",
        uncertainty=spec, runs=runs, seed=seed, target=res.target, period=period,
        failures=res.failures,
    )  # fmt: skip
    for failure in res.failures:
        click.echo(f"warning: {failure}", err=True)
    click.echo(f"wrote {out_path} ({len(table)} units, {runs} runs, seed {seed}) and {prov}")


@click.command("sensitivity")
@common_options
@click.option("--runs", "n", type=click.IntRange(min=2), default=100, show_default=True,
              help="Base sample N (the pipeline runs N·(k+2) times for k inputs).")  # fmt: skip
@click.option("--boot", type=click.IntRange(min=0), default=100, show_default=True,
              help="Bootstrap resamples for the confidence intervals.")  # fmt: skip
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output CSV: input, S1, ST and their 90 % intervals.")  # fmt: skip
@click.option("--ranks", "ranks_path", default=None,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the rank statistics of the 2N base runs.")  # fmt: skip
def sensitivity(
    framework_path: Path,
    data_path: Path,
    pipeline_path: Path,
    uncertainty_path: Path,
    seed: int | None,
    target: str | None,
    period: str | None,
    n: int,
    boot: int,
    out_path: Path,
    ranks_path: Path | None,
) -> None:
    """Sobol' first- and total-order indices of the mean absolute rank change per input."""
    from nengji.index import IndexInputError
    from nengji.index.sensitivity import run_sensitivity

    seed = resolve_seed(seed)
    try:
        data = load_inputs(framework_path, data_path)
        pipeline = load_pipeline(pipeline_path)
        spec = load_spec(uncertainty_path)
        res = run_sensitivity(
            data, pipeline, spec, n=n, seed=seed, n_boot=boot, target=target, period=period
        )
    except IndexInputError as exc:
        raise click.ClickException(str(exc)) from exc
    out_path.parent.mkdir(parents=True, exist_ok=True)
    res.to_frame().to_csv(out_path, index=False)
    if ranks_path is not None:
        res.uncertainty.to_frame().to_csv(ranks_path, index=False)
    prov = write_provenance(
        out_path,
        spec=pipeline.to_spec(),
        inputs={"framework": framework_path, "data": data_path, "pipeline": pipeline_path,
                "uncertainty": uncertainty_path},
        command="nengji index sensitivity",
        uncertainty=spec, base_runs=n, total_runs=len(res.output), seed=seed, boot=boot,
        target=res.uncertainty.target, period=period, failures=res.uncertainty.failures,
    )  # fmt: skip
    click.echo(f"wrote {out_path} ({len(res.output)} runs, seed {seed}) and {prov}")


ANALYSES = (
    "stats",
    "correlations",
    "cronbach",
    "availability",
    "trends",
    "remove-elements",
    "pca",
)


def analysis_table(what: str, results: Any, *, method: str, level: int, trend: str) -> Any:
    """One analysis of a pipeline's results as a table (see ``nengji index analyse``)."""
    import pandas as pd

    from nengji.index.analysis import (
        cronbach_by_group,
        data_availability,
        indicator_stats,
        level_correlations,
        pca,
        remove_elements,
        trends,
    )

    fw = results.framework
    last = "normalised" if "normalised" in results.stages else "raw"
    if what == "stats":
        return indicator_stats(results, stage="raw")
    if what == "correlations":
        return level_correlations(results, 1, method=method, stage=last)
    if what == "cronbach":
        table = cronbach_by_group(results, level=2, stage=last).to_frame()
        for lv in fw.levels[2:]:
            alpha = cronbach_by_group(results, level=lv, stage="aggregated").to_frame()
            table = table.combine_first(alpha)
        return table
    if what == "availability":
        return data_availability(results, stage="raw")
    if what == "trends":
        return trends(results, method=trend).set_index(results.data.unit_col)
    if what == "remove-elements":
        removed = remove_elements(results, level)
        return removed.mean_abs_rank_change.rename_axis("code").to_frame()
    rows = []  # pca: the first component of each group at ``level``
    by_group = pca(results, level=level, by_group=True, stage=last)
    assert isinstance(by_group, dict)  # by_group=True gives one result per group
    for group, res in by_group.items():
        for code, loading in res.loadings["PC1"].items():
            rows.append(
                {
                    "group": group,
                    "code": code,
                    "pc1_loading": loading,
                    "pc1_explained": res.explained["PC1"],
                    "n_used": res.n_used,
                }
            )
    return pd.DataFrame(rows).set_index("group")


@click.command("analyse")
@click.option("--framework", "framework_path", required=True, type=_FILE)
@click.option("--data", "data_path", required=True, type=_FILE)
@click.option("--pipeline", "pipeline_path", required=True, type=_FILE)
@click.option("--period", default=None, help="For a panel: the period to analyse (not trends).")
@click.option(
    "--what",
    "what",
    multiple=True,
    type=click.Choice(ANALYSES),
    help="Analyses to write, one CSV each named after it (repeat the option; default: stats, "
    "correlations, cronbach).",
)
@click.option("--method", type=click.Choice(["pearson", "spearman", "kendall"]), default="pearson")
@click.option("--level", type=click.IntRange(min=1), default=2, show_default=True,
              help="remove-elements: the level whose elements are removed in turn; pca: the "
              "children of each aggregate at this level (2 = indicators by pillar).")  # fmt: skip
@click.option("--trend", type=click.Choice(["cagr", "percent"]), default="cagr",
              show_default=True, help="trends: CAGR or percent change per period.")  # fmt: skip
@click.option("--out-dir", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path))  # fmt: skip
def analyse(
    framework_path: Path,
    data_path: Path,
    pipeline_path: Path,
    period: str | None,
    what: tuple[str, ...],
    method: str,
    level: int,
    trend: str,
    out_dir: Path,
) -> None:
    """Write one CSV per analysis (stats, correlations, cronbach, availability, trends,
    remove-elements, pca) to --out-dir."""
    from nengji.index import IndexInputError

    chosen = list(dict.fromkeys(what)) or ["stats", "correlations", "cronbach"]
    if "pca" in chosen and level < 2:
        raise click.BadParameter("pca analyses the groups of a level >= 2", param_hint="--level")
    try:
        results = load_pipeline(pipeline_path).run(load_period(framework_path, data_path, period))
        if "trends" in chosen and (period is not None or not results.data.is_panel):
            raise click.BadParameter(
                "trends need a panel (and no --period)", param_hint="--what trends"
            )
        tables = {
            name: analysis_table(
                name, results, method=method, level=level - 1 if name == "pca" else level,
                trend=trend,
            )
            for name in chosen
        }  # fmt: skip
    except IndexInputError as exc:
        raise click.ClickException(str(exc)) from exc
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(out_dir / f"{name}.csv")
    click.echo(f"wrote {', '.join(f'{n}.csv' for n in tables)} to {out_dir}")


#: The commands to attach to the ``nengji index`` group.
COMMANDS = (uncertainty, sensitivity, analyse)
