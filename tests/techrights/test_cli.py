"""`nengji cert`: list, export, verify (offline, on a second data directory with only the
public key), public-key, rotate-key, revoke, revocations."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nengji.cli import main
from nengji.core.roles import Role
from nengji.techrights.models import Certificate
from tests.conftest import subprocess_env
from tests.techrights import factories as f

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def offline(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m nengji` in a fresh data directory that has no key and no database rows."""
    other = tmp / "other-installation"
    other.mkdir(exist_ok=True)
    return subprocess.run(  # noqa: S603 - our own interpreter and CLI
        [sys.executable, "-m", "nengji", *args],
        env=subprocess_env(other),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_list_export_and_verify_offline_elsewhere(tmp_path: Path) -> None:
    a = f.achievement()
    cert = a.certificates.get()
    code, out = run("cert", "list")
    assert code == 0 and out.split() == [cert.cert_id]
    target = tmp_path / "cert.json"
    assert run("cert", "export", cert.cert_id, "--out", str(target))[0] == 0
    code, key_text = run("cert", "public-key")
    assert code == 0 and json.loads(key_text)["current"] == cert.key_id
    key = tmp_path / "issuer-keys.json"
    key.write_text(key_text, encoding="utf-8")

    ok = offline(tmp_path, "cert", "verify", str(target), "--public-key", str(key))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"{cert.cert_id}: valid" in ok.stdout
    assert "revocation: not checked" in ok.stdout

    # one byte of the file changed: refused, and said why
    raw = target.read_bytes()
    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(raw.replace(b'"100"', b'"900"', 1))
    bad = offline(tmp_path, "cert", "verify", str(tampered), "--public-key", str(key))
    assert bad.returncode == 1 and "bad_signature" in bad.stdout

    # the PEM form of the key works too
    pem = tmp_path / "issuer.pem"
    pem.write_text(run("cert", "public-key", "--pem")[1], encoding="utf-8")
    assert (
        offline(tmp_path, "cert", "verify", str(target), "--public-key", str(pem)).returncode == 0
    )


def test_a_wrong_key_and_a_hostile_file(tmp_path: Path) -> None:
    cert = f.achievement().certificates.get()
    target = tmp_path / "cert.json"
    run("cert", "export", cert.cert_id, "--out", str(target))
    # another installation's key
    other = offline(tmp_path, "cert", "public-key")
    assert other.returncode == 0, other.stderr
    wrong = tmp_path / "wrong.json"
    wrong.write_text(other.stdout, encoding="utf-8")
    res = offline(tmp_path, "cert", "verify", str(target), "--public-key", str(wrong))
    assert res.returncode == 1 and "unknown_key" in res.stdout
    huge = tmp_path / "huge.json"
    huge.write_bytes(b"{" * 200_000)
    res = offline(tmp_path, "cert", "verify", str(huge), "--public-key", str(wrong))
    assert res.returncode == 1


def test_rotation_keeps_old_certificates_valid_and_revocation_is_published(
    tmp_path: Path,
) -> None:
    old = f.achievement().certificates.get()
    code, new_kid = run("cert", "rotate-key")
    assert code == 0 and new_kid.strip() != old.key_id
    new = f.achievement().certificates.get()
    assert new.key_id == new_kid.strip()
    keys = tmp_path / "keys.json"
    keys.write_text(run("cert", "public-key")[1], encoding="utf-8")
    for cert in (old, new):
        out = tmp_path / f"{cert.cert_id}.json"
        run("cert", "export", cert.cert_id, "--out", str(out))
        assert run("cert", "verify", str(out))[0] == 0
        assert (
            offline(tmp_path, "cert", "verify", str(out), "--public-key", str(keys)).returncode == 0
        )

    revoker = f.user(Role.EXCHANGE)
    code, out = run("cert", "revoke", old.cert_id, "--reason", "登记错误", "--as", revoker.username)
    assert code == 0, out
    exported = tmp_path / f"{old.cert_id}.json"
    code, out = run("cert", "verify", str(exported))
    assert code == 1 and "revoked" in out
    rl = tmp_path / "revocations.json"
    assert run("cert", "revocations", "--out", str(rl))[0] == 0
    res = offline(
        tmp_path,
        "cert",
        "verify",
        str(exported),
        "--public-key",
        str(keys),
        "--revocations",
        str(rl),
    )
    assert res.returncode == 1 and "revoked" in res.stdout
    assert run("cert", "list", "--revoked")[1].split() == [old.cert_id]


def test_export_pdf_carries_the_qr_and_the_signed_document(tmp_path: Path) -> None:
    import pypdfium2

    cert = f.achievement().certificates.get()
    out = tmp_path / "cert.pdf"
    assert run("cert", "export", cert.cert_id, "--out", str(out), "--pdf")[0] == 0
    pdf = pypdfium2.PdfDocument(str(out))
    text = pdf[0].get_textpage().get_text_range()
    assert cert.cert_id in text
    assert Certificate.objects.count() == 1
