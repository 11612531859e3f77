"""SC-01 SBOM Generation: present, valid (CycloneDX 1.4-1.6, SPDX 2.3), complete."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from helpers import bundle_ctx, make_ctx, manifest
from supply_fixtures import (
    SHARED_SBOM,
    cdx,
    component,
    dist,
    node_bundle,  # noqa: F401  (session fixture)
    npm_package,
    python_bundle,  # noqa: F401  (session fixture)
    rezip,
    tree_ctx,
)

from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.controls.sc01_sbom import SbomGeneration
from mtf_action.scan.result import ControlOutcome, Status

VECTORS = SHARED_SBOM / "cyclonedx" / "spec-test-vectors"
SPDX_23 = SHARED_SBOM / "spdx" / "spdx-spec" / "SPDXJSONExample-v2.3.spdx.json"
SPDX_22 = SHARED_SBOM / "spdx" / "spdx-examples" / "software" / "example9" / "spdx2.2"


def run(ctx: ScanContext) -> ControlOutcome:
    return SbomGeneration().evaluate(ctx)


def rules(outcome: ControlOutcome) -> list[str]:
    return [f.rule for f in outcome.findings]


# -- the example servers --------------------------------------------------------------


def test_sc01_python_example_tree_generated_sbom_is_complete(python_example_tree: Path) -> None:
    outcome = run(tree_ctx(python_example_tree))
    assert outcome.status_at(1) is Status.PASS, outcome.findings
    (sbom,) = outcome.details["sboms"]
    assert sbom["generated"] is True and sbom["format"] == "cyclonedx"
    assert sbom["components"] == outcome.details["shipped_packages"]["pypi"] > 20


def test_sc01_node_example_tree_passes(node_example_tree: Path) -> None:
    outcome = run(tree_ctx(node_example_tree))
    assert outcome.status_at(1) is Status.PASS, outcome.findings
    assert outcome.details["shipped_packages"]["npm"] > 50


@pytest.mark.parametrize("which", ["python_bundle", "node_bundle"])
def test_sc01_example_bundles_pass_and_read_each_file_once(
    which: str, request: pytest.FixtureRequest
) -> None:
    bundle: Path = request.getfixturevalue(which)
    with ScanContext.for_bundle(bundle, ScanOptions()) as ctx:
        outcome = run(ctx)
        run(ctx)  # a second evaluation reuses the parsed views
        assert max(ctx.reads.values()) == 1
    assert outcome.status_at(4) is Status.PASS, outcome.findings
    assert outcome.details["sboms"][0]["file"] == "sbom.cdx.json"
    assert outcome.details["sboms"][0]["generated"] is False


def test_sc01_bundle_sbom_missing_a_shipped_package_blocks(
    python_bundle: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    with zipfile.ZipFile(python_bundle) as archive:
        doc = json.loads(archive.read("sbom.cdx.json"))
    dropped = next(c for c in doc["components"] if c["name"] == "idna")
    doc["components"].remove(dropped)
    tampered = rezip(python_bundle, tmp_path / "t.mcpb", {"sbom.cdx.json": json.dumps(doc)})
    with ScanContext.for_bundle(tampered, ScanOptions()) as ctx:
        outcome = run(ctx)
    missing = [f for f in outcome.findings if f.rule == "package-not-in-sbom"]
    assert [f.title.split()[0] for f in missing] == ["idna"]
    assert missing[0].blocks_at == 1 and missing[0].file.endswith("METADATA")
    assert outcome.status_at(1) is Status.FAIL


# -- presence and format --------------------------------------------------------------


def test_sc01_bundle_without_sbom_blocks_at_l1(tmp_path: Path) -> None:
    with bundle_ctx(tmp_path, {"server.py": "print(1)\n", "bom.xml": "<bom/>"}, manifest()) as ctx:
        outcome = run(ctx)
    assert rules(outcome) == ["sbom-missing"]
    assert outcome.findings[0].blocks_at == 1
    assert outcome.status_at(1) is Status.FAIL


def test_sc01_sbom_at_non_standard_place_is_named(tmp_path: Path) -> None:
    files = {"server.py": "", "docs/app.cdx.json": cdx([])}
    with bundle_ctx(tmp_path, files, manifest()) as ctx:
        outcome = run(ctx)
    assert rules(outcome) == ["sbom-missing"]
    assert "docs/app.cdx.json" in outcome.findings[0].description


@pytest.mark.parametrize("version", ["1.4", "1.5", "1.6"])
def test_sc01_cyclonedx_spec_vectors_valid_and_invalid(version: str, tmp_path: Path) -> None:
    """The CycloneDX project's own test vectors: valid-* pass, invalid-* block."""
    vectors = sorted((VECTORS / version).glob("*.json"))
    picked = [v for v in vectors if v.name.startswith("valid-")][:6]
    picked += [v for v in vectors if v.name.startswith("invalid-")][:6]
    for i, vector in enumerate(picked):
        files = {"sbom.json": vector.read_text(encoding="utf-8")}
        with bundle_ctx(tmp_path / str(i), files, manifest()) as ctx:
            outcome = run(ctx)
        invalid = [f for f in outcome.findings if f.rule == "sbom-invalid"]
        if vector.name.startswith("invalid-"):
            assert invalid and invalid[0].blocks_at == 1, vector.name
            assert "CycloneDX" in invalid[0].description
        else:
            assert not invalid, (vector.name, invalid)
            assert outcome.status_at(1) is not Status.FAIL, vector.name


