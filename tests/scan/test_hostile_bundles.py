"""Hostile bundles are refused or reported, never followed (issue 3, "Bad input").

Each case gives either a one-line error with exit code 3 naming the member, or
a report with a finding. Nothing is written outside a private temporary
directory: the bundle's directory and the working directory are unchanged.
"""

from __future__ import annotations

import json
import os
import stat
import struct
import tempfile
import time
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import manifest

from mtf_action._cli import main

GOOD_MANIFEST = json.dumps(manifest())


def snapshot(*dirs: Path) -> dict[str, tuple[int, float]]:
    found: dict[str, tuple[int, float]] = {}
    for directory in dirs:
        for path in directory.rglob("*"):
            st = path.lstat()
            found[str(path)] = (st.st_size, st.st_mtime)
    return found


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory for the bundles, an empty working directory, a private temp dir.

    After the test the temp dir must be empty again: extraction directories are
    removed whether the scan succeeded or refused the bundle.
    """
    bundles = tmp_path / "bundles"
    bundles.mkdir()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    yield bundles
    assert list(private_tmp.iterdir()) == []


def scan(bundle: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``mtf-attest scan``; asserts the bundle's directory and the cwd did not change."""
    before = snapshot(bundle.parent, Path.cwd())
    code = main(["scan", str(bundle), "--format", "json", *args])
    out, err = capsys.readouterr()
    assert snapshot(bundle.parent, Path.cwd()) == before, "scan wrote next to the bundle or cwd"
    return code, out, err


def zip_with(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name" is what we want here
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in members:
                zf.writestr(info, data)
    return path


def refused(code: int, err: str, *needles: str) -> None:
    assert code == 3, err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.py", "zip slip"),
        ("server/../../evil.py", "zip slip"),
        ("/etc/evil.py", "absolute path"),
        ("C:/evil.py", "absolute path"),
        ("dir\\evil.py", "backslash"),
    ],
)
def test_unsafe_member_names_are_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str], name: str, reason: str
) -> None:
    bundle = zip_with(workdir / "b.mcpb", [("manifest.json", GOOD_MANIFEST.encode()), (name, b"x")])
    code, out, err = scan(bundle, capsys=capsys)
    refused(code, err, reason, name)
    assert out == ""
    assert not (workdir.parent / "evil.py").exists()


def test_symlink_member_is_refused(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = zipfile.ZipInfo("server/link.py")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    bundle = zip_with(
        workdir / "b.mcpb", [("manifest.json", GOOD_MANIFEST.encode()), (link, b"/etc/passwd")]
    )
    code, _, err = scan(bundle, capsys=capsys)
    refused(code, err, "symbolic link", "server/link.py")


def test_duplicate_names_are_refused(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = zip_with(
        workdir / "b.mcpb",
        [("manifest.json", GOOD_MANIFEST.encode()), ("manifest.json", b'{"name": "other"}')],
    )
    code, _, err = scan(bundle, capsys=capsys)
    refused(code, err, "duplicate", "manifest.json")


@pytest.mark.parametrize(
    "names",
    [["lib", "lib/evil.py"], ["lib/evil.py", "lib"], ["a/b.py", "a/./b.py"]],
    ids=["file-then-dir", "dir-then-file", "same-after-normalising"],
)
def test_conflicting_member_names_are_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str], names: list[str]
) -> None:
    members = [("manifest.json", GOOD_MANIFEST.encode()), *((n, b"x = 1\n") for n in names)]
    bundle = zip_with(workdir / "b.mcpb", members)
    code, _, err = scan(bundle, capsys=capsys)
    refused(code, err, "conflicting member names")


