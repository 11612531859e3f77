"""The entry points' start-up shortcut hides only format libraries no schema of ours needs."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

from mtf_action._startup import UNUSED_FORMAT_MODULES

REPO = Path(__file__).resolve().parent.parent
# Accepted: CycloneDX's iri-reference is checked as a string only (see _startup).
UNCHECKED_ON_PURPOSE = {"iri-reference"}


def _formats(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("format"), str):
            yield node["format"]
        for value in node.values():
            yield from _formats(value)
    elif isinstance(node, list):
        for value in node:
            yield from _formats(value)


def _schemas() -> list[Path]:
    cyclonedx = Path(str(files("cyclonedx.schema") / "_res"))
    return sorted(REPO.glob("schemas/*.json")) + sorted(cyclonedx.glob("*.schema.json"))


def test_no_schema_needs_a_skipped_format() -> None:
    skipped = {fmt for formats in UNUSED_FORMAT_MODULES.values() for fmt in formats}
    used = {fmt for path in _schemas() for fmt in _formats(json.loads(path.read_text()))}
    assert {"date-time", "uri", "email"} <= used  # the scan found the schemas' formats
    assert used & skipped <= UNCHECKED_ON_PURPOSE


def test_cli_process_skips_them_and_still_checks_the_formats_in_use() -> None:
    probe = (
        "import sys, mtf_action._cli, jsonschema\n"
        "checker = jsonschema.Draft202012Validator.FORMAT_CHECKER\n"
        "print(sorted(m for m in ('isoduration', 'arrow', 'webcolors', 'rfc3987_syntax')"
        " if sys.modules.get(m) is not None))\n"
        "print([checker.conforms(v, f) for v, f in [('yesterday', 'date-time'), "
        "('2026-11-25T10:00:00Z', 'date-time'), ('::not a uri', 'uri'), ('no-at-sign', 'email')]])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["[]", "[False, True, False, False]"]
