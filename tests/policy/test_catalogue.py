"""The catalogue reader: the bundled one is valid; each bad input is named by file, line,
item, clause and field, and `nengji policy validate` exits non-zero with it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nengji.plan.package import PackageInvalid
from nengji.plan.packages import package_path
from nengji.policy.catalogue import catalogue_read

BUNDLED = package_path("yangpu-2021")


def test_bundled_catalogue_is_valid_and_has_the_1_6_4_structure() -> None:
    cat = catalogue_read(BUNDLED)
    tiers = [g.tier for g in cat.groups]
    assert (tiers.count("catalogue"), tiers.count("main"), tiers.count("supporting")) == (1, 6, 4)
    assert cat.system_span is not None
    assert "1 个产业指导目录、6 大类主体政策和 4 个创新创业配套政策" in cat.system_span.quote
    # what is not from a real text is flagged
    assert all(g.is_demo for g in cat.groups if g.tier != "catalogue")
    for item in cat.items:
        doc = next(d for d in cat.documents if d.code == item.document)
        assert item.is_demo or not doc.is_demo
        for c in item.clauses:
            assert c.article, (item.code, c.code)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the bundled package (source.txt beside policy/) to break."""
    (tmp_path / "policy").mkdir()
    shutil.copy(BUNDLED / "source.txt", tmp_path / "source.txt")
    shutil.copy(BUNDLED / "policy" / "catalogue.yaml", tmp_path / "policy" / "catalogue.yaml")
    return tmp_path


def edit(root: Path, change) -> Path:  # type: ignore[no-untyped-def]
    path = root / "policy" / "catalogue.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def errors(path: Path) -> list[str]:
    with pytest.raises(PackageInvalid) as exc:
        catalogue_read(path)
    return [str(e) for e in exc.value.errors]


def item(data, code):  # type: ignore[no-untyped-def]
    return next(i for i in data["items"] if i["code"] == code)


def test_unknown_field_names_item_and_clause(copy: Path) -> None:
    path = edit(copy, lambda d: item(d, "YP-RD-SUBSIDY")["clauses"][1].update(fact="profit_margin"))
    [err] = errors(path)
    assert "items[YP-RD-SUBSIDY].clauses[RD-SHARE].fact" in err
    assert "unknown field 'profit_margin'" in err
    assert err.startswith("policy/catalogue.yaml:")


def test_malformed_threshold(copy: Path) -> None:
    path = edit(copy, lambda d: item(d, "YP-RD-SUBSIDY")["clauses"][2].update(value="五百万"))
    [err] = errors(path)
    assert "items[YP-RD-SUBSIDY].clauses[REVENUE].value" in err, err


def test_ratio_without_cap_where_the_policy_has_one(copy: Path) -> None:
    path = edit(copy, lambda d: item(d, "YP-AI-SCENE")["amount"].pop("cap"))
    [err] = errors(path)
    assert "items[YP-AI-SCENE].amount.cap" in err


def test_quote_not_in_the_document(copy: Path) -> None:
    def change(d):  # type: ignore[no-untyped-def]
        item(d, "YP-RENT")["clauses"][1]["quote"] = "成立不满5年"

    [err] = errors(edit(copy, change))
    assert "items[YP-RENT].clauses[AGE].quote" in err


def test_structure_span_checked_against_the_plan_text(copy: Path) -> None:
    path = edit(copy, lambda d: d["structure"]["source"].update(start=12755))
    [err] = errors(path)
    assert "structure.source" in err and "found at 12754" in err


def test_every_error_at_once(copy: Path) -> None:
    def change(d):  # type: ignore[no-untyped-def]
        item(d, "YP-RENT")["group"] = "M9"
        item(d, "YP-RD-SUBSIDY")["window"] = {"opens": "2026-09-01", "closes": "2026-01-01"}
        d["items"].append(dict(item(d, "YP-RENT")))
        d["documents"][0]["level"] = "province"

    errs = errors(edit(copy, change))
    text = "\n".join(errs)
    assert "items[YP-RENT].group: unknown group 'M9'" in text
    assert "items[YP-RD-SUBSIDY].window.opens" in text  # a string, not a date
    assert "items[YP-RENT]: duplicate code" in text
    assert "documents[CIT-LAW].level" in text


def test_not_yaml_not_utf8_and_too_large(tmp_path: Path) -> None:
    bad = tmp_path / "catalogue.yaml"
    bad.write_text("structure: [unclosed", encoding="utf-8")
    assert "YAML error" in errors(bad)[0]
    bad.write_bytes(b"\xff\xfe\x00")
    assert "not UTF-8" in errors(bad)[0]
    bad.write_bytes(b"#" * (5 * 1024 * 1024 + 1))
    assert "larger than" in errors(bad)[0]


def test_python_tags_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "catalogue.yaml"
    bad.write_text("structure: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    assert "YAML error" in errors(bad)[0]


def test_cli_validate(copy: Path) -> None:
    ok = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "nengji", "policy", "validate", str(BUNDLED)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "1+6+4 groups" in ok.stdout
    path = edit(copy, lambda d: item(d, "YP-RD-SUBSIDY")["clauses"][1].update(fact="profit_margin"))
    bad = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "nengji", "policy", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert "clauses[RD-SHARE].fact" in bad.stderr
