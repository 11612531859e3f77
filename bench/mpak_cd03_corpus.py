"""mpak-scanner's CD-03 (tool description safety) on the shared description corpus.

Raw data for the CD-03 comparison asked for in the MCP-controls issue: what the
reference scanner catches on the same samples mtf-attest is measured on. Runs
inside mpak-scanner's own venv (it imports ``mpak_scanner``)::

    .cache/bench/mpak-venv/bin/python bench/mpak_cd03_corpus.py \\
        --corpus ../shared/corpus --json-out dist/bench/mpak_cd03_corpus.json

Each description is checked alone, as the only tool of a manifest, with
mpak-scanner's CD-03 control (it reads ``name`` and ``description`` only).
Two verdicts are recorded: *blocking* (the control fails: a critical or high
finding) and *flagged* (any finding above info). Sets: ``poisoned.jsonl``,
``benign.jsonl`` and every tool description of the real manifests. With
``--split`` (mtf-attest's frozen CD-03 development/held-out split,
``tests/data/cd03_split.json``) the poisoned and benign sets are also summarised
per part, keyed the same way (sha256 of the split's salt and the description).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from mpak_scanner.controls.capability_declaration import CD03ToolDescriptionSafety


def _jsonl(path: Path, set_name: str) -> Iterator[dict[str, Any]]:
    for index, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if line.strip():
            row = json.loads(line)
            yield {"set": set_name, "id": f"{path.name}:{index + 1}", **row}


def _manifest_tools(directory: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(directory.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        tools = doc.get("tools") if isinstance(doc, dict) else None
        for index, tool in enumerate(tools if isinstance(tools, list) else []):
            if isinstance(tool, dict) and isinstance(tool.get("description"), str):
                yield {
                    "set": "real_manifests",
                    "id": f"{path.name}#tools[{index}]",
                    "tool_name": tool.get("name", ""),
                    "description": tool["description"],
                    "label": "unlabelled",
                    "category": "real_manifest",
                }


def _part_of(split: dict[str, Any] | None) -> dict[str, str]:
    """description key -> part ("development" / "held_out"), for poisoned and benign."""
    if split is None:
        return {}
    parts: dict[str, str] = {}
    for set_name in ("poisoned", "benign"):
        for part, keys in split["sets"].get(set_name, {}).items():
            parts.update(dict.fromkeys(keys, part))
    return parts


def check(control: CD03ToolDescriptionSafety, work: Path, sample: dict[str, Any]) -> dict[str, Any]:
    manifest = {"tools": [{"name": sample["tool_name"], "description": sample["description"]}]}
    result = control.run(work, manifest)
    real = [f for f in result.findings if f.severity.value != "info"]
    return {
        "set": sample["set"],
        "id": sample["id"],
        "label": sample.get("label"),
        "category": sample.get("category"),
        "status": result.status.value,
        "blocking": result.status.value == "fail",
        "flagged": bool(real),
        "severities": dict(Counter(f.severity.value for f in real)),
        "rules": sorted({str(f.metadata.get("category", f.title)) for f in real}),
    }


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_category: dict[str, Counter[str]] = {}
    for row in rows:
        c = by_category.setdefault(str(row["category"]), Counter())
        c["n"] += 1
        c["blocking"] += row["blocking"]
        c["flagged"] += row["flagged"]
    n = len(rows)
    blocking = sum(r["blocking"] for r in rows)
    flagged = sum(r["flagged"] for r in rows)
    return {
        "n": n,
        "blocking": blocking,
        "flagged": flagged,
        "blocking_rate": round(blocking / n, 4) if n else None,
        "flagged_rate": round(flagged / n, 4) if n else None,
        "by_category": {k: dict(v) for k, v in sorted(by_category.items())},
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="shared/corpus directory")
    parser.add_argument("--json-out", type=Path, required=True)
    parser.add_argument("--split", type=Path, help="tests/data/cd03_split.json (optional)")
    args = parser.parse_args(argv)
    split = json.loads(args.split.read_text(encoding="utf-8")) if args.split else None
    parts = _part_of(split)
    descriptions = args.corpus / "tool_descriptions"
    samples = [
        *_jsonl(descriptions / "poisoned.jsonl", "poisoned"),
        *_jsonl(descriptions / "benign.jsonl", "benign"),
        *_manifest_tools(args.corpus / "manifests"),
    ]
    control = CD03ToolDescriptionSafety()
    with tempfile.TemporaryDirectory(prefix="mpak-cd03-") as tmp:
        rows = [check(control, Path(tmp), s) for s in samples]
    if split is not None:
        salt = split["salt"]
        for sample, row in zip(samples, rows, strict=True):
            if sample["set"] in ("poisoned", "benign"):
                key = hashlib.sha256((salt + sample["description"]).encode("utf-8")).hexdigest()
                row["part"] = parts.get(key, "unassigned")
    sets = {
        name: summarise([r for r in rows if r["set"] == name])
        for name in dict.fromkeys(r["set"] for r in rows)
    }
    by_part = {
        f"{name}/{part}": summarise([r for r in rows if r["set"] == name and r.get("part") == part])
        for name in ("poisoned", "benign")
        for part in ("development", "held_out")
        if split is not None
    }
    document = {
        "benchmark": "mpak-scanner CD-03 on the shared tool-description corpus",
        "mpak_scanner_version": version("mpak-scanner"),
        "verdicts": {
            "blocking": "CD-03 status fail (a critical or high finding)",
            "flagged": "any finding above info (includes medium: suspicious URL, semantic mismatch)",
        },
        "sets": sets,
        "sets_by_part": by_part,
        "samples": rows,
    }
    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    for name, s in {**sets, **by_part}.items():
        print(
            f"{name:22} n={s['n']:4}  blocking {s['blocking']:4} ({s['blocking_rate']:.1%})"
            f"  flagged {s['flagged']:4} ({s['flagged_rate']:.1%})"
        )
    print(f"wrote {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