def test_sc01_validation_started_on_another_core_gives_the_same_verdicts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SC-01.start validates in a forked child; the findings equal the inline run's."""
    from mtf_action.scan import parallel

    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    vectors = sorted((VECTORS / "1.6").glob("*.json"))
    picked = [v for v in vectors if v.name.startswith("valid-")][:3]
    picked += [v for v in vectors if v.name.startswith("invalid-")][:3]
    for i, vector in enumerate(picked):
        files = {"sbom.json": vector.read_text(encoding="utf-8")}
        with bundle_ctx(tmp_path / f"inline{i}", files, manifest()) as ctx:
            inline = run(ctx)
        with bundle_ctx(tmp_path / f"started{i}", files, manifest()) as ctx:
            SbomGeneration().start(ctx)
            if vector.name.startswith("valid-"):  # invalid ones may fail before the schema
                assert any(k.startswith("sbom-validation:") for k in ctx.started), vector.name
            started = run(ctx)
            assert not ctx.started  # the verdict was collected
        assert [(f.rule, f.description) for f in started.findings] == [
            (f.rule, f.description) for f in inline.findings
        ], vector.name


def test_sc01_spdx_23_valid_and_22_unsupported(tmp_path: Path) -> None:
    with bundle_ctx(tmp_path / "a", {"sbom.spdx.json": SPDX_23.read_text()}, manifest()) as ctx:
        good = run(ctx)
    assert not [f for f in good.findings if f.blocks_at is not None], good.findings
    assert good.details["sboms"][0]["format"] == "spdx"
    old = next(SPDX_22.glob("*.spdx.json")).read_text()
    with bundle_ctx(tmp_path / "b", {"sbom.spdx.json": old}, manifest()) as ctx:
        bad = run(ctx)
    assert rules(bad) == ["sbom-unsupported"]
    assert bad.status_at(1) is Status.FAIL


def test_sc01_spdx_schema_violation_blocks(tmp_path: Path) -> None:
    doc = json.loads(SPDX_23.read_text())
    del doc["SPDXID"]
    with bundle_ctx(tmp_path, {"sbom.spdx.json": json.dumps(doc)}, manifest()) as ctx:
        outcome = run(ctx)
    assert rules(outcome) == ["sbom-invalid"]
    assert "SPDXID" in outcome.findings[0].description


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        ("{not json", "sbom-invalid"),
        (cdx([], version="1.3"), "sbom-unsupported"),
        (json.dumps({"hello": "world"}), "sbom-invalid"),
    ],
)
def test_sc01_unreadable_or_unsupported_blocks(content: str, rule: str, tmp_path: Path) -> None:
    with bundle_ctx(tmp_path, {"sbom.cdx.json": content}, manifest()) as ctx:
        outcome = run(ctx)
    assert rules(outcome) == [rule]
    assert outcome.status_at(1) is Status.FAIL


def test_sc01_cyclonedx_17_is_accepted_with_a_warning(tmp_path: Path) -> None:
    with bundle_ctx(tmp_path, {"sbom.cdx.json": cdx([], version="1.7")}, manifest()) as ctx:
        outcome = run(ctx)
    assert rules(outcome) == ["sbom-format-newer"]
    assert outcome.status_at(1) is Status.WARN


