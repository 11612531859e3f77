"""attest --sign none: no signatures, an honest claim, the level capped at L2, reproducible."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from attest_checks import check_release, control
from attest_support import EPOCH, Run, make_tree

from mtf_action.attest.names import AssetNames


def _attest(run_cli: Callable[..., Run], tree: Path, out: Path, *extra: str) -> Run:
    return run_cli(
        "attest",
        tree,
        "-o",
        out,
        "--sign",
        "none",
        "--no-vendor",
        "--source-date-epoch",
        str(EPOCH),
        "--json",
        *extra,
    )


def test_unsigned_release_says_so_and_caps_the_level(
    tmp_path: Path, names: AssetNames, run_cli: Callable[..., Run]
) -> None:
    meta = {"org.mpaktrust": {"mtf_version": "0.1", "level": 3}}
    tree = make_tree(tmp_path / "tree", _meta=meta)
    out = tmp_path / "out"
    result = _attest(run_cli, tree, out)
    assert result.code == 1  # L3 is claimed; an unsigned bundle cannot reach it
    assert result.summary["signing_mode"] == "none"
    assert set(result.summary["assets"]) == {"bundle", "sbom", "hashes", "claim"}
    found = check_release(out, names, None)
    claim = found["claim"]
    assert claim.predicate.signing.model_dump() == {"mode": "none", "identity": None}
    assert claim.predicate.level.claimed == 3 and claim.predicate.level.verified <= 2
    # At the claimed level AI-03 (no signature) and PR-03 (no provenance) fail.
    assert control(claim, "AI-03")[0] == "fail"
    assert control(claim, "PR-03")[0] == "fail"


def test_unsigned_attest_is_byte_reproducible_and_equals_build(
    tiny: Path, tmp_path: Path, names: AssetNames, run_cli: Callable[..., Run]
) -> None:
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        assert _attest(run_cli, tiny, out).code == 0
        outputs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outputs[0] == outputs[1]  # bundle, SBOM, hashes and claim, byte for byte
    built = tmp_path / "built"
    code = run_cli("build", tiny, "-o", built, "--no-vendor", "--source-date-epoch", str(EPOCH))
    assert code.code == 0
    for name in (names.bundle, names.sbom, names.hashes):
        assert (built / name).read_bytes() == outputs[0][name]


def test_unsigned_run_removes_stale_signatures(
    tiny: Path, tmp_path: Path, names: AssetNames, run_cli: Callable[..., Run]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in names.signatures:
        (out / name).write_text("{}")  # from an earlier signed run of another bundle
    assert _attest(run_cli, tiny, out).code == 0
    check_release(out, names, None)
    claim = json.loads((out / names.claim).read_bytes())
    assert claim["predicate"]["assets"]["vsa"] is None