def _zeros_member(zf: zipfile.ZipFile, name: str, size: int) -> None:
    chunk = bytes(1 << 20)
    with zf.open(name, "w", force_zip64=True) as fh:
        for _ in range(size // len(chunk)):
            fh.write(chunk)


def test_zip_bomb_ratio_is_refused_before_inflating(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = workdir / "bomb.mcpb"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", GOOD_MANIFEST)
        _zeros_member(zf, "payload.bin", 200 * 1024 * 1024)  # ~200 KB compressed
    assert bundle.stat().st_size < 1024 * 1024
    started = time.monotonic()
    code, _, err = scan(bundle, capsys=capsys)
    refused(code, err, "compression ratio", "payload.bin")
    assert time.monotonic() - started < 2  # decided from the central directory


def test_ratio_limit_is_configurable(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = workdir / "zeros.mcpb"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", GOOD_MANIFEST)
        _zeros_member(zf, "zeros.bin", 4 * 1024 * 1024)
    code, out, err = scan(bundle, "--max-ratio", "2000", capsys=capsys)
    assert code in (0, 1), err  # scanned: a policy verdict, not refused input
    assert json.loads(out)["bundle"]["name"] == "@acme/demo"


def test_small_members_may_compress_well(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Below 1 MiB a high ratio cannot inflate into anything the size limits allow."""
    bundle = workdir / "padded.mcpb"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", GOOD_MANIFEST)
        zf.writestr("assets/padding.bin", bytes(512 * 1024))  # ~1000:1
    code, out, err = scan(bundle, capsys=capsys)
    assert code in (0, 1), err
    assert json.loads(out)["bundle"]["name"] == "@acme/demo"


def test_total_size_limit(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members = [(f"f{i}.bin", os.urandom(300_000)) for i in range(4)]
    bundle = zip_with(workdir / "big.mcpb", [("manifest.json", GOOD_MANIFEST.encode()), *members])
    code, _, err = scan(bundle, "--max-bundle-size", "1M", capsys=capsys)
    refused(code, err, "total uncompressed size exceeds 1048576")
    code, _, err = scan(bundle, "--max-bundle-size", "2M", capsys=capsys)
    assert code in (0, 1), err


def test_per_file_size_limit(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = zip_with(
        workdir / "b.mcpb",
        [("manifest.json", GOOD_MANIFEST.encode()), ("big.bin", os.urandom(600_000))],
    )
    code, _, err = scan(bundle, "--max-file-size", "512K", capsys=capsys)
    refused(code, err, "per-file limit", "big.bin")


def test_lying_size_header_is_caught_while_inflating(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = zip_with(
        workdir / "liar.mcpb",
        [("manifest.json", GOOD_MANIFEST.encode()), ("data.txt", b"A" * 10_000)],
    )
    # Rewrite the central directory's uncompressed size of data.txt to 100 bytes.
    raw = bytearray(bundle.read_bytes())
    central = raw.rfind(b"PK\x01\x02", 0, raw.rfind(b"data.txt"))
    assert central != -1
    raw[central + 24 : central + 28] = struct.pack("<I", 100)
    bundle.write_bytes(bytes(raw))
    code, _, err = scan(bundle, "--max-ratio", "10000", capsys=capsys)
    refused(code, err, "data.txt")


def test_binary_and_non_utf8_files_are_scanned_without_crashing(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = zip_with(
        workdir / "b.mcpb",
        [
            ("manifest.json", GOOD_MANIFEST.encode()),
            ("server.py", b"print('ok')\n"),
            ("latin1.py", "nom = 'caf\xe9'\n".encode("latin-1")),
            ("utf16.js", "const x = 1;\n".encode("utf-16")),
            ("image.png", b"\x89PNG\r\n\x1a\n" + os.urandom(4096)),
            ("lib.so", b"\x7fELF" + os.urandom(8192)),
        ],
    )
    code, out, err = scan(bundle, capsys=capsys)
    assert code in (0, 1), err
    report = json.loads(out)
    errors = {
        cid: c.get("error")
        for d in report["domains"].values()
        for cid, c in d["controls"].items()
        if c["status"] == "error"
    }
    assert errors == {}


def test_deeply_nested_json_files(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = "[" * 200_000 + "]" * 200_000
    members = [
        ("manifest.json", ('{"x":' * 5_000 + "1" + "}" * 5_000).encode()),
        ("package.json", deep.encode()),
        ("sbom.cdx.json", deep.encode()),
        ("data/config.json", deep.encode()),
    ]
    with zipfile.ZipFile(workdir / "deep.mcpb", "w", zipfile.ZIP_STORED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    code, out, err = scan(workdir / "deep.mcpb", capsys=capsys)
    assert code == 1, err  # a report: AI-01 fails on the manifest
    report = json.loads(out)
    ai01 = report["domains"]["artifact_integrity"]["controls"]["AI-01"]
    assert ai01["status"] == "fail"
    assert "nested deeper than" in ai01["findings"][0]["description"]
    assert "Traceback" not in err


def test_huge_minified_javascript_does_not_stall_the_scan(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = "var a=function(b){return eval(b)};" * 1000
    script = (line * ((50 * 1024 * 1024) // len(line) + 1)).encode()
    assert len(script) >= 50 * 1024 * 1024
    raw = manifest()
    raw["server"] = {
        "type": "node",
        "entry_point": "server/index.js",
        "mcp_config": {"command": "node", "args": ["${__dirname}/server/index.js"]},
    }
    bundle = workdir / "minified.mcpb"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(raw))
        zf.writestr("server/index.js", "require('./app.min.js');\n")
        zf.writestr("server/app.min.js", script)
    started = time.monotonic()
    code, out, err = scan(bundle, "--max-ratio", "100000", capsys=capsys)
    elapsed = time.monotonic() - started
    assert code in (0, 1), err
    assert elapsed < 30, f"scan took {elapsed:.1f}s"
    report = json.loads(out)
    statuses = {
        cid: c["status"] for d in report["domains"].values() for cid, c in d["controls"].items()
    }
    assert "error" not in statuses.values()
    # The code-quality controls say they did not analyse the file, none passes over it silently.
    reported = {f["control"] for f in report["findings"] if f.get("file") == "server/app.min.js"}
    assert reported & {"CQ-01", "CQ-02", "CQ-03", "CQ-05"}, report["findings"]
    assert {f["severity"] for f in report["findings"] if f.get("rule") == "file-not-analysed"} <= {
        "low"
    }  # server code: a visible, non-blocking blind spot


def test_member_count_limit(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members = [(f"m{i}.txt", b"x") for i in range(20)]
    bundle = zip_with(workdir / "many.mcpb", [("manifest.json", GOOD_MANIFEST.encode()), *members])
    code, _, err = scan(bundle, "--max-files", "10", capsys=capsys)
    refused(code, err, "21 members exceed the limit of 10")


@pytest.mark.parametrize("text_cap", [None, "1000"])
def test_corrupt_member_is_refused_even_when_no_control_reads_it(
    workdir: Path, capsys: pytest.CaptureFixture[str], text_cap: str | None
) -> None:
    # A stored (uncompressed) member with one byte flipped: only its CRC-32 tells.
    # With a 1000-byte text cap no text analysis reads it, so the end-of-scan
    # check of unread members must catch it.
    blob = zipfile.ZipInfo("assets/blob.bin")
    blob.compress_type = zipfile.ZIP_STORED
    payload = bytes(range(256)) * 40
    bundle = zip_with(
        workdir / "crc.mcpb", [("manifest.json", GOOD_MANIFEST.encode()), (blob, payload)]
    )
    raw = bytearray(bundle.read_bytes())
    at = raw.find(payload)
    raw[at + 5000] ^= 0xFF
    bundle.write_bytes(bytes(raw))
    args = ("--max-text-size", text_cap) if text_cap else ()
    code, out, err = scan(bundle, *args, capsys=capsys)
    refused(code, err, "assets/blob.bin", "corrupt member")
    assert out == ""


def test_corrupt_unread_member_is_caught_by_the_forked_check(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The end-of-scan CRC check of unread members, run in forked children."""
    from mtf_action.errors import BundleError
    from mtf_action.scan import parallel
    from mtf_action.scan.context import ScanContext, ScanOptions

    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    payload = bytes(range(256)) * 40
    blobs = []
    for i in range(6):
        info = zipfile.ZipInfo(f"assets/blob{i}.bin")
        info.compress_type = zipfile.ZIP_STORED
        blobs.append((info, payload[i:] + payload[:i]))
    bundle = zip_with(workdir / "crc.mcpb", [("manifest.json", GOOD_MANIFEST.encode()), *blobs])
    raw = bytearray(bundle.read_bytes())
    raw[raw.find(blobs[4][1]) + 5000] ^= 0xFF
    bundle.write_bytes(bytes(raw))
    with ScanContext.for_bundle(bundle, ScanOptions()) as ctx:
        ctx.read_text("manifest.json")
        ctx.start_verification()
        assert ctx._verifying is not None and ctx._verifying[1]._children  # forked
        with pytest.raises(BundleError, match="corrupt member") as caught:
            ctx.verify_unread()
        assert caught.value.path == f"{bundle}!assets/blob4.bin"
