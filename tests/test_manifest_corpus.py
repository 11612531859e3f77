"""The real-manifest corpus: every outcome pinned, and MCPB verdicts cross-checked.

``tests/data/corpus_expectations.json`` pins, per file, whether it is a valid
MCPB manifest, which schema applied, and the blocking issue codes at L1 and L2.
Regenerate it after a deliberate rule change, then review the diff:

    .venv/bin/python tests/test_manifest_corpus.py --write

The MCPB verdict is also compared with the reference verdicts of the corpus
(``declared_schema`` in ``corpus/manifests/SOURCES.tsv``), which were computed
independently with the same schemas and format checks.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from mtf_action.manifest.loader import read_manifest
from mtf_action.manifest.validation import validate_manifest

EXPECTATIONS = Path(__file__).parent / "data" / "corpus_expectations.json"

# Files where our MCPB verdict differs from the reference, each with the reason.
# Empty: on this corpus every verdict agrees. A new entry needs a written reason.
EXPECTED_DIFFERENCES: dict[str, str] = {}


def _shared() -> Path:
    return Path(os.environ.get("MTF_SHARED") or Path(__file__).resolve().parents[2] / "shared")


def _corpus_files() -> list[Path]:
    return sorted((_shared() / "corpus" / "manifests").glob("*.json"))


def outcome(path: Path) -> dict[str, Any]:
    loaded = read_manifest(path)
    at_l1 = validate_manifest(loaded, level=1)
    at_l2 = validate_manifest(loaded, level=2)
    return {
        "mcpb_valid": at_l1.mcpb_valid,
        "schema_id": at_l1.schema_id,
        "blocking_l1": at_l1.blocking_codes(),
        "blocking_l2": at_l2.blocking_codes(),
    }


def _expectations() -> dict[str, Any]:
    files: dict[str, Any] = json.loads(EXPECTATIONS.read_text(encoding="utf-8"))["files"]
    return files


def _reference() -> dict[str, str]:
    with (_shared() / "corpus" / "manifests" / "SOURCES.tsv").open(encoding="utf-8") as fh:
        return {row["file"]: row["declared_schema"] for row in csv.DictReader(fh, delimiter="\t")}


CORPUS = _corpus_files()


def test_corpus_is_present_and_fully_pinned() -> None:
    assert len(CORPUS) >= 80, f"corpus not found under {_shared()} (set MTF_SHARED)"
    assert sorted(_expectations()) == [p.name for p in CORPUS]


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_manifest_outcome_is_pinned(path: Path) -> None:
    assert outcome(path) == _expectations()[path.name]


def test_corpus_mcpb_verdicts_match_reference() -> None:
    reference = _reference()
    expected = _expectations()
    disagreements = {}
    for name, verdict in reference.items():
        reference_valid = verdict.endswith(":pass")
        if expected[name]["mcpb_valid"] != reference_valid:
            disagreements[name] = verdict
    assert set(disagreements) == set(EXPECTED_DIFFERENCES), disagreements


def test_corpus_reference_schema_choice_matches() -> None:
    """Reference ``v0.3:pass`` etc. name the schema; ``unknown-version:*`` means none."""
    expected = _expectations()
    for name, verdict in _reference().items():
        declared = verdict.split(":", 1)[0]
        ours = expected[name]["schema_id"]
        if declared.startswith("unknown-version"):
            assert ours is None, name
        else:
            assert ours == f"mcpb-manifest-{declared}", name


def test_corpus_uri_placeholder_fails_format_check() -> None:
    path = (
        _shared() / "corpus/manifests/NimbleBrainInc__mcp-server-template-typescript__manifest.json"
    )
    report = validate_manifest(read_manifest(path))
    assert not report.mcpb_valid
    assert [(i.code, i.pointer) for i in report.blocking] == [
        ("mcpb-invalid-format", "/privacy_policies/0")
    ]


def _write() -> None:
    files = {path.name: outcome(path) for path in _corpus_files()}
    document = {
        "_about": "Pinned outcomes of `mtf-attest validate` on shared/corpus/manifests "
        "(regenerate: python tests/test_manifest_corpus.py --write, then review the diff).",
        "files": files,
    }
    EXPECTATIONS.parent.mkdir(parents=True, exist_ok=True)
    EXPECTATIONS.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    valid = sum(1 for f in files.values() if f["mcpb_valid"])
    print(f"wrote {EXPECTATIONS}: {len(files)} files, {valid} MCPB-valid")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/test_manifest_corpus.py --write")
    _write()
