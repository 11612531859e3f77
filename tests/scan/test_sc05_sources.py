"""SC-05 Trusted Sources: approved registries, restricted sources, the allow-list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import make_ctx, manifest
from supply_fixtures import dist, node_bundle, tree_ctx  # noqa: F401

from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.controls.sc05_sources import TrustedSources
from mtf_action.scan.result import ControlOutcome, Status
from mtf_action.scan.supply.sources import allowed, classify

SHA = "b" * 64
COMMIT = "0123456789abcdef0123456789abcdef01234567"
PNPM = Path(__file__).resolve().parents[1] / "data" / "lockfiles" / "pnpm-v9" / "pnpm-lock.yaml"


def run(ctx: ScanContext) -> ControlOutcome:
    return TrustedSources().evaluate(ctx)


def uv_lock(*packages: tuple[str, str]) -> str:
    """A uv.lock whose virtual project depends on each (name, source table) package."""
    deps = ", ".join(f'{{ name = "{name}" }}' for name, _ in packages)
    text = 'version = 1\nrevision = 2\n\n[[package]]\nname = "demo"\nversion = "1.0"\n'
    text += f'source = {{ virtual = "." }}\ndependencies = [{deps}]\n'
    for name, source in packages:
        text += f'\n[[package]]\nname = "{name}"\nversion = "1.0"\nsource = {source}\n'
        text += f'sdist = {{ url = "https://x.invalid/{name}.tar.gz", hash = "sha256:{SHA}" }}\n'
    return text


def test_sc05_examples_use_approved_registries(
    python_example_tree: Path,
    node_bundle: Path,  # noqa: F811
) -> None:
    tree = run(tree_ctx(python_example_tree))
    assert tree.status_at(4) is Status.PASS, tree.findings
    assert set(tree.details["sources"]) == {"approved"}
    with ScanContext.for_bundle(node_bundle, ScanOptions()) as ctx:
        bundle = run(ctx)
    assert bundle.status_at(4) is Status.PASS, bundle.findings
    assert bundle.details["sources"]["approved"] > 50


def test_sc05_no_dependencies_passes_with_a_note(tmp_path: Path) -> None:
    outcome = run(make_ctx(tmp_path, {"server.py": ""}, manifest()))
    assert [f.rule for f in outcome.findings] == ["no-dependencies"]
    assert outcome.status_at(4) is Status.PASS


def test_sc05_unrecorded_source_is_assumed_default_and_said(tmp_path: Path) -> None:
    outcome = run(make_ctx(tmp_path, {"pnpm-lock.yaml": PNPM.read_text()}, manifest()))
    (note,) = outcome.findings
    assert note.rule == "source-not-recorded" and note.title.startswith("3 packages")
    assert "assumed" in note.description
    assert outcome.status_at(4) is Status.PASS


@pytest.mark.parametrize(
    ("source", "rule", "blocks_at"),
    [
        ('{ registry = "https://pypi.internal.example/simple" }', "private-registry", 3),
        ('{ registry = "https://acme.jfrog.io/artifactory/api/pypi/simple" }', "private-registry", 3),
        ('{ registry = "https://10.0.0.5/simple" }', "private-registry", 3),
        ('{ registry = "https://mirror.pypi.tuna.example.org/simple" }', "unknown-registry", None),
        (f'{{ git = "https://github.com/acme/lib?rev=v1#{COMMIT}" }}', "git-without-attestation", 3),
        ('{ path = "../wheels/lib-1.0-py3-none-any.whl" }', "local-source", 3),
        ('{ url = "https://github.com/acme/lib/archive/v1.0.tar.gz" }', "direct-tarball", 3),
        ('{ registry = "https://pypi.org/simple" }', None, None),
    ],
    ids=["private", "jfrog", "ip", "unknown", "git", "path", "tarball", "pypi"],
)  # fmt: skip
def test_sc05_uv_sources_by_kind(
    source: str, rule: str | None, blocks_at: int | None, tmp_path: Path
) -> None:
    outcome = run(make_ctx(tmp_path, {"uv.lock": uv_lock(("lib", source))}, manifest()))
    assert [(f.rule, f.blocks_at, f.line) for f in outcome.findings] == (
        [(rule, blocks_at, 10)] if rule else []
    )
    if blocks_at:
        assert outcome.status_at(2) is Status.WARN and outcome.status_at(3) is Status.FAIL


def test_sc05_allow_list_prefix_host_and_glob(tmp_path: Path) -> None:
    lock = uv_lock(
        ("a", '{ registry = "https://pypi.acme.internal/simple" }'),
        ("b", f'{{ git = "https://github.com/acme/b?rev=v1#{COMMIT}" }}'),
        ("c", '{ url = "https://files.acme.internal/c-1.0.tar.gz" }'),
    )
    allow = ("https://pypi.acme.internal/", "https://github.com/acme/*", "files.acme.internal")
    outcome = run(make_ctx(tmp_path, {"uv.lock": lock}, manifest(), allow_sources=allow))
    assert [f.rule for f in outcome.findings] == ["allow-listed-sources"]
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["sources"] == {"allowed": 3}


def test_sc05_allow_list_prefix_respects_host_boundary() -> None:
    assert allowed("https://npm.acme.example/pkg/-/pkg-1.tgz", ["https://npm.acme.example"])
    assert not allowed("https://npm.acme.example.evil.test/x.tgz", ["https://npm.acme.example"])
    assert not allowed("https://evil.test/?u=files.acme.internal", ["files.acme.internal"])
    assert allowed("git+https://github.com/acme/b#abc", ["https://github.com/acme/"])
    assert allowed("file:./vendor/x.tgz", ["file:./vendor/"])
    assert not allowed("file:./vendorx/x.tgz", ["file:./vendor"])


@pytest.mark.parametrize(
    ("source", "ecosystem", "kind"),
    [
        ("https://registry.npmjs.org/zod/-/zod-3.23.8.tgz", "npm", "approved"),
        ("http://registry.npmjs.org/zod/-/zod-3.23.8.tgz", "npm", "unknown"),  # plain HTTP
        ("https://registry.npmjs.org/zod/-/zod-3.23.8.tgz", "pypi", "unknown"),  # wrong ecosystem
        ("https://files.pythonhosted.org/packages/a/b/x-1.0.whl", "pypi", "approved"),
        ("https://registry.yarnpkg.com/zod/-/zod-3.23.8.tgz", "npm", "unknown"),  # registry-shaped
        ("https://user:pw@registry.example.org/zod/-/zod-1.tgz", "npm", "private"),
        ("https://d-1.d.codeartifact.eu-west-1.amazonaws.com/npm/r/", "npm", "private"),
        ("https://codeload.github.com/acme/x/tar.gz/v1.tgz", "npm", "tarball"),
        ("github:acme/x#main", "npm", "git"),
        ("file:../x", "npm", "local"),
        (None, "pypi", "default"),
    ],
)
def test_sc05_classify(source: str | None, ecosystem: str, kind: str) -> None:
    assert classify(source, ecosystem).kind == kind


def test_sc05_requirements_extra_index_and_direct_urls(tmp_path: Path) -> None:
    text = (
        "--extra-index-url https://pypi.acme.internal/simple\n"
        f"anyio==4.9.0 --hash=sha256:{SHA}\n"
        f"lib @ https://github.com/acme/lib/archive/v1.tar.gz --hash=sha256:{SHA}\n"
    )
    outcome = run(make_ctx(tmp_path, {"requirements.txt": text}, manifest()))
    found = sorted((f.rule, f.line) for f in outcome.findings)
    assert found == [("direct-tarball", 3), ("private-registry", 1), ("source-not-recorded", None)]


def test_sc05_package_lock_unknown_registry_warns(tmp_path: Path) -> None:
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"dependencies": {"zod": "^3", "mine": "file:../mine"}},
            "node_modules/zod": {
                "version": "3.23.8",
                "resolved": "https://registry.yarnpkg.com/zod/-/zod-3.23.8.tgz",
                "integrity": "sha512-AA==",
            },
            "node_modules/mine": {"resolved": "../mine", "link": True},
        },
    }
    package = {"dependencies": {"zod": "^3", "mine": "file:../mine"}}
    files = {"package-lock.json": json.dumps(lock, indent=2), "package.json": json.dumps(package)}
    outcome = run(make_ctx(tmp_path, files, manifest()))
    found = sorted((f.rule, f.file, f.blocks_at) for f in outcome.findings)
    assert found == [
        ("local-source", "package.json", 3),
        ("unknown-registry", "package-lock.json", None),
    ]


def test_sc05_vendored_package_installed_from_git(tmp_path: Path) -> None:
    files = dist("lib", "1.0", {"lib/__init__.py": ""})
    files["deps/lib-1.0.dist-info/direct_url.json"] = json.dumps(
        {"url": "https://github.com/acme/lib", "vcs_info": {"vcs": "git", "commit_id": COMMIT}}
    )
    files.update(dist("plain", "2.0", {"plain.py": ""}))
    outcome = run(make_ctx(tmp_path, files, manifest()))
    found = sorted((f.rule, f.file) for f in outcome.findings)
    assert found == [
        ("git-without-attestation", "deps/lib-1.0.dist-info/METADATA"),
        ("source-not-recorded", "deps/plain-2.0.dist-info/METADATA"),
    ]
