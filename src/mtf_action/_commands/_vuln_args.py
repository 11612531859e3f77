"""The SC-02 flags of ``scan``, ``attest`` and ``verify --rescan``: one group, one builder.

What each flag means and the default source: :mod:`mtf_action.vulns.options`;
how they are checked: :mod:`mtf_action.vulns.preflight`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mtf_action.vulns.options import VulnOptions

GROUP_TITLE = "vulnerabilities (SC-02)"


def add_vuln_arguments(parser: argparse.ArgumentParser) -> None:
    vulns = parser.add_argument_group(GROUP_TITLE)
    vulns.add_argument("--vuln-source", choices=("osv", "pypi", "offline"),
                       help="advisory source (default: offline with --vuln-db, else the OSV API)")  # fmt: skip
    vulns.add_argument("--vuln-db", metavar="PATH", action="append", default=[],
                       help="directory or zip of OSV JSON/YAML advisories (offline); repeatable")  # fmt: skip
    vulns.add_argument("--epss", metavar="FILE",
                       help="FIRST EPSS scores CSV (.csv or .csv.gz); default online: FIRST's API")  # fmt: skip
    vulns.add_argument("--kev", metavar="FILE",
                       help="CISA KEV catalog JSON; default online: CISA's feed")  # fmt: skip
    vulns.add_argument("--vex", metavar="FILE", action="append", default=[],
                       help="OpenVEX v0.2.0 document (besides vex.json, .vex/*.json); repeatable")  # fmt: skip
    vulns.add_argument("--no-vuln-cache", action="store_true",
                       help="do not read or write the vulnerability cache")  # fmt: skip
    vulns.add_argument("--require-online", action="store_true",
                       help="exit 4 when the online vulnerability source cannot be reached")  # fmt: skip


def given(args: argparse.Namespace) -> list[str]:
    """The SC-02 flags set on the command line (for commands where they may not apply)."""
    flags = [
        ("--vuln-source", args.vuln_source is not None),
        ("--vuln-db", bool(args.vuln_db)),
        ("--epss", args.epss is not None),
        ("--kev", args.kev is not None),
        ("--vex", bool(args.vex)),
        ("--no-vuln-cache", args.no_vuln_cache),
        ("--require-online", args.require_online),
    ]
    return [flag for flag, set_ in flags if set_]


def vuln_options(args: argparse.Namespace) -> VulnOptions:
    """SC-02 settings; unusable files are invalid input (exit 3) before anything is scanned."""
    from mtf_action.vulns.options import VulnOptions
    from mtf_action.vulns.preflight import check_vuln_options

    options = VulnOptions(
        source=args.vuln_source,
        db=tuple(Path(v) for v in args.vuln_db),
        epss=Path(args.epss) if args.epss else None,
        kev=Path(args.kev) if args.kev else None,
        vex=tuple(Path(v) for v in args.vex),
        use_cache=not args.no_vuln_cache,
        require_online=args.require_online,
    )
    check_vuln_options(options)
    return options
