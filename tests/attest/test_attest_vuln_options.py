"""``attest`` and ``verify --rescan`` take ``scan``'s SC-02 flags (MTF SC-02, an L2 control).

The python example claims L2. Here the OSV API is a closed port (tests/conftest.py), so
without ``--vuln-db`` SC-02 reports ``error`` and the claim can only record L1; with the
shared offline OSV database (real PYSEC advisories) the same release verifies L2.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from attest_support import Run

from mtf_action.attest.pipeline import AttestOptions, attest
from mtf_action.attest.prebuilt import attest_prebuilt
from mtf_action.console import Reporter
from mtf_action.errors import InvalidInputError
from mtf_action.signing.keygen import KeyPairFiles
from mtf_action.signing.signers import NoneSigner
from mtf_action.vulns.options import VulnOptions

FORK = "pypa-advisory-database-westonsteimel-fork"


@pytest.fixture(scope="module")
def osv_db(shared_dir: Path) -> Path:
    path = shared_dir / "data" / "osv" / FORK
    if not path.is_dir():
        pytest.fail(f"shared OSV data missing at {path}", pytrace=False)
    return path


def _sc02(claim_path: Path) -> str:
    claim = json.loads(claim_path.read_bytes())
    controls = claim["predicate"]["controls"]
    return str(next(c["status"] for c in controls if c["id"] == "SC-02"))


@pytest.mark.slow
def test_offline_database_lets_the_example_reach_its_claimed_level(
    python_example_tree: Path, tmp_path: Path, osv_db: Path, run_cli: Callable[..., Run]
) -> None:
    argv = ("attest", python_example_tree, "--sign", "none", "--no-vendor", "--json")
    with_db = run_cli(*argv, "-o", tmp_path / "db", "--vuln-db", osv_db, "--no-vuln-cache")
    assert with_db.code == 0, with_db.err
    summary = with_db.summary
    assert summary["level_claimed"] == 2 and summary["level_verified"] == 2
    assert _sc02(Path(summary["assets"]["claim"])) == "pass"
    online = run_cli(*argv, "-o", tmp_path / "online")
    assert online.code == 1, online.err  # the claim exceeds what was verified
    summary = online.summary
    assert summary["level_verified"] == 1
    assert summary["problems"] == ["the manifest claims L2 but L1 was verified"]
    assert _sc02(Path(summary["assets"]["claim"])) == "error"


@pytest.mark.slow
def test_require_online_refuses_to_claim_with_an_unreachable_source(
    python_example_tree: Path, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    out = tmp_path / "out"
    run = run_cli("attest", python_example_tree, "-o", out, "--sign", "none", "--no-vendor",
                  "--require-online")  # fmt: skip
    assert run.code == 4, run.err
    assert "OSV API unreachable" in run.err
    assert not list(out.glob("*.mtf-claim.json"))  # no claim recording a capped level


@pytest.mark.parametrize(
    ("flags", "code", "message"),
    [
        (["--vuln-db", "missing-osv"], 3, "no such OSV database"),
        (["--vex", "missing.vex.json"], 3, "cannot read"),
        (["--vuln-source", "offline"], 2, "--vuln-source offline needs --vuln-db PATH"),
    ],
)
def test_unusable_vulnerability_flags_fail_before_building(
    tiny: Path,
    tmp_path: Path,
    key_pair: KeyPairFiles,
    run_cli: Callable[..., Run],
    flags: list[str],
    code: int,
    message: str,
) -> None:
    out = tmp_path / "out"
    run = run_cli("attest", tiny, "-o", out, "--key", key_pair.private_key, *flags)
    assert run.code == code and message in run.err, run.err
    assert not out.exists()  # nothing built, nothing signed


def test_the_library_checks_the_options_before_building(tiny: Path, tmp_path: Path) -> None:
    quiet = Reporter(quiet=True, stream=io.StringIO(), out=io.StringIO())
    out = tmp_path / "out"
    options = AttestOptions(
        source_dir=tiny,
        output_dir=out,
        vendor=False,
        env={},
        vulns=VulnOptions(db=(tmp_path / "missing-osv",)),
    )
    with pytest.raises(InvalidInputError, match="no such OSV database"):
        attest(options, NoneSigner(), quiet)
    with pytest.raises(InvalidInputError, match="no such OSV database"):
        attest_prebuilt([tmp_path / "a.mcpb"], options, NoneSigner(), quiet)
    assert not out.exists()


def test_verify_takes_the_flags_for_a_rescan_only(
    tmp_path: Path, osv_db: Path, run_cli: Callable[..., Run]
) -> None:
    run = run_cli("verify", tmp_path / "x.mcpb", "--key", tmp_path / "k.pub", "--vuln-db", osv_db)
    assert run.code == 2 and "--vuln-db applies to the rescan only: add --rescan" in run.err
    run = run_cli("verify", tmp_path / "x.mcpb", "--rescan", "--vuln-db", tmp_path / "none")
    assert run.code == 3 and "no such OSV database" in run.err
