"""The scan framework: registry, targets (directory and bundle), engine additions."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path
from typing import ClassVar

import pytest
from helpers import make_bundle, make_ctx, manifest

from mtf_action.build import BuildOptions, build_bundle
from mtf_action.bundle.archive import write_archive
from mtf_action.bundle.collect import collect_files
from mtf_action.bundle.ignore import IgnoreRules
from mtf_action.console import Reporter
from mtf_action.errors import BundleError, InvalidInputError, ManifestError
from mtf_action.scan.catalog import BY_ID, CATALOG
from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.control import Control, ControlRef
from mtf_action.scan.controls import REGISTRY, all_controls, registered
from mtf_action.scan.engine import run_scan
from mtf_action.scan.result import ControlOutcome, Severity, Status
from mtf_action.scan.target import (
    DIGEST_BUILD,
    DIGEST_FILE,
    DIGEST_FILES,
    open_directory,
    open_target,
)

QUIET = Reporter(quiet=True)


def test_registry_lists_each_control_once_in_catalog_order() -> None:
    ids = [c.id for c in REGISTRY]
    assert len(ids) == len(set(ids))
    catalog = [c.id for c in CATALOG]
    assert ids == sorted(ids, key=catalog.index)
    assert registered() is REGISTRY
    loaded = all_controls()
    assert all(isinstance(c, Control) and c.id in BY_ID for c in loaded)
    assert [c.id for c in loaded] == ids  # each entry names the class of its own ID
    assert all_controls() is loaded  # loaded once, shared
    assert {"AI-01", "CD-01", "PR-01", "PR-02", "PR-04", "PR-05"} <= set(ids)


def test_registry_marks_exactly_the_controls_that_start_work() -> None:
    # The engine loads and starts these before importing the others; a wrong
    # flag would only cost speed, but it must not drift from the classes.
    for ref in REGISTRY:
        overrides = type(ref.load()).start is not Control.start
        assert ref.starts_work is overrides, ref.id
    assert {r.id for r in REGISTRY if r.starts_work} >= {"CQ-01", "CQ-02", "CQ-03", "SC-01"}


class _Recorder(Control):
    """Records the engine's calls (class attribute: one list per test)."""

    calls: ClassVar[list[str]] = []

    def start(self, ctx: ScanContext) -> None:
        self.calls.append(f"start {self.id}")

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        self.calls.append(f"evaluate {self.id}")
        return ControlOutcome()


class _StartsAi01(_Recorder):
    id: ClassVar[str] = "AI-01"


class _PlainPr01(Control):
    id: ClassVar[str] = "PR-01"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        _Recorder.calls.append(f"evaluate {self.id}")
        return ControlOutcome()


def test_engine_starts_work_first_and_loads_references_on_demand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = ControlRef("PR-01", "pr01_repository", "SourceRepository")
    monkeypatch.setattr(
        ControlRef, "load", lambda ref: _Recorder.calls.append(f"load {ref.id}") or _PlainPr01()
    )
    _Recorder.calls.clear()
    ctx = make_ctx(tmp_path, {}, manifest())
    result = run_scan(ctx, [plain, _StartsAi01()])
    # The control that starts work starts before the reference is even loaded,
    # and the evaluation keeps the spec's order.
    assert _Recorder.calls == ["start AI-01", "load PR-01", "evaluate AI-01", "evaluate PR-01"]
    assert {e.spec.id for e in result.controls if e.outcome is not None} == {"AI-01", "PR-01"}


# --- directory targets ---------------------------------------------------------------

TREE = {
    "server.py": "print('hi')\n",
    "lib/util.py": "X = 1\n",
    ".env": "API_KEY=never-packed\n",
    "debug.log": "noise\n",
    "tsconfig.json": "{}",
    ".git/config": "[core]\n",
}


