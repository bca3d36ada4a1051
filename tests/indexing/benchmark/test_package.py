"""The benchmark part of a plan package: read, checked (errors name file and field), loaded
with the plan (regions, reporting bodies, assignments), refused as a whole when wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nengji.indexing.benchmark.package import read_benchmark
from nengji.plan.package import PackageInvalid, read_package
from nengji.plan.packages import package_path

YANGPU = package_path("yangpu-2021")


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    root = tmp_path / "yangpu-2021"
    shutil.copytree(YANGPU, root)
    return root


def errors_of(root: Path) -> list[str]:
    spec, errors = read_benchmark(read_package(root))
    assert spec is None if errors else spec is not None
    return [f"{e.file}: {e.field}: {e.message}" for e in errors]


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "benchmark" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_bundled_benchmark_reads():
    spec, errors = read_benchmark(read_package(YANGPU))
    assert errors == [] and spec is not None
    assert [b.code for b in spec.bases] == ["YANGPU", "WUJIN", "NANHU", "HEFEI_HTZ"]
    assert [b.division for b in spec.bases] == ["", "320412", "330402", "340171"]
    assert len(spec.indicators) == 12 and spec.code == "YRD_SHUANGCHUANG"
    assert spec.uncertainty == {
        "runs": 1000,
        "sobol": 256,
        "seed": 2021,
        "inputs": spec.uncertainty["inputs"],
    }
    assert "长三角双创示范基地双创指数" in spec.source_quote


def test_no_folder_no_benchmark(pkg):
    shutil.rmtree(pkg / "benchmark")
    assert read_benchmark(read_package(pkg)) == (None, [])


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        ("benchmark.yaml", 'division: "320412"', 'division: "32041"', "bases[1].division"),
        ("benchmark.yaml", 'division: "330402"', 'division: "320412"', "duplicate division"),
        ("benchmark.yaml", "code: NANHU", "code: WUJIN", "duplicate base WUJIN"),
        ("benchmark.yaml", "code: NANHU", "code: nanhu", "bases[2].code"),
        ("benchmark.yaml", "    own: true\n", "", "exactly one base"),
        ("benchmark.yaml", "first_year: 2021", "first_year: 1999", "first_year"),
        ("benchmark.yaml", "start: 3068", "start: 3069", "quote does not match"),
        ("benchmark.yaml", "name_zh: 常州武进", "colour: red\n    name_zh: 常州武进", "colour"),
        ("framework.csv", "TECH_SMES,", "NO_SUCH_INDICATOR,", "NO_SUCH_INDICATOR"),
        ("pipeline.yaml", "method: minmax", "method: nosuch", "invalid pipeline"),
        ("uncertainty.yaml", "runs: 1000", "runs: 1000000", "runs"),
        ("uncertainty.yaml", "runs: 1000", "runs: -3", "runs"),
        ("uncertainty.yaml", "sobol: 256", "sobol: 99999", "sobol"),
        ("uncertainty.yaml", "seed: 2021", "seed: abc", "seed"),
        ("uncertainty.yaml", "levels: [1, 2]", "levels: [7]", "cannot run"),
        ("uncertainty.yaml", "param: normalise", "param: nosuchstep", "inputs"),
    ],
)
def test_errors_name_file_and_field(pkg, name, old, new, expected):
    edit(pkg, name, old, new)
    errors = errors_of(pkg)
    assert any(expected in e for e in errors), errors
    assert all(e.startswith("benchmark/") for e in errors)


def test_too_few_bases(pkg):
    text = (pkg / "benchmark" / "benchmark.yaml").read_text(encoding="utf-8")
    cut = text.index("  - code: NANHU")
    (pkg / "benchmark" / "benchmark.yaml").write_text(text[:cut], encoding="utf-8")
    assert any("at least 3 bases" in e for e in errors_of(pkg))


def test_hostile_files_are_refused_not_crashed(pkg):
    (pkg / "benchmark" / "uncertainty.yaml").write_text("!!python/object:os.system ls", "utf-8")
    assert any("uncertainty.yaml" in e for e in errors_of(pkg))
    (pkg / "benchmark" / "pipeline.yaml").write_text("x" * 300_000, "utf-8")
    assert any("too large" in e for e in errors_of(pkg))
    (pkg / "benchmark" / "benchmark.yaml").write_bytes(b"\xff\xfe\x00bad")
    assert any("UTF-8" in e for e in errors_of(pkg))


@pytest.mark.django_db
def test_plan_load_refuses_a_wrong_benchmark_and_writes_nothing(pkg):
    from nengji.indexing.models import Benchmark
    from nengji.plan.loader import plan_load
    from nengji.plan.models import Plan

    edit(pkg, "benchmark.yaml", 'division: "330402"', "")
    (pkg / "plan.yaml").write_text(
        (pkg / "plan.yaml")
        .read_text(encoding="utf-8")
        .replace("code: yangpu-2021", "code: yangpu-copy"),
        encoding="utf-8",
    )
    with pytest.raises(PackageInvalid) as exc:
        plan_load(package=read_package(pkg))
    assert "benchmark/benchmark.yaml" in str(exc.value)
    assert not Plan.objects.filter(code="yangpu-copy").exists()
    assert Benchmark.objects.filter(plan__code="yangpu-copy").count() == 0


@pytest.mark.django_db
def test_the_loaded_plan_has_its_bases_bodies_and_assignments(plan):
    from nengji.core.roles import OrgKind
    from nengji.indexing.models import Benchmark
    from nengji.monitoring.models import Assignment
    from nengji.plan.models import PARTNER_BASE

    b = Benchmark.objects.get(plan=plan)
    bases = list(b.bases.order_by("order"))
    assert [x.code for x in bases] == ["YANGPU", "WUJIN", "NANHU", "HEFEI_HTZ"]
    assert bases[0].own and bases[0].organisation == plan.district and bases[0].reporter is None
    for base in bases[1:]:
        assert base.organisation.kind == OrgKind.REGION and base.organisation.parent is None
        assert base.reporter is not None and base.reporter.kind == PARTNER_BASE
        assert base.reporter.district == base.organisation
        codes = set(
            Assignment.every_unit.filter(plan=plan, unit=base.organisation).values_list(
                "indicator__code", flat=True
            )
        )
        assert len(codes) == 12
    assert [x.organisation.code for x in bases[1:]] == ["320412", "330402", "340171"]


@pytest.mark.django_db
def test_reloading_the_plan_changes_nothing(plan):
    from nengji.core.models import AuditEntry
    from nengji.monitoring.models import Assignment
    from nengji.plan.loader import plan_load

    before = (Assignment.every_unit.count(), AuditEntry.objects.count())
    plan_load(package=read_package(YANGPU))
    assert (Assignment.every_unit.count(), AuditEntry.objects.count()) == before
