"""The Chinese catalogues are complete, cover every string the code marks for translation, and
their compiled .mo files match the .po files.

There is one site-wide catalogue (web/locale) and one per app that keeps its own
(<app>/locale); `cd src/nengji && nengji manage makemessages -l zh_Hans --no-location
--no-obsolete` files each string into its app's catalogue (see docs/architecture.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import ROOT

SRC = ROOT / "src" / "nengji"
CATALOGUES = sorted(SRC.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


def test_there_is_a_site_catalogue():
    assert SRC / "web" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_message_is_translated(po_path: Path):
    po = polib.pofile(str(po_path))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()]


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_compiled_catalogue_is_current(po_path: Path):
    po = {e.msgid: (e.msgstr or e.msgstr_plural.get(0)) for e in polib.pofile(str(po_path))}
    mo = {
        e.msgid: (e.msgstr or e.msgstr_plural.get(0))
        for e in polib.mofile(str(po_path)[:-3] + ".mo")
    }
    mo.pop("", None)
    assert po == mo, "recompile: cd src/nengji && nengji manage compilemessages"


def test_every_marked_string_is_in_a_catalogue(tmp_path):
    """makemessages on a copy of the sources adds no message the catalogues lack."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path / "src" / "nengji"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"))
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path / "src"),
        "DJANGO_SETTINGS_MODULE": "nengji.web.settings",
        "NENGJI_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": "",
    }
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    missing = {}
    for po_path in sorted(copy.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")):
        po = polib.pofile(str(po_path))
        new = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
        if new:
            missing[po_path.parts[-5]] = new
    assert not missing, f"run makemessages and translate: {missing}"


def test_translation_functions_keep_names_makemessages_knows():
    """`gettext_lazy as _l` hides strings from makemessages (they were never translated)."""
    import re

    alias = re.compile(r"import (?:gettext|gettext_lazy|ngettext|pgettext)\w* as (?!_\b)\w+")
    found = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in SRC.rglob("*.py")
        for m in alias.finditer(p.read_text(encoding="utf-8"))
    ]
    assert not found, found
