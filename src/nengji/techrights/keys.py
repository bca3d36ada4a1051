"""The issuer's signing keys, kept in the data directory (never in the repository or database).

``<data dir>/techrights/keys/`` holds one ``<key_id>.pem`` private key per key (mode 0600), and
``keyset.json``: the issuer's name, its keys' public halves, which one signs now (``current``)
and when each was retired. The first certificate creates the first key; `key_rotate` makes a new
current key and retires the old one, whose certificates keep verifying. Writers take a file lock,
so two processes issuing their first certificate at once create one key, not two.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)

from nengji.techrights.signing import KeySet, b64url, key_id_of, keyset_parse

DEFAULT_ISSUER = "nengji"
DEFAULT_VERIFY_BASE = "http://127.0.0.1:8000"


def key_dir(data_dir: Path | None = None) -> Path:
    if data_dir is None:
        from django.conf import settings

        data_dir = Path(settings.DATA_DIR)
    return Path(data_dir) / "techrights" / "keys"


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(directory / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _read_meta(directory: Path) -> dict[str, Any]:
    path = directory / "keyset.json"
    if not path.exists():
        return {}
    result: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return result


def _write_meta(directory: Path, meta: dict[str, Any]) -> None:
    tmp = directory / "keyset.json.tmp"
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
    os.replace(tmp, directory / "keyset.json")


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _new_key(directory: Path, meta: dict[str, Any]) -> str:
    private = Ed25519PrivateKey.generate()
    kid = key_id_of(private.public_key())
    path = directory / f"{kid}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    now = _now()
    for item in meta.setdefault("keys", []):
        if not item.get("retired"):
            item["retired"] = now
    meta["keys"].append(
        {"key_id": kid, "alg": "Ed25519", "public_key": b64url(raw), "created": now, "retired": ""}
    )
    meta["current"] = kid
    meta.setdefault("format", "nengji-keyset/1")
    meta.setdefault("issuer", DEFAULT_ISSUER)
    _write_meta(directory, meta)
    return kid


def signing_key(data_dir: Path | None = None) -> Ed25519PrivateKey:
    """The current private key, created on first use."""
    directory = key_dir(data_dir)
    meta = _read_meta(directory)
    if not meta.get("current"):
        with _locked(directory):
            meta = _read_meta(directory)
            if not meta.get("current"):
                _new_key(directory, meta)
                meta = _read_meta(directory)
    key = load_pem_private_key((directory / f"{meta['current']}.pem").read_bytes(), None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError("the current signing key is not an Ed25519 key")
    return key


def key_rotate(*, data_dir: Path | None = None, issuer: str | None = None) -> str:
    """Make a new current key (the old one is retired, still verifying); returns its key ID."""
    directory = key_dir(data_dir)
    with _locked(directory):
        meta = _read_meta(directory)
        if issuer:
            meta["issuer"] = issuer
        return _new_key(directory, meta)


def issuer_set(
    *, name: str | None = None, verify_base: str | None = None, data_dir: Path | None = None
) -> None:
    """Name the issuer (in the key set and every certificate) and the public address its QR
    codes point to (``https://host``; the page is ``/verify/<id>`` under it)."""
    directory = key_dir(data_dir)
    signing_key(data_dir)
    with _locked(directory):
        meta = _read_meta(directory)
        if name is not None:
            meta["issuer"] = name.strip()[:200] or DEFAULT_ISSUER
        if verify_base is not None:
            base = verify_base.strip().rstrip("/")
            if not base.startswith(("https://", "http://")) or len(base) > 200:
                raise ValueError("the verification address starts with https:// or http://")
            meta["verify_base"] = base
        _write_meta(directory, meta)


def verify_base(data_dir: Path | None = None) -> str:
    return str(_read_meta(key_dir(data_dir)).get("verify_base") or DEFAULT_VERIFY_BASE)


def issuer_name(data_dir: Path | None = None) -> str:
    return str(_read_meta(key_dir(data_dir)).get("issuer") or DEFAULT_ISSUER)


def own_keyset(data_dir: Path | None = None) -> KeySet:
    """This installation's published key set (current and retired keys), creating the first."""
    signing_key(data_dir)
    meta = _read_meta(key_dir(data_dir))
    public = {k: meta[k] for k in ("format", "issuer", "keys")}
    return keyset_parse(json.dumps(public).encode())


def trusted_dir(data_dir: Path | None = None) -> Path:
    return key_dir(data_dir).parent / "trusted"


def trusted_keysets(data_dir: Path | None = None) -> KeySet:
    """Our own keys plus every other issuer's key set this installation was told to trust."""
    combined = KeySet(issuer="", keys={})
    directory = trusted_dir(data_dir)
    if directory.is_dir():
        for path in sorted(directory.glob("*.json")):
            combined = combined.merged(keyset_parse(path.read_bytes()))
    return combined


def keyset_trust(*, data: bytes, data_dir: Path | None = None) -> KeySet:
    """Store another issuer's key set (validated first) so its certificates verify here."""
    keys = keyset_parse(data)
    if not keys.keys:
        raise ValueError("the key set has no keys")
    directory = trusted_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    name = sorted(keys.keys)[0]
    (directory / f"{name}.json").write_text(
        json.dumps(keys.as_json(), ensure_ascii=False, indent=2) + "\n", "utf-8"
    )
    return keys