def test_directory_target_scans_what_build_would_pack(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    make_ctx(tree, TREE, manifest())  # writes the files
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    ctx = open_directory(tree, ScanOptions(), reporter=QUIET, env=env)
    assert ctx.kind == "directory" and ctx.root == tree.resolve()
    assert ctx.files == ["lib/util.py", "manifest.json", "server.py"]
    assert ctx.options.source_dir == tree.resolve()  # PR-04 / AI-04 read the checkout
    # The digest is that of the bundle `build --no-vendor` makes (SBOM included).
    built = build_bundle(
        BuildOptions(source_dir=tree, output_dir=tmp_path / "out", vendor=False, env=env), QUIET
    )
    assert ctx.bundle_sha256 == built.bundle.sha256
    assert ctx.digest_of == DIGEST_BUILD
    assert not any(p.name.endswith(".mcpb") for p in tree.rglob("*"))  # nothing left behind


def test_directory_build_refuses_broken_manifest_digest_of_packed_files(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    make_ctx(tree, {"server.py": "x = 1\n", "manifest.json": "{broken"})
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    ctx = open_directory(tree, ScanOptions(), reporter=QUIET, env=env)
    expected = write_archive(
        collect_files(tree, IgnoreRules.for_tree(tree)), tmp_path / "x.mcpb", epoch=1700000000
    )
    assert ctx.bundle_sha256 == expected.sha256
    assert ctx.digest_of == DIGEST_FILES


def test_directory_digest_follows_content_and_epoch_not_mtimes(tmp_path: Path) -> None:
    make_ctx(tmp_path, {"server.py": "a = 1\n"}, manifest())
    env = {"SOURCE_DATE_EPOCH": "1700000000"}

    def digest(**kw: str) -> str | None:
        return open_directory(
            tmp_path, ScanOptions(), reporter=QUIET, env={**env, **kw}
        ).bundle_sha256

    first = digest()
    os.utime(tmp_path / "server.py", (1, 1))
    assert digest() == first
    assert digest(SOURCE_DATE_EPOCH="1800000000") != first
    (tmp_path / "server.py").write_text("a = 2\n")
    assert digest() != first


def test_directory_symlink_out_of_tree_is_invalid_input(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    make_ctx(tree, {"server.py": ""}, manifest())
    (tmp_path / "secret.txt").write_text("outside")
    (tree / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(InvalidInputError, match="outside the source tree"):
        open_target(tree, ScanOptions(), reporter=QUIET)


def test_directory_files_are_read_through_the_context(tmp_path: Path) -> None:
    make_ctx(tmp_path, {"server.py": "x = 1\n"}, manifest())
    ctx = open_target(tmp_path, ScanOptions(), reporter=QUIET)
    assert ctx.read_text("server.py") == "x = 1\n"
    assert ctx.reads["server.py"] == 1


# --- bundle targets -------------------------------------------------------------------


def test_bundle_target_is_extracted_privately_and_cleaned_up(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path / "b.mcpb", {"server.py": "x = 1\n"}, manifest())
    before = sorted(p.name for p in tmp_path.iterdir())
    with open_target(bundle, ScanOptions(), reporter=QUIET) as ctx:
        root = ctx.root
        assert ctx.kind == "bundle" and ctx.bundle_path == bundle
        assert ctx.files == ["manifest.json", "server.py"]
        assert ctx.bundle_sha256 == hashlib.sha256(bundle.read_bytes()).hexdigest()
        assert ctx.digest_of == DIGEST_FILE
        assert not root.is_relative_to(tmp_path)
        assert ctx.read_text("server.py") == "x = 1\n"
    assert not root.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_any_zip_file_is_a_bundle(tmp_path: Path) -> None:
    archive = make_bundle(tmp_path / "server.zip", {"server.py": ""}, manifest())
    with open_target(archive, ScanOptions(), reporter=QUIET) as ctx:
        assert ctx.kind == "bundle"


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("notes.txt", b"hello", InvalidInputError, "not a server directory or a .mcpb"),
        ("broken.mcpb", b"PK\x03\x04 not really", BundleError, "not a readable zip"),
        ("missing.mcpb", None, InvalidInputError, "no such file"),
    ],
)
def test_other_targets_are_invalid_input(
    tmp_path: Path, name: str, content: bytes | None, error: type[Exception], message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error, match=message) as info:
        open_target(path, ScanOptions(), reporter=QUIET)
    assert isinstance(info.value, InvalidInputError)
    assert str(path) in info.value.one_line()


# --- context and engine additions -----------------------------------------------------


def test_broken_manifest_reads_as_none_for_controls(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {"manifest.json": "{oops"})
    assert ctx.manifest is None
    for _ in range(2):  # the failure is remembered, not recomputed from disk
        with pytest.raises(ManifestError, match="invalid JSON"):
            ctx.manifest_view()
    assert ctx.reads["manifest.json"] == 1
    result = run_scan(ctx, registered())  # the engine does not crash either
    assert result.level_verified == 0 and result.level_claimed is None


class _ReadsEverything(Control):
    id: ClassVar[str] = "CQ-02"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        for path in ctx.files:
            ctx.read_text(path)
        return ControlOutcome()


def test_files_over_the_text_cap_are_reported_not_analysed(tmp_path: Path) -> None:
    big = "x" * 2048
    files = {"server/app.min.js": big, "node_modules/dep/index.js": big, "small.js": "1"}
    ctx = make_ctx(tmp_path, files, manifest(), max_text_size=1024)
    result = run_scan(ctx, [_ReadsEverything()])
    outcome = next(e.outcome for e in result.controls if e.spec.id == "CQ-02")
    assert outcome is not None
    found = {f.file: f.severity for f in outcome.findings if f.rule == "file-not-analysed"}
    assert found == {"server/app.min.js": Severity.LOW, "node_modules/dep/index.js": Severity.INFO}
    assert outcome.status_at(1) is Status.WARN  # a blind spot in server code is visible
    assert "server/app.min.js" not in ctx.reads  # never read at all
    # The JSON reader is not capped: a large lockfile still parses.
    ctx2 = make_ctx(tmp_path / "j", {"package-lock.json": '{"a": "' + big + '"}'},
                    max_text_size=1024)  # fmt: skip
    assert ctx2.json_document("package-lock.json")["a"] == big


def test_has_is_a_set_lookup(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {"a.py": ""})
    assert ctx.has("a.py") and not ctx.has("b.py")


def test_helpers_bundle_is_a_real_zip(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path / "x.mcpb", {"a.txt": b"\x00\x01"}, manifest())
    with zipfile.ZipFile(bundle) as zf:
        assert sorted(zf.namelist()) == ["a.txt", "manifest.json"]
