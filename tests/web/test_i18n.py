"""The Chinese catalogue is complete and its compiled .mo matches the .po."""

from __future__ import annotations

import polib

from tests.conftest import ROOT

PO = ROOT / "src" / "nengji" / "web" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated():
    po = polib.pofile(str(PO))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()]


def test_compiled_catalogue_is_current():
    po = {e.msgid: (e.msgstr or e.msgstr_plural.get(0)) for e in polib.pofile(str(PO))}
    mo = {e.msgid: (e.msgstr or e.msgstr_plural.get(0)) for e in polib.mofile(str(PO)[:-3] + ".mo")}
    mo.pop("", None)
    assert po == mo, "recompile: nengji manage compilemessages"
