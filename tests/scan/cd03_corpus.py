"""The CD-03 measurement data: poisoned/benign tool descriptions and real manifests.

Three sets, each split once into a development part (rules were written
looking at these samples only) and a held-out part (never read while writing
rules; only measured):

- ``poisoned``: ../shared/corpus/tool_descriptions/poisoned.jsonl
- ``benign``: ../shared/corpus/tool_descriptions/benign.jsonl
- ``manifests``: every tool, prompt and server text of ../shared/corpus/manifests/*.json
  (one sample per tool or prompt: its name, description, schema texts, template).

A sample's key is the SHA-256 of a fixed salt and its text, not of its source:
the same text appears under several sources (a benign manifest description is
also in ``benign.jsonl``; SOURCES.md lists cross-source duplicates), and keying
on the text puts every copy in the same part, so nothing leaks from held-out
into development. Poisoned samples are split per category (the first 30 %,
rounded, of each category's sorted keys are held out) so the held-out part
covers the categories; the large benign sets use ``key mod 10 < 3``.
``tests/data/cd03_split.json`` freezes the assignment (hashes only).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mtf_action.scan.descriptions import Detection, scan_fields
from mtf_action.scan.descriptions.fields import DescriptionField, manifest_fields, tool_fields

SALT = "mtf-attest/cd03-split/v1\n"
HELD_OUT_SHARE = 0.3
SPLIT_FILE = Path(__file__).resolve().parent.parent / "data" / "cd03_split.json"
SETS = ("poisoned", "benign", "manifests")
Part = Literal["development", "held_out"]
PARTS: tuple[Part, ...] = ("development", "held_out")


@dataclass(frozen=True)
class Sample:
    set: str
    key: str
    category: str
    origin: str  # source and tool name, or manifest file and pointer
    fields: tuple[DescriptionField, ...]


def text_key(text: str) -> str:
    return hashlib.sha256((SALT + text).encode("utf-8")).hexdigest()


def _jsonl(path: Path, set_name: str) -> Iterator[Sample]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record: dict[str, Any] = json.loads(line)
        tool = {"name": record["tool_name"], "description": record["description"]}
        yield Sample(
            set_name,
            text_key(record["description"]),
            record["category"],
            f"{record['source']}#{record['tool_name']}",
            tuple(tool_fields(tool)),
        )


def _manifest_samples(directory: Path) -> Iterator[Sample]:
    seen: set[tuple[str, ...]] = set()
    for path in sorted(directory.glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue  # AI-01's corpus test covers unreadable manifests
        if not isinstance(raw, dict):
            continue
        units: dict[str, list[DescriptionField]] = defaultdict(list)
        for text in manifest_fields(raw):
            parts = text.pointer.split("/")
            unit = "/".join(parts[:3]) if parts[1] in ("tools", "prompts") else text.pointer
            units[unit].append(text)
        for unit, fields in units.items():
            texts = [f.text for f in fields if not f.is_name]
            if not texts:
                continue
            identity = tuple(f.text for f in fields)
            if identity in seen:  # the same manifest copied into several repositories
                continue
            seen.add(identity)
            category = unit.split("/")[1] if unit.count("/") > 1 else unit.lstrip("/")
            yield Sample(
                "manifests",
                text_key("\n".join(texts)),
                category,
                f"{path.name}{unit}",
                tuple(fields),
            )


def load_samples(corpus: Path) -> dict[str, list[Sample]]:
    """All samples of the three sets (both parts), in file order."""
    descriptions = corpus / "tool_descriptions"
    return {
        "poisoned": list(_jsonl(descriptions / "poisoned.jsonl", "poisoned")),
        "benign": list(_jsonl(descriptions / "benign.jsonl", "benign")),
        "manifests": list(_manifest_samples(corpus / "manifests")),
    }


def compute_split(samples: dict[str, list[Sample]]) -> dict[str, dict[str, list[str]]]:
    """The deterministic development/held-out assignment of every sample key."""
    split: dict[str, dict[str, list[str]]] = {}
    for set_name, items in samples.items():
        held: set[str] = set()
        if set_name == "poisoned":
            by_category: dict[str, set[str]] = defaultdict(set)
            for sample in items:
                by_category[sample.category].add(sample.key)
            for keys in by_category.values():
                held.update(sorted(keys)[: round(len(keys) * HELD_OUT_SHARE)])
        else:
            held = {s.key for s in items if int(s.key[:8], 16) % 10 < 3}
        keys = {s.key for s in items}
        split[set_name] = {
            "development": sorted(keys - held),
            "held_out": sorted(held),
        }
    return split


def split_document(samples: dict[str, list[Sample]]) -> dict[str, Any]:
    return {
        "about": "CD-03 measurement split (tests/scan/cd03_corpus.py): sha256(salt + text) keys",
        "salt": SALT,
        "held_out_share": HELD_OUT_SHARE,
        "sets": compute_split(samples),
    }


def read_split(path: Path = SPLIT_FILE) -> dict[str, dict[str, set[str]]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return {
        set_name: {part: set(keys) for part, keys in parts.items()}
        for set_name, parts in document["sets"].items()
    }


def part_of(
    samples: Iterable[Sample], split: dict[str, dict[str, set[str]]], part: Part
) -> list[Sample]:
    """The samples of one part (a sample whose key is not in the split is in neither)."""
    return [s for s in samples if s.key in split[s.set][part]]


@dataclass
class Row:
    """One part x set of the measurement: how many samples, how many flagged."""

    n: int = 0
    blocked: int = 0  # at least one blocking detection
    warn_only: int = 0  # no block, at least one warning
    by_category: Counter[str] = field(default_factory=Counter)
    caught: Counter[str] = field(default_factory=Counter)  # blocked, per category
    results: list[tuple[Sample, list[Detection]]] = field(default_factory=list)

    def add(self, sample: Sample, detections: list[Detection]) -> None:
        blocked = any(d.blocking for d in detections)
        self.n += 1
        self.blocked += blocked
        self.warn_only += not blocked and bool(detections)
        self.by_category[sample.category] += 1
        self.caught[sample.category] += blocked
        self.results.append((sample, detections))


def measure(
    samples: dict[str, list[Sample]],
    split: dict[str, dict[str, set[str]]],
    parts: tuple[Part, ...] = PARTS,
) -> dict[tuple[Part, str], Row]:
    """CD-03 over every sample of ``parts`` (a sample is judged on all its texts).

    ``parts=("development",)`` is the measurement to iterate on: the held-out
    part is then not even scanned.
    """
    table: dict[tuple[Part, str], Row] = {}
    for part in parts:
        for set_name in SETS:
            row = table[(part, set_name)] = Row()
            for sample in part_of(samples[set_name], split, part):
                row.add(sample, scan_fields(sample.fields))
    return table


if __name__ == "__main__":  # regenerate the frozen split: python tests/scan/cd03_corpus.py CORPUS
    import sys

    corpus_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/corpus")
    document = split_document(load_samples(corpus_dir))
    SPLIT_FILE.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    for name, parts in document["sets"].items():
        print(name, {part: len(keys) for part, keys in parts.items()})
