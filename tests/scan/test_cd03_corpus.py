"""CD-03 detection quality on real poisoned and benign descriptions (MTF-0.1 CD-03).

Targets (issue 6): recall >= 95 % on poisoned descriptions, false positives
<= 1 % on benign descriptions and on every text of the real manifests. The
targets are asserted on the development part, the part the rules were written
from, together with the floor measured there (43/43 caught, 0/664 benign and
0/675 manifest texts flagged), so any regression fails. The held-out part was
never read while writing rules; its numbers are the honest estimate and are
held to the floor measured when the rules were frozen, not to the targets:

- held-out poisoned recall >= 10/16 = 62.5 % (measured four times: 9/16,
  9/16, 10/16, and 10/16 again after the rule round of
  test_cd03_paraphrases_round2.py. The rules were generalised from category
  definitions and public attack write-ups, checked on self-written
  paraphrase batches; held-out phrasings of credential access, sleeper
  tools, rug pulls and data collection are still missed, three of them
  raise warnings only);
- held-out false positives at most the measured 1/272 benign and 1/260
  manifest texts (ceiling 0.4 %, so a second false positive fails).

"Flagged" means at least one blocking detection; warnings are counted apart.
``bench/bench_cd03.py`` prints the full table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cd03_corpus import (
    PARTS,
    SETS,
    SPLIT_FILE,
    Part,
    Row,
    Sample,
    load_samples,
    measure,
    read_split,
    split_document,
)

RECALL_TARGET = 0.95
FALSE_POSITIVE_TARGET = 0.01
DEVELOPMENT_RECALL_FLOOR = 1.0  # measured 43/43
DEVELOPMENT_FALSE_POSITIVE_CEILING = 0.0  # measured 0/664 and 0/675
HELD_OUT_RECALL_FLOOR = 0.62  # measured 10/16
HELD_OUT_FALSE_POSITIVE_CEILING = 0.004  # measured 1/272 and 1/260

Table = dict[tuple[Part, str], Row]


@pytest.fixture(scope="module")
def samples(shared_dir: Path) -> dict[str, list[Sample]]:
    corpus = shared_dir / "corpus"
    assert (corpus / "tool_descriptions" / "poisoned.jsonl").is_file(), (
        f"CD-03 corpus not found under {corpus} (set MTF_SHARED)"
    )
    return load_samples(corpus)


@pytest.fixture(scope="module")
def table(samples: dict[str, list[Sample]]) -> Table:
    return measure(samples, read_split())


def test_cd03_split_file_is_reproducible(samples: dict[str, list[Sample]]) -> None:
    """The frozen split is exactly what the documented procedure gives on this corpus."""
    stored = read_split()
    computed = split_document(samples)["sets"]
    for set_name in SETS:
        for part in PARTS:
            assert stored[set_name][part] == set(computed[set_name][part]), (set_name, part)


def test_cd03_split_is_disjoint_and_covers_every_sample(samples: dict[str, list[Sample]]) -> None:
    split = read_split()
    for set_name in SETS:
        dev, held = split[set_name]["development"], split[set_name]["held_out"]
        assert not dev & held
        assert {s.key for s in samples[set_name]} == dev | held
        share = len(held) / (len(dev) + len(held))
        assert 0.2 <= share <= 0.35, (set_name, share)
    assert SPLIT_FILE.name == "cd03_split.json"


@pytest.mark.parametrize("part", PARTS)
def test_cd03_every_set_is_measured(table: Table, part: Part) -> None:
    for set_name in SETS:
        assert table[(part, set_name)].n >= 10, (part, set_name)


def test_cd03_development_recall_meets_target(table: Table) -> None:
    row = table[("development", "poisoned")]
    assert row.blocked / row.n >= RECALL_TARGET, f"recall {row.blocked}/{row.n}"
    assert row.blocked / row.n >= DEVELOPMENT_RECALL_FLOOR, f"recall {row.blocked}/{row.n}"


@pytest.mark.parametrize("set_name", ["benign", "manifests"])
def test_cd03_development_false_positives_meet_target(table: Table, set_name: str) -> None:
    row = table[("development", set_name)]
    assert row.blocked / row.n <= FALSE_POSITIVE_TARGET, f"false positives {row.blocked}/{row.n}"
    ceiling = DEVELOPMENT_FALSE_POSITIVE_CEILING
    assert row.blocked / row.n <= ceiling, f"false positives {row.blocked}/{row.n}"


def test_cd03_held_out_recall_above_floor(table: Table) -> None:
    row = table[("held_out", "poisoned")]
    assert row.blocked / row.n >= HELD_OUT_RECALL_FLOOR, f"held-out recall {row.blocked}/{row.n}"


@pytest.mark.parametrize("set_name", ["benign", "manifests"])
def test_cd03_held_out_false_positives_below_ceiling(table: Table, set_name: str) -> None:
    row = table[("held_out", set_name)]
    ceiling = HELD_OUT_FALSE_POSITIVE_CEILING
    assert row.blocked / row.n <= ceiling, f"false positives {row.blocked}/{row.n}"
