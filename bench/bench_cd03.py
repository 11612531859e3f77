"""CD-03 detection quality on the public corpus: recall, false positives, time.

    .venv/bin/python bench/bench_cd03.py [--corpus ../shared/corpus]
    .venv/bin/python bench/bench_cd03.py --show misses|false-positives|warnings
    .venv/bin/python bench/bench_cd03.py --development-only

Prints, for each part (development / held-out) and set (poisoned, benign,
real-manifest texts): samples, flagged (a blocking detection), warn-only (no
block, at least one warning) and their rates; then recall per poisoned
category. ``--show`` lists the development samples behind the numbers; held-out
texts are never printed (they are the measurement, not material for rules).
``--development-only`` (implied by ``--show``) does not scan the held-out part
at all: the table to iterate on while writing rules.
The split is frozen in tests/data/cd03_split.json (tests/scan/cd03_corpus.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "scan"))  # the shared corpus loader and split

from cd03_corpus import PARTS, Part, Row, load_samples, measure, read_split

Table = dict[tuple[Part, str], Row]


def _rate(count: int, n: int) -> str:
    return f"{100 * count / n:5.1f}%" if n else "    -"


def print_table(table: Table) -> None:
    print(
        f"{'part':<12} {'set':<10} {'n':>5} {'flagged':>8} {'rate':>7} {'warn-only':>10} {'rate':>7}"
    )
    for (part, set_name), row in table.items():
        print(
            f"{part:<12} {set_name:<10} {row.n:>5} {row.blocked:>8} {_rate(row.blocked, row.n):>7} "
            f"{row.warn_only:>10} {_rate(row.warn_only, row.n):>7}"
        )
    print("\nrecall per poisoned category (caught/n)")
    parts = [part for part in PARTS if (part, "poisoned") in table]
    rows = [table[(part, "poisoned")] for part in parts]
    categories = sorted(set().union(*(row.by_category for row in rows)))
    print(f"{'category':<30}" + "".join(f"{part:>14}" for part in parts))
    for category in categories:
        cells = [
            f"{row.caught[category]}/{row.by_category[category]}"
            if row.by_category[category]
            else "-"
            for row in rows
        ]
        print(f"{category:<30}" + "".join(f"{cell:>14}" for cell in cells))


def show(table: Table, what: str) -> None:
    sets = ("poisoned",) if what == "misses" else ("benign", "manifests")
    for set_name in sets:
        for sample, detections in table[("development", set_name)].results:
            blocked = any(d.blocking for d in detections)
            wanted = {
                "misses": not blocked,
                "false-positives": blocked,
                "warnings": bool(detections) and not blocked,
            }[what]
            if not wanted:
                continue
            print(f"--- {set_name} {sample.category} {sample.origin}")
            for d in detections:
                flag = "BLOCK" if d.blocking else "warn "
                print(f"    {flag} {d.category}/{d.rule} via={d.via or '-'}: {d.quote[:150]}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CD-03 detection quality on the corpus")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--show", choices=("misses", "false-positives", "warnings"))
    parser.add_argument("--development-only", action="store_true")
    args = parser.parse_args(argv)
    samples = load_samples(args.corpus)
    parts: tuple[Part, ...] = ("development",) if args.show or args.development_only else PARTS
    started = time.perf_counter()
    table = measure(samples, read_split(), parts)
    elapsed = time.perf_counter() - started
    if args.show:
        show(table, args.show)
        return 0
    print_table(table)
    texts = sum(len(r.fields) for row in table.values() for r, _ in row.results)
    print(f"\n{texts} texts scanned in {elapsed:.2f} s ({texts / elapsed:.0f} texts/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
