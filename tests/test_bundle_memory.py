"""Packing streams: peak memory stays flat however large the tree is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FILES = 8
FILE_SIZE = 40 * 1024 * 1024  # incompressible, so compressed output is as large as input
TREE_SIZE = FILES * FILE_SIZE
RSS_GROWTH_LIMIT = 64 * 1024 * 1024  # a fifth of the tree: holding any one file whole fails

# Runs in a fresh interpreter so ru_maxrss reflects only this packing run.
PROBE = """
import json, resource, sys, time, tracemalloc
from pathlib import Path
from mtf_action.bundle.archive import write_archive
from mtf_action.bundle.collect import collect_files
from mtf_action.bundle.ignore import IgnoreRules

root, dest = Path(sys.argv[1]), Path(sys.argv[2])
entries = collect_files(root, IgnoreRules.for_tree(root))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
tracemalloc.start()
started = time.perf_counter()
result = write_archive(entries, dest, epoch=0)
elapsed = time.perf_counter() - started
_, traced_peak = tracemalloc.get_traced_memory()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"growth": after - before, "traced_peak": traced_peak, "seconds": elapsed,
                  "size": result.size, "files": len(result.files)}))
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB only on Linux")
def test_peak_memory_flat_for_large_tree(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    for i in range(FILES):
        (root / f"blob{i}.bin").write_bytes(os.urandom(FILE_SIZE))
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(root), str(out / "big.mcpb")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    print(
        f"\n[memory] {TREE_SIZE >> 20} MiB tree packed in {stats['seconds']:.1f}s; "
        f"RSS growth {stats['growth'] >> 20} MiB, traced peak {stats['traced_peak'] >> 20} MiB"
    )
    assert stats["files"] == FILES
    assert stats["size"] > TREE_SIZE  # incompressible: nothing was silently dropped
    assert stats["growth"] < RSS_GROWTH_LIMIT
    assert stats["traced_peak"] < 16 * 1024 * 1024
