"""MTF AI-03 / 5.2.2: which long-lived keys are acceptable; loading, fingerprints, keygen."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from mtf_action._cli import main
from mtf_action.errors import ExitCode, InvalidInputError, UsageError
from mtf_action.signing.keygen import (
    PRIVATE_KEY_NAME,
    PUBLIC_KEY_NAME,
    KeyAlgorithm,
    write_key_pair,
)
from mtf_action.signing.keys import (
    PrivateKey,
    describe_key,
    key_fingerprint,
    key_hint,
    load_private_key,
    load_public_key,
    public_key_der,
)

ACCEPTED = ["ecdsa-p256", "ecdsa-p384", "ed25519", "rsa-4096"]


def _write_private(path: Path, key: PrivateKey, password: bytes | None = None) -> Path:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    return path


@pytest.mark.parametrize("name", ACCEPTED)
def test_ai03_accepted_keys_load(
    name: str, make_key: Callable[[str], PrivateKey], tmp_path: Path
) -> None:
    key = make_key(name)
    loaded = load_private_key(_write_private(tmp_path / "k.pem", key))
    assert public_key_der(loaded.public_key()) == public_key_der(key.public_key())
    pub = tmp_path / "k.pub"
    pub.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    assert key_fingerprint(load_public_key(pub)) == key_fingerprint(key.public_key())


@pytest.mark.parametrize(
    ("stem", "named"),
    [("rsa2048", "RSA-2048"), ("p521", "ECDSA P-521"), ("ed448", "Ed448")],
)
def test_ai03_unacceptable_keys_are_refused_naming_the_file(
    keys_dir: Path, stem: str, named: str
) -> None:
    expected = (
        f"{named} is not acceptable under MTF AI-03: use ECDSA P-256/P-384, Ed25519 or RSA >= 4096"
    )
    for path, load in (
        (keys_dir / f"{stem}.key", load_private_key),
        (keys_dir / f"{stem}.pub", load_public_key),
    ):
        with pytest.raises(InvalidInputError) as caught:
            load(path)
        assert str(caught.value) == f"{path}: {expected}"


def test_ai03_rsa2048_one_line_message(keys_dir: Path) -> None:
    with pytest.raises(InvalidInputError) as caught:
        load_private_key(keys_dir / "rsa2048.key")
    assert "RSA-2048 is not acceptable under MTF AI-03" in caught.value.one_line()
    assert "\n" not in caught.value.one_line()


def test_encrypted_key_with_password_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_key: Callable[[str], PrivateKey]
) -> None:
    key = make_key("ecdsa-p256")
    path = _write_private(tmp_path / "enc.pem", key, b"correct horse")
    monkeypatch.setenv("MTF_SIGNING_KEY_PASSWORD", "correct horse")
    loaded = load_private_key(path, password_env="MTF_SIGNING_KEY_PASSWORD")
    assert key_fingerprint(loaded.public_key()) == key_fingerprint(key.public_key())

    with pytest.raises(InvalidInputError, match="encrypted: name the environment variable"):
        load_private_key(path)
    monkeypatch.setenv("MTF_SIGNING_KEY_PASSWORD", "wrong")
    with pytest.raises(InvalidInputError, match="wrong password"):
        load_private_key(path, password_env="MTF_SIGNING_KEY_PASSWORD")
    monkeypatch.delenv("MTF_SIGNING_KEY_PASSWORD")
    with pytest.raises(UsageError, match=r"MTF_SIGNING_KEY_PASSWORD .* is not set"):
        load_private_key(path, password_env="MTF_SIGNING_KEY_PASSWORD")


def test_unreadable_or_non_key_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="cannot read key"):
        load_private_key(tmp_path / "missing.pem")
    (tmp_path / "junk.pem").write_text("not a key")
    with pytest.raises(InvalidInputError, match="not a PEM private key"):
        load_private_key(tmp_path / "junk.pem")
    with pytest.raises(InvalidInputError, match="not a PEM public key"):
        load_public_key(tmp_path / "junk.pem")


def test_fingerprint_and_hint_match_cosign_on_the_conformance_key(sigstore_data: Path) -> None:
    case = sigstore_data / "conformance" / "bundle-verify" / "managed-key-happy-path"
    key = load_public_key(case / "key.pub")
    hint = json.loads((case / "bundle.sigstore.json").read_bytes())["verificationMaterial"][
        "publicKey"
    ]["hint"]
    assert key_hint(key) == hint  # the hint cosign wrote
    digest = hashlib.sha256(public_key_der(key)).digest()
    assert key_fingerprint(key) == "sha256:" + digest.hex()
    assert base64.b64decode(hint) == digest
    assert describe_key(key) == "ECDSA P-256"


@pytest.mark.parametrize("algorithm", list(KeyAlgorithm))
def test_keygen_writes_a_usable_pair(tmp_path: Path, algorithm: KeyAlgorithm) -> None:
    files = write_key_pair(tmp_path / "keys", algorithm)
    assert stat.S_IMODE(files.private_key.stat().st_mode) == 0o600
    assert files.private_key.name == PRIVATE_KEY_NAME and files.public_key.name == PUBLIC_KEY_NAME
    private = load_private_key(files.private_key)
    assert (
        key_fingerprint(load_public_key(files.public_key))
        == key_fingerprint(private.public_key())
        == files.fingerprint
    )


def test_keygen_cli_encrypts_and_refuses_to_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KEYPASS", "s3cret-pass")
    out = tmp_path / "k"
    assert (
        main(
            [
                "keygen",
                "--output-dir",
                str(out),
                "--algorithm",
                "ed25519",
                "--password-env",
                "KEYPASS",
                "--json",
            ]
        )
        == 0
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary["encrypted"] is True and summary["algorithm"] == "ed25519"
    assert b"ENCRYPTED PRIVATE KEY" in (out / PRIVATE_KEY_NAME).read_bytes()
    key = load_private_key(out / PRIVATE_KEY_NAME, password_env="KEYPASS")
    assert key_fingerprint(key.public_key()) == summary["fingerprint"]

    before = (out / PRIVATE_KEY_NAME).read_bytes()
    assert main(["keygen", "--output-dir", str(out)]) == ExitCode.INVALID_INPUT
    assert "refusing to overwrite a key" in capsys.readouterr().err
    assert (out / PRIVATE_KEY_NAME).read_bytes() == before

    assert (
        main(["keygen", "--output-dir", str(tmp_path / "k2"), "--password-env", "UNSET_VAR_XYZ"])
        == ExitCode.USAGE
    )
    assert not (tmp_path / "k2").exists()
