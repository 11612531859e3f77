"""The whole release flow on the example servers, end to end (issue 5, "How it is checked").

For ``examples/servers/python-units`` and ``node-notes``, whose manifests claim MTF L2:
a ``release: published`` event -> the action in release mode (``sign: key``) -> every
asset on the release of the local GitHub (tests/github/fake_github.py) -> ``mtf-attest
verify --repository --tag --key --api-url`` against the same server passes, at a
verified level of at least the claimed one -> each asset kind tampered with on the
server in turn: verify fails, naming the check.

The OSV API is out of reach here, so SC-02 (an L2 control) would report ``error`` and
cap the level at L1, below the claim: the VSA would say FAILED and verify would fail.
The ``vuln-db`` input points every scan at offline OSV databases instead: the shared
PyPI advisories (../shared/data/osv, the newer of its two copies, see its SOURCES.md)
and the npm records of tests/data/osv-npm (one is an express advisory: the node
example's express is really looked up, and is outside the affected range).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from action_support import RELEASE_PUBLISHED, REPO, ActionRun, run_action

from mtf_action._cli import main as cli
from mtf_action.signing.keygen import KeyPairFiles, write_key_pair

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "github"))
from fake_github import FakeGitHub, Release

pytestmark = pytest.mark.slow
TAG = "v1.0.0"
TOKEN = "ghs_Examp1eReleaseT0ken0123456789abcdefQR"
CLAIMED = 2  # both examples' manifests claim L2
# What the scan of the sealed bundle verifies: L2, and the key-signed AI-03 (inside the
# bundle) and PR-03 (provenance) controls, the L3 ones a scanner can check, lift it to L3.
VERIFIED = 3
NPM_DB = Path(__file__).resolve().parents[1] / "data" / "osv-npm"
VULN_DB = "osv/pypi\nosv/npm"  # workspace-relative, one per line: the input's format

# Each asset kind of a release, the verify check that must fail when one bit of it is
# flipped, and the cause that check gives.
TAMPERED = [
    (".mcpb", "bundle-digest", "bundle-sha256"),
    (".sbom.cdx.json", "bundle-digest", "sbom"),
    (".hashes.json", "bundle-digest", "members"),
    (".mcpb.provenance.sigstore.json", "provenance", "signature"),
    (".mcpb.mtf-claim.json", "claim", "claim-bytes"),
    (".mcpb.mtf-claim.sigstore.json", "claim", "signature"),
    (".mcpb.sbom.sigstore.json", "sbom-attestation", "signature"),
    (".mcpb.vsa.sigstore.json", "vsa", "signature"),
]
# Another bundle is no longer the subject of any signed statement either.
ABOUT_THE_BUNDLE = {"provenance", "claim", "sbom-attestation", "vsa"}


@dataclass
class Released:
    example: str
    fake: FakeGitHub
    run: ActionRun
    workspace: Path
    keys: KeyPairFiles

    @property
    def release(self) -> Release:
        return self.fake.release(TAG)

    def verify(
        self, capsys: pytest.CaptureFixture[str], *extra: str
    ) -> tuple[int, dict[str, object]]:
        """``mtf-attest verify --repository REPO --tag TAG`` from the release, as JSON."""
        capsys.readouterr()
        code = cli(["verify", "--repository", REPO, "--tag", TAG, "--key", str(self.keys.public_key),
                    "--api-url", self.fake.api_url, "--format", "json", *extra])  # fmt: skip
        return code, json.loads(capsys.readouterr().out)


@pytest.fixture(autouse=True)
def _unpaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-process ``verify`` without PyGithub's pause between requests (0.25 s, kept
    for GitHub's sake), which would be most of these tests' time against a local server."""
    from mtf_action._commands import download

    settings = download.github_settings
    monkeypatch.setattr(
        download,
        "github_settings",
        lambda args: dataclasses.replace(settings(args), seconds_between_requests=0),
    )


def _workspace(root: Path, tree: Path, shared_dir: Path) -> Path:
    workspace = root / "workspace"
    shutil.copytree(tree, workspace / "server")
    # The newer of the two PYSEC copies (both hold the same records up to 2024).
    pypi = shared_dir / "data" / "osv" / "pypa-advisory-database-westonsteimel-fork"
    if not pypi.is_dir():
        pytest.fail(f"shared OSV data missing at {pypi}", pytrace=False)
    shutil.copytree(pypi, workspace / "osv" / "pypi")
    shutil.copytree(NPM_DB, workspace / "osv" / "npm")
    return workspace


@pytest.fixture(scope="module", params=["python", "node"])
def released(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shared_dir: Path
) -> Iterator[Released]:
    """The example released by the action on a ``release: published`` event."""
    example: str = request.param
    tree: Path = request.getfixturevalue(f"{example}_example_tree")
    root = tmp_path_factory.mktemp(f"{example}-release")
    workspace = _workspace(root, tree, shared_dir)
    keys = write_key_pair(root / "keys")
    fake = FakeGitHub(token=TOKEN)
    fake.add_release(REPO, TAG)  # published by a maintainer: the event that starts the job
    inputs = {
        "directory": "server",
        "sign": "key",
        "signing-key": Path(keys.private_key).read_text(),
        "vendor": "false",  # the trees hold their dependencies already
        "vuln-db": VULN_DB,
        "github-token": TOKEN,
        "min-level": str(CLAIMED),
    }
    run = run_action(workspace, root / "runner", "release", RELEASE_PUBLISHED, inputs,
                     extra_env={"GITHUB_API_URL": fake.api_url})  # fmt: skip
    yield Released(example, fake, run, workspace, keys)
    fake.close()


