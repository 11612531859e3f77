"""Releases for the verify tests: made by ``mtf-attest attest``, tampered with by hand.

``attest_release`` runs the real command (``main(["attest", ...])``) on a small server
tree, outside GitHub Actions (the job's own variables are cleared). The hand-made
pieces are what ``attest`` never produces: statements re-signed after an edit (an
insider or a compromised builder with the release key), statements about another
artifact, a statement with two subjects, and re-zipped bundles.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtf_action._cli import main
from mtf_action.attest.assets import claim_bytes
from mtf_action.attest.names import AssetNames, asset_names
from mtf_action.bundle.archive import write_archive
from mtf_action.bundle.hashes import read_hashes, write_hashes
from mtf_action.bundle.model import BundleEntry
from mtf_action.console import Reporter
from mtf_action.models.claim import Claim
from mtf_action.signing.canonical import canonical_json
from mtf_action.signing.dsse import sign_envelope
from mtf_action.signing.intoto import (
    INTOTO_PAYLOAD_TYPE,
    Statement,
    build_statement,
    parse_statement,
)
from mtf_action.signing.keybundle import dsse_bundle
from mtf_action.signing.keys import PrivateKey, key_fingerprint, key_hint, load_private_key
from mtf_action.signing.signers import KeySigner, Signer

EPOCH = 1_700_000_000
STEM = "acme-clock-{version}"
MANIFEST: dict[str, Any] = {
    "manifest_version": "0.3",
    "name": "acme-clock",
    "display_name": "Clock",
    "version": "1.0.0",
    "description": "Tells the time. Offline, pure computation.",
    "author": {"name": "Acme", "email": "dev@example.org"},
    "repository": {"type": "git", "url": "https://github.com/acme/clock"},
    "license": "Apache-2.0",
    "server": {
        "type": "python",
        "entry_point": "server/main.py",
        "mcp_config": {"command": "python", "args": ["${__dirname}/server/main.py"]},
    },
    "tools": [{"name": "now", "description": "The current UTC time."}],
    "_meta": {
        "org.mpaktrust": {
            "mtf_version": "0.1",
            "level": 1,
            "permissions": {
                "filesystem": "none",
                "network": "none",
                "environment": "none",
                "subprocess": "none",
                "native": "none",
            },
        }
    },
}
SERVER = b'''"""A tiny stdio server used in tests: answers every request with the UTC time."""

import json
import sys
from datetime import datetime, timezone


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        result = {"time": datetime.now(timezone.utc).isoformat()}
        sys.stdout.write(json.dumps({"id": request.get("id"), "result": result}) + "\\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
'''
# What a GitHub Actions job (or a developer's shell) may set and attest would read.
_AMBIENT = ("GITHUB_", "ACTIONS_", "RUNNER_", "MTF_IDENTITY_TOKEN", "SOURCE_DATE_EPOCH", "CI")


def write_source(root: Path, *, version: str = "1.0.0", level: int = 1) -> Path:
    manifest = json.loads(json.dumps(MANIFEST))
    manifest["version"] = version
    manifest["_meta"]["org.mpaktrust"]["level"] = level
    (root / "server").mkdir(parents=True, exist_ok=True)
    (root / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (root / "server" / "main.py").write_bytes(SERVER)
    return root


def quiet() -> Reporter:
    return Reporter(quiet=True, stream=io.StringIO(), out=io.StringIO())


@dataclass(frozen=True)
class ReleaseDir:
    """A directory holding one release's assets."""

    out: Path
    names: AssetNames
    sha256: str

    @property
    def bundle(self) -> Path:
        return self.out / self.names.bundle

    def path(self, asset: str) -> Path:
        return self.out / str(getattr(self.names, asset))


def copy_release(release: ReleaseDir, dest: Path) -> ReleaseDir:
    shutil.copytree(release.out, dest)
    return ReleaseDir(dest, release.names, release.sha256)


