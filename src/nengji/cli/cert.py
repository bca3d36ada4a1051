"""`nengji cert`: list, export, verify and revoke signed certificates; publish the keys.

`nengji cert verify FILE --public-key KEYFILE` is the offline verifier: it reads only the
certificate file, the key file (and, if given, a signed revocation list) and never the
database, so it runs on any machine that has nengji installed and the issuer's public key.
Exit codes: 0 valid and not revoked; 1 not valid (altered, unknown key, revoked, superseded,
not a certificate); 2 bad usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from nengji.cli.django_setup import setup_django


@click.group()
def cert() -> None:
    """Signed certificates of registrations and transactions (一证通用)."""


def _exit_domain(exc: Any) -> None:
    for d in exc.detail:
        click.echo(f"{d.where()}: {d.message}", err=True)
    sys.exit(1)


@cert.command("list")
@click.option("--kind", default=None, help="achievement, right, transaction or contract")
@click.option("--revoked/--all", "revoked_only", default=False, help="only revoked ones")
def list_(kind: str | None, revoked_only: bool) -> None:
    """Print every certificate ID, one a line, newest first."""
    setup_django()
    from nengji.techrights.models import Certificate

    qs = Certificate.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if revoked_only:
        qs = qs.filter(revocation__isnull=False)
    for cid in qs.values_list("cert_id", flat=True).iterator():
        click.echo(cid)


def _certificate(cert_id: str) -> Any:
    from nengji.techrights.selectors import certificate_get

    found = certificate_get(cert_id=cert_id)
    if found is None:
        click.echo(f"no certificate {cert_id!r}", err=True)
        sys.exit(2)
    return found


@cert.command("export")
@click.argument("cert_id")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--pdf", is_flag=True, help="write the printable PDF (with its QR code) instead")
def export(cert_id: str, out: Path, pdf: bool) -> None:
    """Write certificate CERT_ID as its signed canonical JSON (or as a PDF)."""
    setup_django()
    from nengji.techrights.selectors import certificate_document
    from nengji.techrights.signing import document_bytes

    found = _certificate(cert_id)
    if pdf:
        from nengji.techrights.pdf import certificate_pdf

        out.write_bytes(certificate_pdf(found))
    else:
        out.write_bytes(document_bytes(certificate_document(found)))
    click.echo(str(out))


def _read(path: Path, what: str, limit: int) -> bytes:
    if not path.is_file():
        click.echo(f"{what}: {path} is not a file", err=True)
        sys.exit(2)
    if path.stat().st_size > limit:
        click.echo(f"{what}: {path} is larger than {limit} bytes: not a certificate", err=True)
        sys.exit(1)
    return path.read_bytes()


@cert.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--public-key",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="the issuer's key set or PEM public key (`nengji cert public-key` at the issuer); "
    "without it, this installation's own and trusted keys and its revocations are used",
)
@click.option(
    "--revocations",
    "revocations_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="the issuer's signed revocation list (/api/techrights/revocations)",
)
def verify(file: Path, key_file: Path | None, revocations_file: Path | None) -> None:
    """Verify a certificate file offline; exit 0 only if it is valid and not revoked."""
    from nengji.techrights.signing import (
        MAX_DOCUMENT_BYTES,
        CertificateFormatError,
        certificate_verify,
        keyset_parse,
        revocations_parse,
    )

    data = _read(file, "FILE", MAX_DOCUMENT_BYTES)
    revoked: dict[str, Any] = {}
    checked_revocations = False
    try:
        if key_file is not None:
            keys = keyset_parse(_read(key_file, "--public-key", MAX_DOCUMENT_BYTES))
        else:
            setup_django()
            from nengji.techrights import keys as keystore
            from nengji.techrights.selectors import revoked_map

            keys = keystore.own_keyset().merged(keystore.trusted_keysets())
            revoked = revoked_map()
            checked_revocations = True
        if revocations_file is not None:
            revoked.update(
                revocations_parse(_read(revocations_file, "--revocations", 16 << 20), keys=keys)
            )
            checked_revocations = True
    except CertificateFormatError as exc:
        click.echo(f"key or revocation file: {exc}", err=True)
        sys.exit(2)
    verdict = certificate_verify(data, keys=keys, revoked=revoked)
    label = verdict.certificate_id or str(file)
    click.echo(f"{label}: {verdict.status}: {verdict.message}")
    if verdict.ok and verdict.payload is not None:
        p = verdict.payload
        click.echo(f"  kind: {p.get('kind')}  issued: {p.get('issued_at')}  key: {verdict.key_id}")
        for party in p.get("parties", []):
            click.echo(f"  {party.get('role')}: {party.get('name')} ({party.get('code')})")
        for name, value in (p.get("amounts") or {}).items():
            click.echo(f"  {name}: {value}")
        if p.get("demo"):
            click.echo("  演示数据 / demo data")
        if not checked_revocations:
            click.echo(
                "  revocation: not checked (pass --revocations with the issuer's signed list)"
            )
    sys.exit(0 if verdict.ok else 1)


@cert.command("public-key")
@click.option("--pem", is_flag=True, help="only the current key, as a PEM public key")
def public_key(pem: bool) -> None:
    """Print the issuer's public key set: the current key (``current``) and retired ones."""
    setup_django()
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from nengji.techrights import keys as keystore
    from nengji.techrights.signing import key_id_of

    current = keystore.signing_key().public_key()
    if pem:
        click.echo(current.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode())
        return
    document = {**keystore.own_keyset().as_json(), "current": key_id_of(current)}
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@cert.command("rotate-key")
@click.option("--issuer", default=None, help="also (re)name the issuer")
def rotate_key(issuer: str | None) -> None:
    """Make a new signing key; earlier certificates keep verifying with the retired key."""
    setup_django()
    from nengji.techrights import keys as keystore

    click.echo(keystore.key_rotate(issuer=issuer))