def _check(result: dict[str, object], name: str) -> dict[str, object]:
    checks = result["checks"]
    assert isinstance(checks, list)
    return next(c for c in checks if c["name"] == name)


def test_release_event_puts_every_asset_on_the_release_at_the_claimed_level(
    released: Released,
) -> None:
    run = released.run
    assert run.code == 0, run.stdout + run.stderr
    assert run.outputs["mode"] == "release"
    assert run.outputs["level"] == str(VERIFIED)
    assert run.outputs["uploaded"] == "true"
    dist = released.workspace / "dist"
    on_release = sorted(a.name for a in released.release.assets)
    assert on_release == sorted(p.name for p in dist.iterdir())
    assert len(on_release) == len(TAMPERED)  # one asset of each kind
    claim = json.loads((released.workspace / run.outputs["claim-path"]).read_bytes())
    level = claim["predicate"]["level"]
    assert level["claimed"] == CLAIMED and level["verified"] == VERIFIED
    # SC-02 answered from the offline databases (the scan report in the step summary).
    sc02 = next(line for line in run.summary.splitlines() if "SC-02" in line)
    assert "pass" in sc02.lower(), sc02


def test_verify_from_the_release_passes_at_the_claimed_level(
    released: Released, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result = released.verify(capsys, "--min-level", str(VERIFIED))
    assert code == 0, result
    assert result["verified"] is True and result["level"] == VERIFIED
    checks = result["checks"]
    assert isinstance(checks, list)
    assert {c["name"]: c["status"] for c in checks} == {
        "bundle-digest": "pass",
        "provenance": "pass",
        "claim": "pass",
        "sbom-attestation": "pass",
        "vsa": "pass",
        "embedded-signature": "pass",
        "rescan": "skip",
        "min-level": "pass",
    }
    assert result["bundle_sha256"] == released.run.outputs["bundle-sha256"]


def test_rescan_reaches_the_claimed_level_only_with_the_offline_database(
    released: Released, capsys: pytest.CaptureFixture[str]
) -> None:
    db = [f"--vuln-db={released.workspace / 'osv' / name}" for name in ("pypi", "npm")]
    code, result = released.verify(capsys, "--rescan", *db)
    assert code == 0, result
    assert _check(result, "rescan")["details"] == {
        "rescan_level": VERIFIED,
        "claim_level": VERIFIED,
    }
    # Without it SC-02 cannot reach the OSV API: the rescan stops at L1, below the claim.
    code, result = released.verify(capsys, "--rescan")
    assert code == 1 and result["level"] is None
    rescan = _check(result, "rescan")
    assert rescan["status"] == "fail" and rescan["cause"] == "level"
    details = rescan["details"]
    assert isinstance(details, dict) and details["rescan_level"] == 1
    assert "SC-02 (error)" in details["blockers"]


def test_verify_mode_rescans_with_the_offline_database(released: Released, tmp_path: Path) -> None:
    """A consumer's ``mode: verify`` step with ``rescan`` gates on the bundle's own level."""
    consumer = tmp_path / "consumer"
    shutil.copytree(released.workspace / "osv", consumer / "osv")
    shutil.copy(released.keys.public_key, consumer / "publisher.pub")
    inputs = {"mode": "verify", "repository": REPO, "tag": TAG, "key": "publisher.pub",
              "rescan": "true", "vuln-db": VULN_DB, "min-level": str(VERIFIED)}  # fmt: skip
    run = run_action(consumer, tmp_path / "runner", "push", {"ref": "refs/heads/main"}, inputs,
                     ref="refs/heads/main", extra_env={"GITHUB_API_URL": released.fake.api_url})  # fmt: skip
    assert run.code == 0, run.stdout + run.stderr
    assert run.outputs["mode"] == "verify" and run.outputs["level"] == str(VERIFIED)
    rescan = next(line for line in run.summary.splitlines() if "rescan " in line)
    assert rescan.startswith("✓") and f"a rescan verifies MTF level {VERIFIED}" in rescan


@pytest.mark.parametrize(("suffix", "check", "cause"), TAMPERED, ids=[t[0] for t in TAMPERED])
def test_verify_fails_after_any_asset_is_tampered_with(
    released: Released, capsys: pytest.CaptureFixture[str], suffix: str, check: str, cause: str
) -> None:
    asset = next(a for a in released.release.assets if a.name.endswith(suffix))
    original = asset.data
    altered = bytearray(original)
    altered[len(altered) // 2] ^= 0x01  # one bit; the server lists the new digest
    asset.data = bytes(altered)
    try:
        code, result = released.verify(capsys)
    finally:
        asset.data = original
    assert code == 1, result
    assert result["verified"] is False and result["level"] is None
    checks = result["checks"]
    assert isinstance(checks, list)
    failed = {c["name"]: c["cause"] for c in checks if c["status"] == "fail"}
    assert failed[check] == cause, failed
    others = ABOUT_THE_BUNDLE if suffix == ".mcpb" else set()
    assert set(failed) == {check, *others}, failed
