"""A key-signed release made by ``mtf-attest attest``, put on the local GitHub, then
``download`` and ``verify --repository --tag`` through PyGithub; tampering is caught."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_github import FakeGitHub
from github_support import TOKEN

from mtf_action._cli import main
from mtf_action.console import Reporter
from mtf_action.github.client import GitHubClient
from mtf_action.github.releases import prepare_release, publish_release, repository, upload_assets

REPO = "acme/tiny"
TAG = "v1.0.0"
EPOCH = "1700000000"
MANIFEST = {
    "manifest_version": "0.4",
    "name": "acme-tiny",
    "version": "1.0.0",
    "description": "A tiny MCP server for the GitHub tests",
    "author": {"name": "Acme", "email": "dev@acme.example"},
    "server": {
        "type": "python",
        "entry_point": "server.py",
        "mcp_config": {"command": "python", "args": ["${__dirname}/server.py"]},
    },
    "tools": [{"name": "echo", "description": "Echo the input back"}],
}


@pytest.fixture(autouse=True)
def _outside_actions(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "GITHUB_ACTIONS",
        "GITHUB_REPOSITORY",
        "GITHUB_REF",
        "GITHUB_SHA",
        "GITHUB_WORKFLOW_REF",
        "GITHUB_API_URL",
        "SOURCE_DATE_EPOCH",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("MTF_TEST_TOKEN", TOKEN)


@pytest.fixture
def released(
    fake: FakeGitHub, client: GitHubClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Path:
    """attest --sign key on a tiny tree, every output uploaded to release v1.0.0."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "server.py").write_text("def echo(text: str) -> str:\n    return text\n")
    (tree / "manifest.json").write_text(json.dumps(MANIFEST, indent=2))
    keys = tmp_path / "keys"
    assert main(["keygen", "--output-dir", str(keys)]) == 0, capsys.readouterr().err
    out = tmp_path / "out"
    code = main(
        [
            "attest",
            str(tree),
            "-o",
            str(out),
            "--sign",
            "key",
            "--key",
            str(keys / "mtf-signing.key"),
            "--no-vendor",
            "--source-date-epoch",
            EPOCH,
        ]
    )
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    reporter = Reporter(quiet=True)
    release = prepare_release(client, repository(client, REPO), TAG, reporter=reporter)
    upload_assets(client, release, sorted(out.iterdir()), reporter=reporter)
    publish_release(client, release)
    return keys


def _public_key(keys: Path) -> Path:
    return keys / "mtf-signing.pub"


def _verify(fake: FakeGitHub, keys: Path, *extra: str) -> int:
    return main(
        [
            "verify",
            "--repository",
            REPO,
            "--tag",
            TAG,
            "--key",
            str(_public_key(keys)),
            "--api-url",
            fake.api_url,
            *extra,
        ]
    )


def test_verify_from_a_release_passes(
    fake: FakeGitHub, released: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _verify(fake, released, "--format", "json")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)
    assert result["verified"] is True and result["exit_code"] == 0
    assert result["bundle"].endswith("acme-tiny-1.0.0.mcpb")
    assert {c["name"] for c in result["checks"] if c["status"] == "pass"} >= {
        "bundle-digest",
        "provenance",
        "claim",
        "embedded-signature",
    }
    # Anonymous: no Authorization header on the downloads.
    downloads = [a for (m, p), a in zip(fake.seen, fake.authorizations, strict=True) if m == "GET"]
    assert downloads and not any(downloads[-8:])


@pytest.mark.parametrize(
    ("suffix", "failing"),
    [(".mcpb", "bundle-digest"), (".mtf-claim.json", "claim"), (".hashes.json", "bundle-digest")],
)
def test_verify_from_a_release_fails_after_tampering(
    fake: FakeGitHub,
    released: Path,
    capsys: pytest.CaptureFixture[str],
    suffix: str,
    failing: str,
) -> None:
    asset = next(a for a in fake.release(TAG).assets if a.name.endswith(suffix))
    data = bytearray(asset.data)
    data[len(data) // 2] ^= 0x01
    asset.data = bytes(data)  # the server's digest follows: a consistent tamper
    code = _verify(fake, released, "--format", "json")
    captured = capsys.readouterr()
    assert code in (1, 3), captured.err  # 3 when the tamper makes JSON unreadable
    result = json.loads(captured.out)
    assert result["verified"] is False
    failed = {c["name"] for c in result["checks"] if c["status"] == "fail"}
    assert failing in failed, result["checks"]


def test_download_checks_the_digest_the_api_lists(
    fake: FakeGitHub, released: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dl"
    code = main(
        [
            "download",
            "--repository",
            REPO,
            "--tag",
            TAG,
            "-o",
            str(out),
            "--api-url",
            fake.api_url,
            "--token-env",
            "MTF_TEST_TOKEN",
            "--json",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    listed = json.loads(captured.out)["assets"]
    assert len(listed) == 8 and all(a["digest_checked"] for a in listed)
    assert sorted(p.name for p in out.iterdir()) == sorted(a.name for a in fake.release(TAG).assets)
    assert f"token {TOKEN}" in fake.authorizations
    # Bytes changed on the wire but not the listed digest: refused, nothing left behind.
    asset = fake.release(TAG).assets[0]
    fake.expose_digest = True
    original = asset.data
    bad = tmp_path / "dl2"

    asset.data = original[:-1] + bytes([original[-1] ^ 1])
    digest_of_original = __import__("hashlib").sha256(original).hexdigest()
    fake.asset_json = _pin_digest(fake.asset_json, asset.id, digest_of_original)  # type: ignore[method-assign]
    code = main(
        ["download", "--repository", REPO, "--tag", TAG, "-o", str(bad), "--api-url", fake.api_url]
    )
    captured = capsys.readouterr()
    assert code == 4 and "differs from the API's sha256:" in captured.err
    assert not (bad / asset.name).exists() and not list(bad.glob("*.part"))


def _pin_digest(original, asset_id, sha256):  # type: ignore[no-untyped-def]
    def asset_json(release, asset):  # type: ignore[no-untyped-def]
        data = original(release, asset)
        if asset.id == asset_id:
            data["digest"] = "sha256:" + sha256
        return data

    return asset_json


def test_no_token_in_any_output_or_error(
    fake: FakeGitHub, released: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = [
        [
            "download",
            "--repository",
            REPO,
            "--tag",
            TAG,
            "-o",
            str(tmp_path / "a"),
            "--api-url",
            fake.api_url,
            "--token-env",
            "MTF_TEST_TOKEN",
            "--json",
            "--debug",
        ],
        [
            "download",
            "--repository",
            REPO,
            "--tag",
            "v9.9.9",
            "-o",
            str(tmp_path / "b"),
            "--api-url",
            fake.api_url,
            "--token-env",
            "MTF_TEST_TOKEN",
            "--debug",
        ],
    ]
    texts = []
    for argv in runs:
        main(argv)
        captured = capsys.readouterr()
        texts += [captured.out, captured.err]
    assert '"digest_checked": true' in texts[0] and "no release for tag v9.9.9" in texts[3]
    # The server now rejects our token: a 401 whose error must not echo it.
    fake.token = "another-token"
    main([*runs[0][:7], "--api-url", fake.api_url, "--token-env", "MTF_TEST_TOKEN"])
    captured = capsys.readouterr()
    texts += [captured.out, captured.err]
    assert any("401" in t or "Bad credentials" in t for t in texts)
    for text in texts:
        assert TOKEN not in text
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
