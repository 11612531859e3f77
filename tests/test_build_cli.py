"""``mtf-attest build`` end to end: determinism, outputs, and every error path.

Vendoring runs offline from the test cache (``make test-fixtures``); error
cases use small trees written into ``tmp_path``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

import fixture_cache as fixtures
from mtf_action._cli import main
from mtf_action.errors import ExitCode

EPOCH = 1_700_000_000
STEM = "mtf-examples-unit-converter-1.0.0"


def _snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    """Every file under root with size, mtime and digest: proves nothing was written there."""
    snap = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            st = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            snap[str(path.relative_to(root))] = (st.st_size, st.st_mtime_ns, digest)
    return snap


@pytest.fixture
def offline_pip(
    monkeypatch: pytest.MonkeyPatch, cache_dir: Path, offline_pip_env: dict[str, str]
) -> None:
    for key, value in fixtures.offline_pip_overrides(cache_dir).items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def python_source(tmp_path: Path, examples_dir: Path) -> Path:
    """A private copy of the Python example (not in git: the epoch comes from flags/env)."""
    tree = tmp_path / "src" / "python-units"
    shutil.copytree(examples_dir / "python-units", tree)
    return tree


def _build(source: Path, out: Path, *extra: str) -> int:
    return main(["build", str(source), "--output-dir", str(out), *extra])


@pytest.mark.slow
def test_two_builds_are_byte_identical_and_epoch_changes_digest(
    offline_pip: None, python_source: Path, tmp_path: Path
) -> None:
    before = _snapshot(python_source)
    outs = [tmp_path / "a", tmp_path / "b", tmp_path / "c"]
    assert _build(python_source, outs[0], "--source-date-epoch", str(EPOCH)) == 0
    assert _build(python_source, outs[1], "--source-date-epoch", str(EPOCH)) == 0
    assert _build(python_source, outs[2], "--source-date-epoch", str(EPOCH + 2)) == 0
    for suffix in (".mcpb", ".sbom.cdx.json", ".hashes.json"):
        first = (outs[0] / f"{STEM}{suffix}").read_bytes()
        assert first == (outs[1] / f"{STEM}{suffix}").read_bytes(), suffix
    assert (outs[0] / f"{STEM}.mcpb").read_bytes() != (outs[2] / f"{STEM}.mcpb").read_bytes()
    # The source tree is never written to (vendoring happens in OUT's staging area).
    assert _snapshot(python_source) == before
    # Only the three outputs are left in OUT: no staging directory, no temp files.
    assert sorted(p.name for p in outs[0].iterdir()) == sorted(
        f"{STEM}{s}" for s in (".hashes.json", ".mcpb", ".sbom.cdx.json")
    )


@pytest.mark.slow
def test_outputs_agree_with_the_archive(
    offline_pip: None, python_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert _build(python_source, out, "--source-date-epoch", str(EPOCH), "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    bundle = out / f"{STEM}.mcpb"
    data = bundle.read_bytes()
    assert summary["bundle"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert summary["bundle"]["size"] == len(data)
    hashes = json.loads((out / f"{STEM}.hashes.json").read_text())
    assert hashes["bundle"]["sha256"] == summary["bundle"]["sha256"]
    with zipfile.ZipFile(bundle) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    # hashes.json lists exactly the members, with their real digests and sizes.
    assert [f["path"] for f in hashes["files"]] == sorted(members)
    for entry in hashes["files"]:
        content = members[entry["path"]]
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["size"] == len(content)
    assert summary["file_count"] == len(members)
    # The SBOM inside the bundle is the one written beside it (SC-01).
    assert members["sbom.cdx.json"] == (out / f"{STEM}.sbom.cdx.json").read_bytes()
    sbom = json.loads(members["sbom.cdx.json"])
    assert sbom["specVersion"] == "1.6"
    versions = {canonicalize_name(c["name"]): c["version"] for c in sbom["components"]}
    # Completeness: every vendored distribution is a component with its exact version.
    dist_infos = {n.split("/")[1] for n in members if n.startswith("deps/") and ".dist-info/" in n}
    assert dist_infos, "nothing was vendored into deps/"
    for dist_info in dist_infos:
        name, version = dist_info.removesuffix(".dist-info").rsplit("-", 1)
        assert versions.get(canonicalize_name(name)) == version, dist_info
    assert summary["component_count"] == len(dist_infos)
    # Never packed: VCS data, env files, bytecode, other bundles.
    assert not any(
        n.startswith((".git/", ".env")) or "/.env" in n or n.endswith((".pyc", ".mcpb"))
        for n in members
    )


def test_no_vendor_packs_the_tree_as_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "srv"
    (src / "deps" / "pkg").mkdir(parents=True)
    (src / "deps" / "pkg" / "__init__.py").write_text("X = 1\n")
    (src / "server.py").write_text("print('hi')\n")
    (src / ".env").write_text("SECRET=1\n")
    (src / ".mcpbignore").write_text("notes.txt\n")
    (src / "notes.txt").write_text("private\n")
    (src / "manifest.json").write_text(json.dumps(_manifest()))
    out = tmp_path / "out"
    assert _build(src, out, "--no-vendor", "--source-date-epoch", str(EPOCH), "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    with zipfile.ZipFile(summary["bundle"]["path"]) as zf:
        names = zf.namelist()
    assert names == sorted(names)
    assert set(names) == {"deps/pkg/__init__.py", "manifest.json", "sbom.cdx.json", "server.py"}
    assert summary["vendored_with"] is None


def _manifest(**override: object) -> dict[str, object]:
    manifest: dict[str, object] = {
        "manifest_version": "0.4",
        "name": "@acme/tiny",
        "version": "1.0.0",
        "description": "tiny",
        "author": {"name": "Acme", "email": "dev@acme.example"},
        "server": {
            "type": "python",
            "entry_point": "server.py",
            "mcp_config": {"command": "python", "args": ["${__dirname}/server.py"]},
        },
        "tools": [],
    }
    manifest.update(override)
    return manifest


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[Path]:
    src = tmp_path / "tiny"
    src.mkdir()
    (src / "server.py").write_text("print('hi')\n")
    (src / "manifest.json").write_text(json.dumps(_manifest()))
    yield src


def _fails(
    capsys: pytest.CaptureFixture[str], argv: list[str], code: ExitCode, *needles: str
) -> str:
    assert main(argv) == code
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        (None, ["manifest.json", "missing"]),
        ('{"name": "x",\n  "version" "1"}', ["manifest.json", "line 2", "column"]),
        (json.dumps(_manifest(version=7)), ["manifest.json"]),
        (
            json.dumps(_manifest(server={"type": "ruby", "entry_point": "s.rb"})),
            ["manifest.json", "invalid MCPB manifest"],
        ),
    ],
    ids=["missing", "malformed", "wrong-type", "unknown-server-type"],
)
def test_bad_manifest_is_one_line_exit_3_and_writes_nothing(
    tiny: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
    needles: list[str],
) -> None:
    manifest = tiny / "manifest.json"
    if content is None:
        manifest.unlink()
    else:
        manifest.write_text(content)
    out = tmp_path / "out"
    line = _fails(capsys, ["build", str(tiny), "-o", str(out)], ExitCode.INVALID_INPUT, *needles)
    assert str(tiny) in line or "manifest.json" in line
    assert not out.exists() or not any(out.iterdir())


def test_not_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope"
    _fails(
        capsys, ["build", str(missing), "-o", str(tmp_path / "o")], ExitCode.INVALID_INPUT, "nope"
    )


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root can read any file, so no unreadable file exists"
)
def test_unreadable_file(tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tiny / "data.bin"
    secret.write_bytes(b"x")
    secret.chmod(0)
    _fails(
        capsys,
        ["build", str(tiny), "-o", str(tmp_path / "o"), "--no-vendor"],
        ExitCode.INVALID_INPUT,
        "data.bin",
    )


def test_escaping_symlink_is_refused(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("not yours\n")
    (tiny / "link.txt").symlink_to(outside)
    out = tmp_path / "o"
    _fails(
        capsys,
        ["build", str(tiny), "-o", str(out), "--no-vendor"],
        ExitCode.INVALID_INPUT,
        "link.txt",
    )
    assert not list(out.glob("*.mcpb"))


def test_dependency_that_cannot_be_vendored(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pinned, hashed requirement that the (empty, offline) index cannot provide: exit 4."""
    empty = tmp_path / "empty-index"
    empty.mkdir()
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(empty))
    (tiny / "requirements.txt").write_text(
        "not-a-real-package-mtf==1.0.0 --hash=sha256:" + "0" * 64 + "\n"
    )
    out = tmp_path / "o"
    _fails(capsys, ["build", str(tiny), "-o", str(out)], ExitCode.ENVIRONMENT, "requirements.txt")
    # No half-written bundle, no staging directory left behind.
    assert not out.exists() or list(out.iterdir()) == []


def test_bad_source_date_epoch(tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    _fails(capsys, ["build", str(tiny), "-o", str(tmp_path / "o"), "--no-vendor"], ExitCode.USAGE,
           "SOURCE_DATE_EPOCH")  # fmt: skip


def test_usage_error_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build"]) == ExitCode.USAGE
    assert "required" in capsys.readouterr().err


def test_quiet_json_and_debug_flags(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["build", str(tiny), "--no-vendor", "--source-date-epoch", str(EPOCH)]
    assert main([*base, "-o", str(tmp_path / "q"), "--quiet"]) == 0
    quiet = capsys.readouterr()
    assert quiet.out == "" and quiet.err == ""
    assert main([*base, "-o", str(tmp_path / "j"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "@acme/tiny"
    (tiny / "manifest.json").write_text("{")
    assert main([*base, "-o", str(tmp_path / "d"), "--debug"]) == ExitCode.INVALID_INPUT
    assert "Traceback" in capsys.readouterr().err  # --debug adds the traceback