def test_sc01_spdx3_only_is_an_error_not_a_pass(tmp_path: Path) -> None:
    doc = {"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}
    with bundle_ctx(tmp_path, {"sbom.spdx.json": json.dumps(doc)}, manifest()) as ctx:
        outcome = run(ctx)
    assert outcome.status_at(1) is Status.ERROR
    assert "SPDX 3" in (outcome.error or "")


# -- component fields and completeness (synthetic) ---------------------------------------


def test_sc01_component_without_purl_or_version_warns(tmp_path: Path) -> None:
    comps = [component("a", "1.0", purl=None), component("b", "1.0")]
    del comps[1]["version"]
    with bundle_ctx(tmp_path, {"sbom.cdx.json": cdx(comps)}, manifest()) as ctx:
        outcome = run(ctx)
    missing = [f for f in outcome.findings if f.rule == "component-missing-fields"]
    assert sorted(f.title for f in missing) == [
        "Component a lacks purl",
        "Component b lacks version",
    ]
    assert all(f.blocks_at is None for f in missing)
    assert outcome.status_at(4) is Status.WARN


def test_sc01_missing_license_and_hash_are_info_only(tmp_path: Path) -> None:
    comps = [component("a", "1.0", licenses=None, hashes=None)]
    files = {"sbom.cdx.json": cdx(comps), **dist("a", "1.0", {"a/__init__.py": ""})}
    with bundle_ctx(tmp_path, files, manifest()) as ctx:
        outcome = run(ctx)
    assert sorted(rules(outcome)) == ["component-without-hash", "component-without-license"]
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["components_without_license"] == 1


def test_sc01_completeness_python_and_npm(tmp_path: Path) -> None:
    files = {
        **dist("Foo_Bar", "1.0", {"foo_bar/__init__.py": ""}),
        **dist("baz", "2.0", {"baz.py": ""}),
        **npm_package("@acme/util", "3.1.0"),
        **npm_package("left", "1.0.0", prefix="node_modules/@acme/util/node_modules"),
        "node_modules/@acme/util/dist/package.json": '{"type": "module"}',
        "sbom.cdx.json": cdx(
            [
                component("foo-bar", "1.0.0"),  # PEP 440 and PEP 503 equal
                component("baz", "2.1"),  # wrong version
                component("@acme/util", "3.1.0", "npm"),
                component("ghost", "9.9", "npm"),  # not shipped
            ]
        ),
    }
    with bundle_ctx(tmp_path, files, manifest()) as ctx:
        outcome = run(ctx)
    titles = {f.rule: [] for f in outcome.findings}
    for f in outcome.findings:
        titles[f.rule].append(f.title)
    assert sorted(titles["package-not-in-sbom"]) == [
        "baz 2.0 is shipped but listed as 2.1 in the SBOM",
        "left 1.0.0 is shipped but not listed in the SBOM",
    ]
    assert titles["sbom-component-not-shipped"] == [
        "SBOM lists baz 2.1, which the bundle does not ship",
        "SBOM lists ghost 9.9, which the bundle does not ship",
    ]
    assert outcome.details["shipped_packages"] == {"pypi": 2, "npm": 2}
    assert outcome.status_at(1) is Status.FAIL


def test_sc01_uv_server_sbom_lists_what_the_host_installs(tmp_path: Path) -> None:
    """Nothing vendored: components are not 'missing from the bundle'."""
    files = {"sbom.cdx.json": cdx([component("httpx", "0.28.1")]), "uv.lock": ""}
    with bundle_ctx(tmp_path, files, manifest()) as ctx:
        outcome = run(ctx)
    assert outcome.status_at(4) is Status.PASS, outcome.findings


# -- source directories ------------------------------------------------------------------


def test_sc01_directory_checks_generated_and_committed_sboms(tmp_path: Path) -> None:
    files = {
        "server.py": "",
        **dist("a", "1.0", {"a.py": ""}),
        "sbom.json": cdx([component("other", "1.0")]),
        "sbom.cdx.json": "{broken",  # replaced by build: not checked
    }
    ctx = make_ctx(tmp_path, files, manifest())
    outcome = run(ctx)
    docs = {d["file"]: d for d in outcome.details["sboms"]}
    assert docs["sbom.cdx.json (generated)"]["components"] == 1
    assert "sbom.json" in docs
    missing = [f for f in outcome.findings if f.rule == "package-not-in-sbom"]
    assert [f.title for f in missing] == ["a 1.0 is shipped but not listed in the SBOM"]
    assert any("replaced" in note for note in outcome.details["notes"])


def test_sc01_directory_sbom_older_than_lockfile_warns(tmp_path: Path) -> None:
    files = {"server.py": "", "sbom.json": cdx([]), "requirements.txt": "a==1.0\n"}
    ctx = make_ctx(tmp_path, files, manifest())
    os.utime(tmp_path / "sbom.json", (1_000_000, 1_000_000))
    older = [f for f in run(ctx).findings if f.rule == "sbom-older-than-lockfile"]
    assert [(f.title, f.blocks_at) for f in older] == [
        ("sbom.json is older than requirements.txt", None)
    ]
    fresh = make_ctx(tmp_path / "fresh", files, manifest())
    os.utime(tmp_path / "fresh" / "requirements.txt", (1_000_000, 1_000_000))
    assert "sbom-older-than-lockfile" not in rules(run(fresh))


def test_sc01_directory_without_usable_manifest_is_an_error(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {"server.py": ""}, manifest(server=None))
    outcome = run(ctx)
    assert outcome.status_at(1) is Status.ERROR
    assert "server" in (outcome.error or "")