@cert.command("issuer")
@click.option("--name", default=None, help="the issuer's name, as certificates show it")
@click.option("--verify-base", default=None, help="public address of this installation (QR codes)")
def issuer(name: str | None, verify_base: str | None) -> None:
    """Show or set the issuer's name and the address its QR codes point to."""
    setup_django()
    from nengji.techrights import keys as keystore

    if name is not None or verify_base is not None:
        try:
            keystore.issuer_set(name=name, verify_base=verify_base)
        except ValueError as exc:
            click.echo(f"--verify-base: {exc}", err=True)
            sys.exit(2)
    click.echo(f"{keystore.issuer_name()}\t{keystore.verify_base()}")


@cert.command("trust")
@click.argument("key_file", type=click.Path(dir_okay=False, path_type=Path))
def trust(key_file: Path) -> None:
    """Trust another issuer's key set: its certificates then verify here (一证通用)."""
    setup_django()
    from nengji.techrights import keys as keystore
    from nengji.techrights.signing import CertificateFormatError

    try:
        keys = keystore.keyset_trust(data=_read(key_file, "KEY_FILE", 64 * 1024))
    except (CertificateFormatError, ValueError) as exc:
        click.echo(f"KEY_FILE: {exc}", err=True)
        sys.exit(2)
    click.echo(f"trusted {keys.issuer or 'issuer'}: {', '.join(sorted(keys.keys))}")


@cert.command("revoke")
@click.argument("cert_id")
@click.option("--reason", required=True)
@click.option("--as", "username", required=True, help="the exchange or office user acting")
def revoke(cert_id: str, reason: str, username: str) -> None:
    """Revoke a certificate (recorded once, published in the signed revocation list)."""
    setup_django()
    from nengji.accounts.models import User
    from nengji.core.errors import DomainError
    from nengji.techrights.services import certificate_revoke

    user = User.objects.filter(username=username).first()
    if user is None:
        click.echo(f"no user {username!r}", err=True)
        sys.exit(2)
    try:
        certificate_revoke(certificate=_certificate(cert_id), reason=reason, by=user)
    except DomainError as exc:
        _exit_domain(exc)
    click.echo(f"{cert_id}: revoked")


@cert.command("revocations")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def revocations(out: Path) -> None:
    """Write the signed revocation list (for offline verifiers)."""
    setup_django()
    from nengji.techrights.services import revocation_list_signed
    from nengji.techrights.signing import document_bytes

    out.write_bytes(document_bytes(revocation_list_signed()))
    click.echo(str(out))