@contextmanager
def local_environment(**extra: str) -> Iterator[None]:
    """Run outside GitHub Actions, whatever runs the tests; ``extra`` variables set."""
    saved = dict(os.environ)
    try:
        for name in list(os.environ):
            if name.startswith(_AMBIENT):
                del os.environ[name]
        os.environ.update(extra)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def attest_release(
    source: Path, out: Path, *args: str | Path, expect: int = 0, **env: str
) -> ReleaseDir:
    """``mtf-attest attest SOURCE -o OUT --no-vendor ARGS`` (quiet); the release it wrote."""
    argv = ["attest", "-q", str(source), "-o", str(out), "--no-vendor"]
    argv += ["--source-date-epoch", str(EPOCH), *map(str, args)]
    with local_environment(**env):
        code = main(argv)
    assert code == expect, f"attest exited {code}"
    manifest = json.loads((source / "manifest.json").read_bytes())
    names = asset_names(STEM.format(version=manifest["version"]))
    sha256 = read_hashes(out / names.hashes).bundle.sha256
    return ReleaseDir(out, names, sha256)


@dataclass(frozen=True)
class KeyMaterial:
    """The release key made by ``mtf-attest keygen``: files, the private key, its signer."""

    private_file: Path
    public: Path
    key: PrivateKey
    signer: KeySigner


def make_key(directory: Path) -> KeyMaterial:
    assert main(["keygen", "-q", "-o", str(directory)]) == 0
    private = directory / "mtf-signing.key"
    key = load_private_key(private)
    return KeyMaterial(private, directory / "mtf-signing.pub", key, KeySigner(key))


# -- hand-made signatures and tampering ----------------------------------------------


def statement(name: str, sha256: str, predicate_type: str, predicate: dict[str, Any]) -> Statement:
    return build_statement(
        name=name, sha256=sha256, predicate_type=predicate_type, predicate=predicate
    )


def sign_to(signer: Signer, document: Statement, dest: Path) -> None:
    dest.write_bytes(signer.sign_statement(document))


def signed_payload(bundle_json: Path) -> dict[str, Any]:
    """The statement inside a DSSE Sigstore bundle file (not verified: for editing)."""
    envelope = json.loads(bundle_json.read_bytes())["dsseEnvelope"]
    payload: dict[str, Any] = json.loads(base64.b64decode(envelope["payload"]))
    return payload


def resign(signer: Signer, bundle_json: Path, edit: dict[str, Any]) -> None:
    """Re-sign the statement of ``bundle_json`` with ``edit`` merged into its predicate."""
    document = signed_payload(bundle_json)
    sign_to(
        signer,
        statement(
            document["subject"][0]["name"],
            document["subject"][0]["digest"]["sha256"],
            document["predicateType"],
            document["predicate"] | edit,
        ),
        bundle_json,
    )


def write_claim(release: ReleaseDir, signer: Signer, claim: Claim) -> bytes:
    """Write the claim (RFC 8785 bytes) and sign exactly those bytes."""
    data = claim_bytes(claim)
    release.path("claim").write_bytes(data)
    parsed = parse_statement(data)
    assert parsed.to_bytes() == data
    sign_to(signer, parsed, release.path("claim_signature"))
    return data


def sign_raw_statement(key: PrivateKey, document: dict[str, Any], dest: Path) -> None:
    """Sign any statement JSON (even one our ``Statement`` model refuses, e.g. two subjects)."""
    public = key.public_key()
    envelope = sign_envelope(
        key, INTOTO_PAYLOAD_TYPE, canonical_json(document), keyid=key_fingerprint(public)
    )
    dest.write_bytes(dsse_bundle(hint=key_hint(public), envelope=envelope))


def members(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}


def rezip(
    release: ReleaseDir,
    changes: dict[str, bytes | None],
    *,
    update_hashes: bool = True,
    update_sbom: bool = False,
) -> str:
    """Rewrite the bundle with members replaced, added (bytes) or removed (None).

    ``update_hashes`` rewrites ``hashes.json`` for the new archive and
    ``update_sbom`` the loose SBOM from the new ``sbom.cdx.json``, as an attacker
    who swaps the bundle would. Returns the new bundle sha256.
    """
    files = members(release.bundle)
    for name, data in changes.items():
        if data is None:
            files.pop(name)
        else:
            files[name] = data
    entries = [BundleEntry(arcname=n, data=d, size=len(d)) for n, d in sorted(files.items())]
    result = write_archive(entries, release.bundle, epoch=EPOCH)
    if update_hashes:
        write_hashes(result, release.path("hashes"))
    if update_sbom:
        release.path("sbom").write_bytes(files["sbom.cdx.json"])
    return result.sha256
