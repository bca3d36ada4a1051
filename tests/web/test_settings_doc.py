"""Every deployment setting is documented (docs/settings.md is generated from the declaration)."""

from __future__ import annotations

from nengji.web.env import SETTINGS, settings_markdown
from tests.conftest import ROOT


def test_settings_doc_is_current():
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert doc == settings_markdown(), "run: nengji settings-doc > docs/settings.md"


def test_settings_module_reads_only_declared_names():
    source = (ROOT / "src" / "nengji" / "web" / "settings.py").read_text(encoding="utf-8")
    for name in ("NENGJI_DEBUG", "NENGJI_ALLOWED_HOSTS", "NENGJI_LANGUAGE", "DATABASE_URL"):
        assert name in source
        assert name in {s.name for s in SETTINGS}
