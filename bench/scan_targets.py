"""The bundles (and directories) both scanners are measured on.

- the two example servers, built with ``mtf-attest build`` offline from the
  test caches (their locked dependencies vendored: real Python and npm code);
- one large bundle: the deterministic synthetic tree of ``synthetic_tree.py``
  (a Node server with a vendored ``node_modules/`` of 10,000+ files), packed
  with ``mtf-attest build --no-vendor``;
- each bundle extracted again as a directory (only mtf-attest scans those).
"""

from __future__ import annotations

import os
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from synthetic_tree import generate_tree

import fixture_cache as fixtures

EPOCH = "1700000000"


@dataclass(frozen=True)
class Target:
    name: str
    kind: str  # "bundle" or "directory"
    path: Path
    files: int
    size_bytes: int  # the .mcpb for a bundle, the file contents for a directory
    max_ratio: float  # highest compression ratio of one member (the bundle's)


def _mtf_attest() -> list[str]:
    script = Path(sys.executable).with_name("mtf-attest")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mtf_action"]


def _build(source: Path, out: Path, env: dict[str, str], *, no_vendor: bool) -> Path:
    cmd = [*_mtf_attest(), "build", str(source), "--output-dir", str(out)]
    cmd += ["--source-date-epoch", EPOCH, "--quiet"]
    if no_vendor:
        cmd.append("--no-vendor")
    fixtures.run_step(cmd, f"mtf-attest build {source.name}", env=env)
    bundles = sorted(out.glob("*.mcpb"))
    if len(bundles) != 1:
        raise fixtures.FixtureError(f"expected one .mcpb in {out}, found {len(bundles)}")
    return bundles[0]


def _bundle_target(name: str, bundle: Path) -> Target:
    with zipfile.ZipFile(bundle) as archive:
        members = [i for i in archive.infolist() if not i.is_dir()]
    ratios = [i.file_size / i.compress_size for i in members if i.compress_size]
    return Target(
        name=name,
        kind="bundle",
        path=bundle,
        files=len(members),
        size_bytes=bundle.stat().st_size,
        max_ratio=round(max(ratios, default=1.0), 1),
    )


def _directory_target(bundle: Target, dest: Path) -> Target:
    # Our own freshly built bundles: extracting them as they are is safe.
    with zipfile.ZipFile(bundle.path) as archive:
        archive.extractall(dest)
    files = [p for p in dest.rglob("*") if p.is_file()]
    return Target(
        name=bundle.name,
        kind="directory",
        path=dest,
        files=len(files),
        size_bytes=sum(p.stat().st_size for p in files),
        max_ratio=bundle.max_ratio,
    )


def prepare_targets(cache: Path, work: Path, files: int, *, directories: bool) -> list[Target]:
    """Build every bundle under ``work``; offline, from the caches only."""
    env = {**os.environ, **fixtures.offline_pip_overrides(cache)}
    env.update(fixtures.offline_npm_overrides(cache))
    bundles: list[Target] = []
    for example in (fixtures.PYTHON_EXAMPLE, fixtures.NODE_EXAMPLE):
        print(f"building {example.name} offline ...", flush=True)
        bundle = _build(example, work / f"build-{example.name}", env, no_vendor=False)
        bundles.append(_bundle_target(example.name, bundle))
    print(f"generating and packing the synthetic tree ({files} files) ...", flush=True)
    tree = generate_tree(work / f"synthetic-{files}", files).root
    bundle = _build(tree, work / "build-synthetic", env, no_vendor=True)
    bundles.append(_bundle_target(f"synthetic-{files}", bundle))
    if not directories:
        return bundles
    extracted = [_directory_target(b, work / "dirs" / b.name) for b in bundles]
    return bundles + extracted
