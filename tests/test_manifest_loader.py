"""AI-01 step 1: loading manifest.json from a directory, a file or a .mcpb, refusing bad input."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from manifest_samples import l1_manifest, write
from mtf_action._cli import main
from mtf_action.errors import ExitCode, ManifestError
from mtf_action.manifest.loader import parse_manifest_bytes, read_manifest


def _make_bundle(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


# -- the three kinds of source ---------------------------------------------------------


def test_ai01_reads_directory_file_and_bundle_with_exact_bytes(tmp_path: Path) -> None:
    data = json.dumps(l1_manifest(), indent=2).encode()
    manifest = write(tmp_path / "srv", data)

    from_dir = read_manifest(tmp_path / "srv")
    from_file = read_manifest(manifest)
    bundle = _make_bundle(tmp_path / "x.mcpb", {"manifest.json": data, "server.py": b""})
    from_bundle = read_manifest(bundle)

    assert from_dir.source == str(manifest)
    assert from_file.source == str(manifest)
    assert from_bundle.source == f"{bundle}!manifest.json"
    for loaded in (from_dir, from_file, from_bundle):
        assert loaded.data == data
        assert loaded.raw["name"] == "weather"


def test_ai01_key_lines_are_indexed(tmp_path: Path) -> None:
    text = '{\n  "name": "a",\n  "tools": [\n    {"name": "t"},\n    {\n      "x": 1\n    }\n  ]\n}'
    loaded = read_manifest(write(tmp_path, text))
    assert loaded.line_of("/name") == 2
    assert loaded.line_of("/tools/1") == 5
    assert loaded.line_of("/tools/1/x") == 6
    assert loaded.line_of("/tools/1/missing") == 5  # falls back to the parent
    assert loaded.line_of("") is None


# -- every refusal: one line, naming the file ------------------------------------------


def _refusal(tmp_path: Path, content: str | bytes, **limits: int) -> str:
    path = write(tmp_path, content)
    with pytest.raises(ManifestError) as info:
        read_manifest(path, **limits)
    line = info.value.one_line()
    assert "\n" not in line
    assert line.startswith(f"{path}: "), line
    assert info.value.exit_code == ExitCode.INVALID_INPUT
    return line


def test_ai01_missing_manifest_in_directory(tmp_path: Path) -> None:
    with pytest.raises(ManifestError) as info:
        read_manifest(tmp_path)
    assert info.value.one_line() == (
        f"{tmp_path / 'manifest.json'}: missing: AI-01 requires manifest.json at the bundle root"
    )


def test_ai01_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="no such file or directory"):
        read_manifest(tmp_path / "nope.json")


def test_ai01_unreadable_path(tmp_path: Path) -> None:
    (tmp_path / "srv" / "manifest.json").mkdir(parents=True)  # a directory where a file should be
    with pytest.raises(ManifestError) as info:
        read_manifest(tmp_path / "srv")
    assert info.value.one_line().startswith(f"{tmp_path / 'srv' / 'manifest.json'}: cannot read (")


def test_ai01_size_limit(tmp_path: Path) -> None:
    line = _refusal(tmp_path, json.dumps(l1_manifest()), max_size=100)
    assert "over the limit of 100 bytes" in line


def test_ai01_invalid_utf8_names_byte_offset(tmp_path: Path) -> None:
    assert _refusal(tmp_path, b'{"name": "\xff"}').endswith("not valid UTF-8 at byte offset 10")


def test_ai01_byte_order_mark_refused(tmp_path: Path) -> None:
    assert "byte order mark" in _refusal(tmp_path, b'\xef\xbb\xbf{"name": "a"}')


def test_ai01_malformed_json_reports_line_and_column(tmp_path: Path) -> None:
    line = _refusal(tmp_path, '{\n  "name": "a"\n  "version": "1.0.0"\n}')
    assert line.endswith("manifest.json: invalid JSON at line 3, column 3: Expecting ',' delimiter")


@pytest.mark.parametrize("depth", [65, 100_000])
def test_ai01_nesting_limit_without_recursion_error(tmp_path: Path, depth: int) -> None:
    text = '{"a": ' + "[" * depth + "]" * depth + "}"
    line = _refusal(tmp_path, text)
    assert "nested deeper than 64 levels (at line 1)" in line


def test_ai01_nesting_at_the_limit_is_fine_and_brackets_in_strings_do_not_count(
    tmp_path: Path,
) -> None:
    text = '{"s": "' + "[" * 500 + '", "a": ' + "[" * 63 + "]" * 63 + "}"
    assert read_manifest(write(tmp_path, text)).raw["s"].startswith("[[[")


def test_ai01_nesting_limit_is_configurable(tmp_path: Path) -> None:
    assert "deeper than 2 levels" in _refusal(tmp_path, '{"a": {"b": {}}}', max_depth=2)


def test_ai01_duplicate_keys_refused_with_location(tmp_path: Path) -> None:
    text = '{\n  "author": {\n    "name": "a",\n    "name": "b"\n  }\n}'
    line = _refusal(tmp_path, text)
    assert "duplicate object key 'name' at /author/name (line 4)" in line


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_ai01_non_finite_numbers_refused(tmp_path: Path, literal: str) -> None:
    line = _refusal(tmp_path, '{"x": ' + literal + "}")
    assert "invalid JSON" in line
    assert ("not valid JSON" in line) or ("out of range" in line)


def test_ai01_huge_integer_refused(tmp_path: Path) -> None:
    assert "invalid JSON" in _refusal(tmp_path, '{"x": ' + "9" * 5000 + "}")


@pytest.mark.parametrize(
    ("text", "found"),
    [("[]", "an array"), ('"x"', "a string"), ("3", "a number"), ("null", "null")],
)
def test_ai01_top_level_must_be_object(tmp_path: Path, text: str, found: str) -> None:
    assert _refusal(tmp_path, text).endswith(f"top level must be a JSON object, found {found}")


def test_ai01_unpaired_surrogate_refused(tmp_path: Path) -> None:
    assert "unpaired UTF-16 surrogate" in _refusal(tmp_path, '{"name": "\\ud800"}')


def test_parse_manifest_bytes_names_the_source() -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest_bytes(b"{", "x.mcpb!manifest.json")
    assert info.value.one_line().startswith("x.mcpb!manifest.json: invalid JSON at line 1")


# -- bundles ---------------------------------------------------------------------------


def test_ai01_bundle_without_manifest(tmp_path: Path) -> None:
    bundle = _make_bundle(tmp_path / "x.mcpb", {"sub/manifest.json": b"{}"})
    with pytest.raises(ManifestError) as info:
        read_manifest(bundle)
    line = info.value.one_line()
    assert line.startswith(f"{bundle}!manifest.json: missing")
    assert "found 'sub/manifest.json'; it must be at the root" in line


def test_ai01_bundle_manifest_over_limit(tmp_path: Path) -> None:
    bundle = _make_bundle(
        tmp_path / "x.mcpb", {"manifest.json": json.dumps(l1_manifest()).encode()}
    )
    with pytest.raises(ManifestError, match="exceed the limit of 50 bytes"):
        read_manifest(bundle, max_size=50)


def test_ai01_bundle_malformed_manifest_names_member(tmp_path: Path) -> None:
    bundle = _make_bundle(tmp_path / "x.mcpb", {"manifest.json": b'{"a": }'})
    with pytest.raises(ManifestError) as info:
        read_manifest(bundle)
    assert info.value.one_line().startswith(f"{bundle}!manifest.json: invalid JSON at line 1")


# -- the CLI turns every refusal into exit 3 and one line -----------------------------


@pytest.mark.parametrize(
    "content",
    [b'{"a": 1,}', b"\xef\xbb\xbf{}", b'{"a": 1, "a": 2}', b"[1]", b'{"n": NaN}', b"\xc3("],
)
def test_cli_validate_bad_input_exit_3_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = write(tmp_path, content)
    assert main(["validate", str(path)]) == ExitCode.INVALID_INPUT
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}: ")


def test_cli_validate_missing_manifest_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path)]) == ExitCode.INVALID_INPUT
    err = capsys.readouterr().err
    assert "missing: AI-01 requires manifest.json" in err
    assert "Traceback" not in err
