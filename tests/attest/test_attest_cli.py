"""attest's command line: the signing-mode default, option conflicts and error exit codes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from attest_support import Run

from mtf_action.signing.keygen import KeyPairFiles


def test_no_mode_outside_actions_asks_for_an_explicit_choice(
    tiny: Path, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("attest", tiny, "-o", tmp_path / "out")
    assert result.code == 2
    assert "choose a signing mode" in result.err and "--sign none" in result.err
    assert not (tmp_path / "out").exists()


def test_key_without_sign_is_key_mode(
    tiny: Path, tmp_path: Path, key_pair: KeyPairFiles, run_cli: Callable[..., Run]
) -> None:
    result = run_cli(
        "attest",
        tiny,
        "-o",
        tmp_path / "out",
        "--key",
        key_pair.private_key,
        "--no-vendor",
        "--json",
    )
    assert result.code == 0, result.err
    assert result.summary["signing_mode"] == "key"


def test_in_actions_the_default_is_keyless(
    tiny: Path,
    tmp_path: Path,
    key_pair: KeyPairFiles,
    run_cli: Callable[..., Run],
    github_env: dict[str, str],
) -> None:
    result = run_cli("attest", tiny, "-o", tmp_path / "out", "--key", key_pair.private_key)
    assert result.code == 2 and "add --sign key" in result.err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--sign", "key"], "--sign key needs --key"),
        (["--sign", "none", "--key", "k.pem"], "--key is only used with --sign key"),
        (["--sign", "key", "--key", "k.pem", "--staging"], "--staging only apply"),
        (["--sign", "none", "--identity-token", "x"], "--identity-token only apply"),
        (["--sign", "none", "--password-env", "P"], "--password-env is only used"),
        (
            [
                "--sign",
                "sigstore",
                "--staging",
                "--trust-config",
                "t.json",
                "--identity-token",
                "x",
            ],
            "mutually exclusive",
        ),
        (["--sign", "magic"], "invalid choice"),
    ],
)
def test_conflicting_options_are_usage_errors(
    tiny: Path, tmp_path: Path, run_cli: Callable[..., Run], argv: list[str], needle: str
) -> None:
    result = run_cli("attest", tiny, "-o", tmp_path / "out", *argv)
    assert result.code == 2, result.err
    assert needle in result.err


def test_unreadable_inputs_are_exit_3(
    tiny: Path, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    missing_key = run_cli("attest", tiny, "-o", tmp_path / "a", "--key", tmp_path / "none.pem")
    assert missing_key.code == 3 and "none.pem" in missing_key.err
    not_a_tree = run_cli("attest", tmp_path / "nowhere", "-o", tmp_path / "b", "--sign", "none")
    assert not_a_tree.code == 3 and "not a directory" in not_a_tree.err
    bad_config = tmp_path / "trust.json"
    bad_config.write_text("{}")
    result = run_cli(
        "attest",
        tiny,
        "-o",
        tmp_path / "c",
        "--sign",
        "sigstore",
        "--trust-config",
        bad_config,
        "--identity-token",
        "x.y.z",
    )
    assert result.code == 3 and "trust config" in result.err


def test_encrypted_key_needs_its_password_variable(
    tiny: Path, tmp_path: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mtf_action.signing.keygen import write_key_pair

    pair = write_key_pair(tmp_path / "enc", password=b"correct horse")
    asked = run_cli("attest", tiny, "-o", tmp_path / "a", "--key", pair.private_key)
    assert asked.code == 3 and "--password-env" in asked.err
    monkeypatch.setenv("KEY_PASSWORD", "correct horse")
    result = run_cli(
        "attest",
        tiny,
        "-o",
        tmp_path / "b",
        "--key",
        pair.private_key,
        "--password-env",
        "KEY_PASSWORD",
        "--no-vendor",
        "--json",
    )
    assert result.code == 0, result.err
    assert result.summary["signer_identity"] == pair.fingerprint
