"""Specs: the YAML/JSON shape of issue 3 round-trips to pipelines and back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nengji.index import (
    Aggregate,
    GroupMeanImputer,
    MinMax,
    Pipeline,
    SpecError,
    Winsorise,
    ZScore,
    clone,
    pipeline_from_spec,
)
from nengji.index.coinr import example_coin_pipeline, example_purse_pipeline

ISSUE_SPEC = {
    "steps": [
        {"step": "impute", "method": "group_mean", "group": "EurAsia_group"},
        {"step": "treat", "method": "winsorise", "skew": 2, "kurtosis": 3.5, "max_points": 5},
        {"step": "normalise", "method": "minmax", "lower": 0, "upper": 100},
        {"step": "aggregate", "method": "arithmetic"},
    ]
}
PIPELINES = Path(__file__).resolve().parents[2] / "docs" / "index" / "pipelines"


def test_issue_shape_builds_the_right_steps():
    pipe = pipeline_from_spec(ISSUE_SPEC)
    assert [n for n, _ in pipe.steps] == ["impute", "treat", "normalise", "aggregate"]
    assert pipe.named_steps["impute"] == GroupMeanImputer(group="EurAsia_group")
    assert pipe.named_steps["treat"] == Winsorise(skew=2, kurtosis=3.5, max_points=5)
    assert pipe.named_steps["normalise"] == MinMax(lower=0, upper=100)
    assert pipe.named_steps["aggregate"] == Aggregate()


@pytest.mark.parametrize("pipe", [example_coin_pipeline(), example_purse_pipeline()])
def test_round_trip_through_json(pipe):
    spec = json.loads(json.dumps(pipe.to_spec()))
    again = pipeline_from_spec(spec)
    assert again.to_spec() == pipe.to_spec()
    assert [s for _, s in again.steps] == [s for _, s in pipe.steps]


def test_duplicate_kinds_get_numbered_names():
    spec = {
        "steps": [
            {"step": "impute", "method": "group_mean", "group": "g"},
            {"step": "impute", "method": "mean"},
        ]
    }
    pipe = pipeline_from_spec(spec)
    assert [n for n, _ in pipe.steps] == ["impute", "impute_2"]
    assert pipeline_from_spec(pipe.to_spec()).to_spec() == pipe.to_spec()


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        ({"steps": [{"step": "bake"}]}, "'bake'"),
        ({"steps": [{"step": "normalise", "method": "sigmoid"}]}, "'sigmoid'"),
        ({"steps": [{"step": "normalise"}]}, "needs a method"),
        ({"steps": [{"step": "normalise", "method": "minmax", "lowr": 0}]}, "'lowr'"),
        ({"step": []}, "'steps'"),
    ],
)
def test_bad_specs(spec, needle):
    with pytest.raises(SpecError, match=needle):
        pipeline_from_spec(spec)


def test_set_params_and_step_swap():
    pipe = pipeline_from_spec(ISSUE_SPEC)
    pipe.set_params(
        treat__max_points=2, normalise=ZScore(mean=10, sd=2), aggregate__method="geometric"
    )
    spec = pipe.to_spec()["steps"]
    assert spec[1]["max_points"] == 2
    assert spec[2] == {
        "step": "normalise",
        "method": "zscore",
        "mean": 10,
        "sd": 2,
        "pooled": False,
    }
    assert spec[3]["method"] == "geometric"
    with pytest.raises(SpecError, match="'nope'"):
        pipe.set_params(nope__x=1)
    twin = clone(pipe)
    assert isinstance(twin, Pipeline) and twin.to_spec() == pipe.to_spec()


def test_shipped_pipeline_files_parse():
    yaml = pytest.importorskip("yaml")
    files = sorted(PIPELINES.glob("*.yaml"))
    assert files
    for path in files:
        pipeline_from_spec(yaml.safe_load(path.read_text(encoding="utf-8")))
