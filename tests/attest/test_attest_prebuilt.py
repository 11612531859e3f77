"""attest --bundle: per-platform bundles built elsewhere, sealed and attested in one job.

The multi-platform flow of issue 5: ``mtf-attest build --platform-os/--platform-arch``
on each OS, then ``attest --bundle`` on Linux. The sealed bundle must carry the
prebuilt's members byte for byte plus ``.sigstore/`` (AI-03), verify must pass,
and tampering must still be caught.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from attest_checks import check_release, members, sha256
from attest_support import EPOCH, Run, make_tree

from mtf_action.attest.embedded import EMBEDDED_PAYLOAD
from mtf_action.attest.names import asset_names
from mtf_action.attest.prebuilt import UNSEALED_ROLE, reseal_bundle
from mtf_action.attest.seal import Sealer
from mtf_action.bundle.reader import BundleLimits
from mtf_action.console import Reporter
from mtf_action.errors import BundleError, InvalidInputError
from mtf_action.signing.keygen import KeyPairFiles
from mtf_action.signing.signers import NoneSigner
from mtf_action.signing.verify_key import KeyVerifier

STEM = "acme-tiny-1.0.0-linux-x64"


def _build(run_cli: Callable[..., Run], tree: Path, out: Path, *platform: str) -> Path:
    result = run_cli(
        "build", tree, "-o", out, "--no-vendor", "--source-date-epoch", str(EPOCH), "--json",
        *platform,
    )  # fmt: skip
    assert result.code == 0, result.err
    return Path(result.summary["bundle"]["path"])


def _attest(run_cli: Callable[..., Run], key: Path, out: Path, *bundles: Path) -> Run:
    flags = [arg for b in bundles for arg in ("--bundle", str(b))]
    return run_cli("attest", "-o", out, "--key", key, "--no-vendor", "--json", *flags)


def _verify(run_cli: Callable[..., Run], bundle: Path, public_key: Path) -> Run:
    return run_cli("verify", bundle, "--key", public_key, "--json")


def test_prebuilt_platform_bundles_are_sealed_attested_and_verify(
    tiny: Path, tmp_path: Path, key_pair: KeyPairFiles, run_cli: Callable[..., Run]
) -> None:
    linux = _build(run_cli, tiny, tmp_path / "built" / "linux",
                   "--platform-os", "linux", "--platform-arch", "x64")  # fmt: skip
    darwin = _build(run_cli, tiny, tmp_path / "built" / "darwin",
                    "--platform-os", "darwin", "--platform-arch", "arm64")  # fmt: skip
    assert (linux.name, darwin.name) == (f"{STEM}.mcpb", "acme-tiny-1.0.0-darwin-arm64.mcpb")
    out = tmp_path / "out"
    result = _attest(run_cli, key_pair.private_key, out, linux, darwin)
    assert result.code == 0, result.err
    results = result.summary["results"]
    assert [Path(r["bundle"]["path"]).name for r in results] == [linux.name, darwin.name]
    verifier = KeyVerifier.from_files(key_pair.public_key)
    for prebuilt in (linux, darwin):
        names = asset_names(prebuilt.name.removesuffix(".mcpb"))
        found = check_release(out, names, verifier)
        sealed = found["members"]
        # Every prebuilt member, byte for byte; only the AI-03 seal was added.
        unsealed = {n: d for n, d in sealed.items() if not n.startswith(".sigstore/")}
        assert unsealed == members(prebuilt)
        assert EMBEDDED_PAYLOAD in sealed
        # The provenance names the prebuilt file it was sealed from.
        inputs = found["provenance_predicate"].build_definition.resolved_dependencies
        original = [d for d in inputs if (d.annotations or {}).get("mtf.role") == UNSEALED_ROLE]
        assert len(original) == 1 and original[0].name == prebuilt.name
        assert original[0].digest == {"sha256": sha256(prebuilt.read_bytes())}
        assert found["claim"].predicate.build.source_date_epoch == EPOCH
        verified = _verify(run_cli, out / names.bundle, key_pair.public_key)
        assert verified.code == 0, verified.out + verified.err


def test_a_tampered_sealed_bundle_fails_verify(
    tiny: Path, tmp_path: Path, key_pair: KeyPairFiles, run_cli: Callable[..., Run]
) -> None:
    prebuilt = _build(run_cli, tiny, tmp_path / "built",
                      "--platform-os", "linux", "--platform-arch", "x64")  # fmt: skip
    out = tmp_path / "out"
    assert _attest(run_cli, key_pair.private_key, out, prebuilt).code == 0
    bundle = out / f"{STEM}.mcpb"
    assert _verify(run_cli, bundle, key_pair.public_key).code == 0
    # Same members and seal, one source file changed: the digests no longer match.
    content = members(bundle)
    content["server.py"] += b"# injected\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    bundle.write_bytes(buffer.getvalue())
    tampered = _verify(run_cli, bundle, key_pair.public_key)
    assert tampered.code == 1, tampered.out + tampered.err


def test_resealing_without_a_signature_gives_back_the_exact_prebuilt_bytes(
    tiny: Path, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    # The re-pack is build's deterministic writer over the same members and time:
    # with nothing to add it must reproduce the file `mtf-attest build` wrote.
    prebuilt = _build(run_cli, tiny, tmp_path / "built")
    sealer = Sealer(NoneSigner())
    summary, original = reseal_bundle(prebuilt, tmp_path / "out", sealer, Reporter(quiet=True))
    resealed = Path(summary.bundle.path)
    assert resealed.read_bytes() == prebuilt.read_bytes()
    assert summary.bundle.sha256 == original.sha256 == sha256(prebuilt.read_bytes())
    assert summary.source_date_epoch == EPOCH and sealer.sealed is not None
    beside = tmp_path / "out" / "acme-tiny-1.0.0.sbom.cdx.json"
    assert beside.read_bytes() == members(prebuilt)["sbom.cdx.json"]


def test_an_already_sealed_bundle_gets_a_new_seal_with_a_warning(
    tiny: Path, tmp_path: Path, key_pair: KeyPairFiles, run_cli: Callable[..., Run]
) -> None:
    prebuilt = _build(run_cli, tiny, tmp_path / "built")
    first = tmp_path / "first"
    assert _attest(run_cli, key_pair.private_key, first, prebuilt).code == 0
    again = _attest(run_cli, key_pair.private_key, tmp_path / "again", first / prebuilt.name)
    assert again.code == 0, again.err
    assert "replaced the bundle's earlier signature" in again.err
    sealed = tmp_path / "again" / prebuilt.name
    assert _verify(run_cli, sealed, key_pair.public_key).code == 0


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_hostile_or_incomplete_prebuilt_bundles_are_refused(
    tiny: Path, tmp_path: Path, key_pair: KeyPairFiles, run_cli: Callable[..., Run]
) -> None:
    prebuilt = _build(run_cli, tiny, tmp_path / "built")
    good = members(prebuilt)
    slip = _zip(tmp_path / "slip.mcpb", {**good, "../escape.py": b"x"})
    result = _attest(run_cli, key_pair.private_key, tmp_path / "o1", slip)
    assert result.code == 3 and "zip slip" in result.err
    assert not (tmp_path / "escape.py").exists()
    no_sbom = _zip(tmp_path / "nosbom.mcpb", {k: v for k, v in good.items() if "sbom" not in k})
    result = _attest(run_cli, key_pair.private_key, tmp_path / "o2", no_sbom)
    assert result.code == 3 and "no sbom.cdx.json" in result.err
    bad_manifest = _zip(tmp_path / "bad.mcpb", {**good, "manifest.json": b"{}"})
    assert _attest(run_cli, key_pair.private_key, tmp_path / "o3", bad_manifest).code == 3
    # SafeBundle's limits apply (a member over the per-file limit).
    with pytest.raises(BundleError, match="per-file limit"):
        reseal_bundle(prebuilt, tmp_path / "o4", Sealer(NoneSigner()), Reporter(quiet=True),
                      limits=BundleLimits(max_member_size=16))  # fmt: skip
    with pytest.raises(InvalidInputError, match="no such bundle"):
        reseal_bundle(tmp_path / "absent.mcpb", tmp_path / "o5", Sealer(NoneSigner()),
                      Reporter(quiet=True))  # fmt: skip


def test_prebuilt_usage_errors(
    tiny: Path, tmp_path: Path, key_pair: KeyPairFiles, run_cli: Callable[..., Run]
) -> None:
    prebuilt = _build(run_cli, tiny, tmp_path / "a")
    twin = tmp_path / "b" / prebuilt.name
    twin.parent.mkdir()
    shutil.copy(prebuilt, twin)
    result = _attest(run_cli, key_pair.private_key, tmp_path / "out", prebuilt, twin)
    assert result.code == 2 and "two prebuilt bundles are named" in result.err
    not_mcpb = tmp_path / "bundle.zip"
    shutil.copy(prebuilt, not_mcpb)
    assert _attest(run_cli, key_pair.private_key, tmp_path / "out", not_mcpb).code == 2
    result = run_cli("attest", "-o", tmp_path / "out", "--key", key_pair.private_key,
                     "--bundle", prebuilt, "--platform-os", "linux")  # fmt: skip
    assert result.code == 2 and "--platform-os apply when building" in result.err
    result = run_cli("attest", "-o", tmp_path / "out", "--key", key_pair.private_key)
    assert result.code == 2 and "or --bundle" in result.err


def test_build_platform_names_and_the_manifest_platforms_warning(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    tree = make_tree(tmp_path / "tree", compatibility={"platforms": ["linux", "win32"]})
    out = tmp_path / "out"
    result = run_cli("build", tree, "-o", out, "--no-vendor", "--json",
                     "--platform-os", "darwin", "--platform-arch", "arm64")  # fmt: skip
    assert result.code == 0, result.err
    summary = result.summary
    assert Path(summary["bundle"]["path"]).name == "acme-tiny-1.0.0-darwin-arm64.mcpb"
    assert Path(summary["hashes"]["path"]).name == "acme-tiny-1.0.0-darwin-arm64.hashes.json"
    assert (summary["platform_os"], summary["platform_arch"]) == ("darwin", "arm64")
    assert "compatibility.platforms lists only linux, win32" in result.err
    # A declared platform: no warning; a custom template names the file.
    result = run_cli("build", tree, "-o", out, "--no-vendor", "--json", "--platform-os", "win32",
                     "--output-name", "{name}_{os}_{arch}.mcpb")  # fmt: skip
    assert result.code == 0 and "compatibility.platforms" not in result.err
    assert Path(result.summary["bundle"]["path"]).name == "acme-tiny_win32_any.mcpb"
    # A template without the platform: the bundles of two platforms would collide.
    result = run_cli("build", tree, "-o", out, "--no-vendor", "--platform-os", "linux",
                     "--output-name", "{name}.mcpb")  # fmt: skip
    assert result.code == 0 and "get the same name" in result.err
    for template in ("{name}.zip", "../{name}.mcpb", "{name}..mcpb", "{name}/{os}.mcpb"):
        result = run_cli("build", tree, "-o", out, "--no-vendor", "--output-name", template)
        assert result.code == 2, template
    assert run_cli("build", tree, "-o", out, "--platform-os", "beos").code == 2
    assert json.loads((out / "acme-tiny-1.0.0-darwin-arm64.sbom.cdx.json").read_text())
