"""`nengji round …` from a clean shell against a fresh SQLite data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import nengji


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("rounds")
    nengji("init", "--demo", data_dir=d)
    return d


def test_round_open_list_publish(data_dir):
    out = nengji(
        "round",
        "open",
        "--year",
        "2021",
        "--deadline",
        "2022-03-31",
        "--as",
        "office",
        data_dir=data_dir,
    ).stdout
    assert out.startswith("opened round 2021")
    assert "2021" in nengji("round", "list", data_dir=data_dir).stdout
    again = nengji(
        "round",
        "open",
        "--year",
        "2021",
        "--deadline",
        "2022-03-31",
        "--as",
        "office",
        data_dir=data_dir,
        check=False,
    )
    assert again.returncode == 1 and "已存在" in again.stderr
    assert (
        "published"
        in nengji("round", "publish", "--year", "2021", "--as", "office", data_dir=data_dir).stdout
    )


def test_only_office_users_act(data_dir):
    r = nengji(
        "round",
        "open",
        "--year",
        "2022",
        "--deadline",
        "2023-03-31",
        "--as",
        "reporter_stc",
        data_dir=data_dir,
        check=False,
    )
    assert r.returncode == 2 and "not a plan-office user" in r.stderr


def test_round_demo(tmp_path):
    nengji("init", "--demo", data_dir=tmp_path)
    assert "created" in nengji("round", "demo", data_dir=tmp_path).stdout
    assert "already" in nengji("round", "demo", data_dir=tmp_path).stdout
    listing = nengji("round", "list", data_dir=tmp_path).stdout
    assert "2024" in listing and "[demo]" in listing
