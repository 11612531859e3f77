"""Benchmark: SC-02 on a 500-component SBOM, offline database, cold and warm cache.

The SBOM lists real packages at real versions: PyPI (name, version) pairs taken
from the ``versions`` lists of the shared PYSEC advisories (so many of them are
vulnerable and exercise alias merging, CVSS, EPSS and KEV), the Node example's
locked npm packages, and express/axios versions covered by tests/data/osv-npm.
The bundle is a real ``.mcpb`` (zip) opened the way ``scan`` opens one.

Timed, best of ``--runs`` each, every run in a fresh scan context:

* ``sbom``: reading and validating the SBOM (shared with SC-01, memoised per scan);
* ``cold``: SC-02 with an empty cache (loads the OSV database, matches, stores);
* ``warm``: SC-02 again with the cache filled (no database load at all);
* ``no-cache``: SC-02 with ``--no-vuln-cache`` semantics.

EPSS comes from the full 360,142-row FIRST-layout file (gzip) and KEV from the
real catalog, as a user would pass them.

    python bench/bench_sc02.py [--components 500] [--runs 3] [--json-out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
SHARED = Path(os.environ.get("MTF_SHARED") or REPO_ROOT.parent / "shared") / "data"
PYPI_DB = SHARED / "osv" / "pypa-advisory-database-westonsteimel-fork"
NPM_DB = REPO_ROOT / "tests" / "data" / "osv-npm"
KEV = SHARED / "kev" / "known_exploited_vulnerabilities.json"
EPSS = SHARED / "epss" / "derived" / "epss_all_cves_from_emba_2026-08-16.csv.gz"
NODE_LOCK = REPO_ROOT / "examples" / "servers" / "node-notes" / "package-lock.json"


def real_components(count: int) -> list[tuple[str, str, str]]:
    """(purl type, name, version): npm from the Node example first, then PyPI versions."""
    from mtf_action.vulns.sources.local_db import LocalOsvDatabase

    npm: list[tuple[str, str, str]] = []
    lock = json.loads(NODE_LOCK.read_text())
    for key, entry in sorted(lock["packages"].items()):
        if key.startswith("node_modules/") and "/node_modules/" not in key:
            npm.append(("npm", key.removeprefix("node_modules/"), entry["version"]))
    npm += [("npm", "express", v) for v in ("4.17.1", "4.18.2", "4.19.2", "5.0.0-beta.1")]
    npm += [("npm", "axios", v) for v in ("0.21.1", "1.5.1", "1.7.2")]
    database = LocalOsvDatabase(PYPI_DB)
    database.records_for("PyPI", "requests")
    pypi: set[tuple[str, str, str]] = set()
    for records in (database._index or {}).values():
        for record in records:
            for affected in record.affected:
                if affected.package is not None and affected.package.ecosystem == "PyPI":
                    pypi.update(
                        ("pypi", affected.package.name.lower(), v) for v in affected.versions
                    )
    chosen = list(npm)
    chosen += sorted(pypi)[: max(0, count - len(chosen))]
    if len(chosen) < count:
        raise SystemExit(f"only {len(chosen)} real components available, asked for {count}")
    return chosen[:count]


def write_bundle(path: Path, components: list[tuple[str, str, str]]) -> None:
    sys.path.insert(0, str(REPO_ROOT / "tests" / "scan"))
    from helpers import manifest
    from sc02_support import sbom

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest()))
        zf.writestr("server.py", "print('hi')\n")
        zf.writestr("sbom.cdx.json", sbom(*components))


def best(runs: int, measure: Callable[[], float]) -> float:
    return min(measure() for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--components", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO_ROOT / "src"))
    from mtf_action.scan.context import ScanContext, ScanOptions
    from mtf_action.scan.controls.sc02_vulns import VulnerabilityScanning
    from mtf_action.scan.supply.sbom_view import sbom_view
    from mtf_action.vulns.options import VulnOptions

    control = VulnerabilityScanning()
    components = real_components(args.components)
    with tempfile.TemporaryDirectory(prefix="bench-sc02-") as tmp:
        work = Path(tmp)
        bundle = work / "big.mcpb"
        write_bundle(bundle, components)

        def options(cache: Path | None) -> ScanOptions:
            return ScanOptions(
                vulns=VulnOptions(
                    db=(PYPI_DB, NPM_DB),
                    kev=KEV,
                    epss=EPSS,
                    use_cache=cache is not None,
                    cache_dir=cache,
                )
            )

        outcomes = {}

        def timed(name: str, cache: Path | None, fresh: bool) -> Callable[[], float]:
            def run() -> float:
                if fresh and cache is not None:
                    (cache / "vulns.sqlite3").unlink(missing_ok=True)
                with ScanContext.for_bundle(bundle, options(cache)) as ctx:
                    sbom_view(ctx)  # SBOM parsing is shared with SC-01; not SC-02's time
                    started = time.perf_counter()
                    outcomes[name] = control.evaluate(ctx)
                    return time.perf_counter() - started

            return run

        def sbom_time() -> float:
            with ScanContext.for_bundle(bundle, options(None)) as ctx:
                started = time.perf_counter()
                sbom_view(ctx)
                return time.perf_counter() - started

        cache = work / "cache"
        results = {
            "sbom": best(args.runs, sbom_time),
            "cold": best(args.runs, timed("cold", cache, fresh=True)),
        }
        timed("fill", cache, fresh=True)()
        results["warm"] = best(args.runs, timed("warm", cache, fresh=False))
        results["no-cache"] = best(args.runs, timed("no-cache", None, fresh=False))

    cold, warm = outcomes["cold"].details, outcomes["warm"].details
    assert cold["vulnerabilities"] == warm["vulnerabilities"], "warm cache changed the answer"
    summary = {
        "components": cold["components"],
        "vulnerabilities": len(cold["vulnerabilities"]),
        "blocking": sum(1 for v in cold["vulnerabilities"] if v["blocks_at"] is not None),
        "warm_from_cache": warm["cache"]["components_from_cache"],
        "seconds": {k: round(v, 3) for k, v in results.items()},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    print(f"SC-02, {summary['components']} components, offline DB, best of {args.runs}:")
    print("| phase | seconds |\n|---|---|")
    for phase, seconds in summary["seconds"].items():  # type: ignore[union-attr]
        print(f"| {phase} | {seconds:.3f} |")
    print(
        f"{summary['vulnerabilities']} vulnerabilities ({summary['blocking']} blocking); "
        f"warm run answered {summary['warm_from_cache']} components from the cache"
    )
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
