"""Benchmark: ``mtf-attest build --no-vendor`` against the official ``mcpb pack``.

Both tools pack the same already-vendored trees, in one run:

(a) the Python example with its locked dependencies vendored into ``deps/``
    (offline, from the test cache);
(b) a synthetic tree of ``--files`` files (default 10,000; see synthetic_tree.py);
(c) the same kind of tree ``--scale`` times larger (default 2.5x files and bytes),
    to show whether peak memory stays flat as the tree grows.

For each tool and tree: best wall time of ``--runs`` runs, peak RSS of the
packing process (``/usr/bin/time -v``, else ``getrusage(RUSAGE_CHILDREN)`` in a
fresh child), output size and member count, and the mtf/mcpb ratios. Prints a
Markdown table and writes the numbers as JSON.

    python bench/bench_build.py --cache .cache [--runs 3] [--json-out dist/bench/bench_build.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
# The cache layout and offline vendoring live in tests/fixture_cache.py; reuse them.
sys.path[:0] = [str(HERE), str(REPO_ROOT / "tests")]

from synthetic_tree import generate_tree

import fixture_cache as fixtures

GNU_TIME = Path("/usr/bin/time")
EPOCH = "1700000000"
# Runs the command in a fresh child so RUSAGE_CHILDREN sees only it.
_RUSAGE_WRAPPER = """
import json, resource, subprocess, sys
code = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL)
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write(json.dumps({"code": code, "peak_kib": peak_kib}))
"""


class BenchError(Exception):
    """A step failed; the message is the one line the user sees."""


@dataclass
class Measurement:
    tree: str
    tool: str
    files_in_tree: int
    tree_bytes: int
    runs: int
    best_wall_s: float
    walls_s: list[float]
    peak_rss_mib: float
    output_bytes: int
    output_members: int


def _measure_once(cmd: Sequence[str], scratch: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one run of ``cmd``."""
    report = scratch / "rusage.txt"
    if GNU_TIME.exists():
        argv = [str(GNU_TIME), "-v", "-o", str(report), *cmd]
    else:
        argv = [sys.executable, "-c", _RUSAGE_WRAPPER, str(report), *cmd]
    start = time.perf_counter()
    proc = subprocess.run(
        argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    if GNU_TIME.exists():
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        code, peak_kib = proc.returncode, int(match.group(1)) if match else -1
    else:
        data = json.loads(text or '{"code": -1, "peak_kib": -1}')
        code, peak_kib = data["code"], data["peak_kib"]
    if code != 0 or peak_kib < 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise BenchError(
            f"{Path(cmd[0]).name} {' '.join(cmd[1:3])} failed (exit {code}): {tail[0]}"
        )
    return wall, peak_kib / 1024


def _single_output(out: Path) -> Path:
    bundles = sorted(out.glob("*.mcpb"))
    if len(bundles) != 1:
        raise BenchError(f"expected one .mcpb in {out}, found {len(bundles)}")
    return bundles[0]


def _tree_size(tree: Path) -> tuple[int, int]:
    files = [p for p in tree.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def measure(
    tool: str, tree_name: str, tree: Path, mcpb: Path, runs: int, work: Path
) -> Measurement:
    files, size = _tree_size(tree)
    walls: list[float] = []
    peaks: list[float] = []
    output = work / f"out-{tree_name}-{tool}"
    for _ in range(runs):
        shutil.rmtree(output, ignore_errors=True)
        output.mkdir(parents=True)
        if tool == "mtf-attest":
            cmd = [
                sys.executable,
                "-m",
                "mtf_action",
                "build",
                str(tree),
                "--output-dir",
                str(output),
            ]
            cmd += ["--no-vendor", "--source-date-epoch", EPOCH, "--quiet"]
        else:
            cmd = [str(mcpb), "pack", str(tree), str(output / "bundle.mcpb")]
        wall, peak = _measure_once(cmd, work)
        walls.append(wall)
        peaks.append(peak)
    bundle = _single_output(output)
    with zipfile.ZipFile(bundle) as archive:
        members = sum(1 for i in archive.infolist() if not i.is_dir())
    return Measurement(
        tree=tree_name,
        tool=tool,
        files_in_tree=files,
        tree_bytes=size,
        runs=runs,
        best_wall_s=round(min(walls), 3),
        walls_s=[round(w, 3) for w in walls],
        peak_rss_mib=round(max(peaks), 1),
        output_bytes=bundle.stat().st_size,
        output_members=members,
    )


def prepare_trees(cache: Path, work: Path, files: int, scale: float) -> dict[str, Path]:
    trees: dict[str, Path] = {}
    python_tree = work / "python-units"
    shutil.copytree(fixtures.PYTHON_EXAMPLE, python_tree)
    fixtures.install_python_deps(cache, python_tree / "deps")
    trees["python-units (vendored)"] = python_tree
    print(f"generating synthetic trees ({files} and {int(files * scale)} files) ...", flush=True)
    trees[f"synthetic-{files}"] = generate_tree(work / "synthetic-a", files).root
    larger = int(files * scale)
    trees[f"synthetic-{larger}"] = generate_tree(work / "synthetic-b", larger).root
    return trees


def _mib(n: float) -> str:
    return f"{n / (1024 * 1024):.1f}"


def markdown(results: list[Measurement]) -> str:
    lines = [
        "| tree | files | tree MiB | tool | best wall s | peak RSS MiB | output MiB | members |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    lines.extend(
        f"| {m.tree} | {m.files_in_tree} | {_mib(m.tree_bytes)} | {m.tool} | "
        f"{m.best_wall_s:.2f} | {m.peak_rss_mib:.1f} | {_mib(m.output_bytes)} | {m.output_members} |"
        for m in results
    )
    lines += ["", "| tree | wall mtf/mcpb | peak RSS mtf/mcpb | output size mtf/mcpb |"]
    lines.append("| --- | ---: | ---: | ---: |")
    for tree, ratio in ratios(results).items():
        lines.append(
            f"| {tree} | {ratio['wall']:.2f} | {ratio['peak_rss']:.2f} | {ratio['size']:.3f} |"
        )
    return "\n".join(lines)


def ratios(results: list[Measurement]) -> dict[str, dict[str, float]]:
    by_tree: dict[str, dict[str, Measurement]] = {}
    for m in results:
        by_tree.setdefault(m.tree, {})[m.tool] = m
    out: dict[str, dict[str, float]] = {}
    for tree, tools in by_tree.items():
        ours, theirs = tools["mtf-attest"], tools["mcpb pack"]
        out[tree] = {
            "wall": round(ours.best_wall_s / theirs.best_wall_s, 3),
            "peak_rss": round(ours.peak_rss_mib / theirs.peak_rss_mib, 3),
            "size": round(ours.output_bytes / theirs.output_bytes, 4),
        }
    return out


def _tool_version(cmd: Sequence[str]) -> str:
    proc = subprocess.run(list(cmd), capture_output=True, text=True, check=False)
    return (proc.stdout or proc.stderr).strip().splitlines()[-1] if proc.returncode == 0 else "?"


def run(args: argparse.Namespace) -> int:
    cache: Path = args.cache.resolve()
    reason = fixtures.npm_unavailable_reason()
    if reason:
        raise BenchError(f"needs the mcpb CLI, but {reason}")
    mcpb = fixtures.mcpb_cli_bin(cache)
    stamp = fixtures.read_stamp(cache)
    if not mcpb.exists() or stamp is None or stamp.get("key") != fixtures.fixture_key():
        raise BenchError(f"no current test cache in {cache}: run `make test-fixtures` first")
    work = Path(tempfile.mkdtemp(prefix="mtf-bench-", dir=args.workdir))
    try:
        trees = prepare_trees(cache, work, args.files, args.scale)
        results: list[Measurement] = []
        for name, tree in trees.items():
            for tool in ("mtf-attest", "mcpb pack"):
                print(f"measuring {tool} on {name} ({args.runs} runs) ...", flush=True)
                results.append(measure(tool, name, tree, mcpb, args.runs, work))
    finally:
        if args.keep:
            print(f"kept the work directory {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    table = markdown(results)
    print("\n" + table)
    document = {
        "benchmark": "mtf-attest build --no-vendor vs mcpb pack",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "node": _tool_version(["node", "--version"]),
            "mcpb": _tool_version([str(mcpb), "--version"]),
            "rss_source": "/usr/bin/time -v" if GNU_TIME.exists() else "getrusage(RUSAGE_CHILDREN)",
        },
        "runs": args.runs,
        "results": [asdict(m) for m in results],
        "ratios_mtf_over_mcpb": ratios(results),
    }
    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json_out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, required=True, help="cache from prepare_fixtures.py")
    parser.add_argument("--runs", type=int, default=3, help="runs per tool and tree (best is kept)")
    parser.add_argument("--files", type=int, default=10_000, help="files in synthetic tree (b)")
    parser.add_argument("--scale", type=float, default=2.5, help="size of tree (c) relative to (b)")
    parser.add_argument("--workdir", type=Path, default=None, help="where trees are generated")
    parser.add_argument("--keep", action="store_true", help="keep the generated trees")
    parser.add_argument(
        "--json-out",
        type=Path,
        default=REPO_ROOT / "dist" / "bench" / "bench_build.json",
        help="where the JSON results go",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.files < 1 or args.scale <= 0:
        parser.error("--runs and --files must be >= 1 and --scale > 0")
    try:
        return run(args)
    except (BenchError, fixtures.FixtureError, OSError) as exc:
        print(f"bench_build: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
