"""`nengji registry import|export|assess` from a clean shell against a fresh SQLite database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import nengji


def _code(n: int) -> str:
    from stdnum.cn import uscc

    first17 = f"91310110MA{n:07d}"
    return first17 + uscc.calc_check_digit(first17)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("registry")
    nengji("init", data_dir=d)
    return d


def test_import_export_assess(data_dir, tmp_path):
    code = _code(4242)
    lines = [
        "uscc,name_zh,founded_on,year,employees,st_staff,revenue,rd_domestic,rd_foreign,high_tech_revenue,ip_invention_patents,ip_other_class1,ip_utility_models,ip_designs,ip_software"
    ]
    for year in (2021, 2022, 2023):
        lines.append(
            f"{code},命令行测试科技有限公司,2016-04-01,{year},80,12,3000,90,0,2100,1,0,0,0,0"
        )
    f = tmp_path / "e.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = nengji("registry", "import", str(f), data_dir=data_dir).stdout
    assert "3 figure vintages" in out and "1 new" in out

    exported = json.loads(
        nengji("registry", "export", "--format", "json", data_dir=data_dir).stdout
    )
    assert next(r for r in exported if r["uscc"] == code)["stage"] == "startup"
    csv_out = nengji("registry", "export", "--format", "csv", data_dir=data_dir).stdout
    assert csv_out.splitlines()[0].startswith("uscc,name,stage,designations")

    result = json.loads(
        nengji(
            "registry",
            "assess",
            code,
            "--stage",
            "high_tech",
            "--format",
            "json",
            data_dir=data_dir,
        ).stdout
    )
    clauses = {c["id"]: c for c in result["clauses"]}
    assert result["status"] == "fail"
    assert (
        clauses["hte-rd-intensity"]["status"] == "fail"
        and clauses["hte-rd-intensity"]["value"] == "3"
    )
    assert clauses["hte-st-staff"]["status"] == "pass"
    assert clauses["hte-rd-intensity"]["source"].startswith("《高新技术企业认定管理办法》")


def test_bad_file_exits_1_with_row_and_field(data_dir, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("uscc,name_zh\n91310110MA1234567X,坏\n", encoding="utf-8")
    r = nengji("registry", "import", str(f), data_dir=data_dir, check=False)
    assert r.returncode == 1 and "row 2" in r.stderr and "uscc" in r.stderr


def test_unknown_enterprise_or_stage_exits_2(data_dir):
    r = nengji(
        "registry", "assess", _code(1), "--stage", "high_tech", data_dir=data_dir, check=False
    )
    assert r.returncode == 2
