"""``mtf-attest scan PATH``: evaluate the MTF controls and report the verified level.

PATH is a server source directory (the files ``build`` would pack) or a
``.mcpb`` bundle (extracted safely into a private temporary directory).

Exit codes:

* without ``--level``: 0 when no counted control fails at the evaluated level
  (the claimed level, else L1), that level is verified, and the claim does not
  exceed the verified level; else 1;
* with ``--level N``: 0 if and only if the verified level is at least N, else 1;
* 2 usage error; 3 invalid or hostile input (not a directory or ZIP archive,
  unsafe archive members, size or ratio limits, an unusable ``--scorecard``,
  ``--vuln-db``, ``--epss``, ``--kev``, ``--vex`` or ``--previous``);
  4 environment (an unwritable ``--output``, an internal error, and with
  ``--require-online`` an unreachable or rate-limited vulnerability source).

SC-02 flags and the default source are described in :mod:`mtf_action.vulns.options`.

A readable target whose manifest is broken is not invalid input: it gets a
report in which AI-01 fails, and exit code 1.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtf_action._commands._vuln_args import add_vuln_arguments, vuln_options
from mtf_action.console import Reporter
from mtf_action.errors import ExitCode, InvalidInputError, UsageError
from mtf_action.scan.formats import FORMATS

if TYPE_CHECKING:
    from mtf_action.models.report import Report
    from mtf_action.scan.context import ScanOptions
    from mtf_action.scan.engine import ScanResult

_SIZE = re.compile(r"(\d+)\s*([KMG]i?B?|B)?", re.IGNORECASE)
_UNITS = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def byte_size(text: str) -> int:
    """A positive byte count: ``1048576``, ``512K``, ``200M``, ``2G`` (binary units)."""
    match = _SIZE.fullmatch(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size in bytes: {text!r} (e.g. 200M)")
    value = int(match[1]) * _UNITS[(match[2] or "")[:1].upper()]
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def ratio(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value >= 1:  # also refuses NaN
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "scan",
        parents=[common],
        help="evaluate MTF controls on a server directory or .mcpb bundle",
        description="Evaluate the MTF v0.1 controls and report the verified level.",
        epilog="Exit codes: 0 the claimed level (else L1), or the --level asked for, is "
        "verified; 1 it is not, or the claim exceeds the verified level; 2 usage error; "
        "3 invalid or hostile input; 4 environment error.",
    )
    parser.add_argument("path", help="server source directory or .mcpb bundle")
    parser.add_argument(
        "--level",
        type=int,
        choices=(1, 2, 3, 4),
        help="exit 0 only if this level is verified (default: check the claimed level)",
    )
    parser.add_argument("--format", choices=FORMATS, help="report format (default: text)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report here")
    parser.add_argument(
        "--allow-source",
        action="append",
        default=[],
        metavar="PATTERN",
        help="also trust dependency sources matching PATTERN (SC-05); repeatable",
    )
    parser.add_argument(
        "--scorecard",
        metavar="FILE",
        help="OpenSSF Scorecard JSON for PR-05 (scorecard --format json)",
    )
    parser.add_argument(
        "--source",
        metavar="DIR",
        help="source tree of the bundle (AI-04 rebuild, PR-04 git HEAD)",
    )
    add_vuln_arguments(parser)
    parser.add_argument(
        "--previous",
        metavar="PATH",
        help="the previous release (manifest.json, server directory or .mcpb) for the "
        "UP-02 breaking-change and UP-04 version checks",
    )
    limits = parser.add_argument_group("limits for untrusted bundles")
    limits.add_argument("--max-bundle-size", type=byte_size, metavar="BYTES",
                        help="total uncompressed size (default 2G)")  # fmt: skip
    limits.add_argument("--max-file-size", type=byte_size, metavar="BYTES",
                        help="uncompressed size of one member (default 256M)")  # fmt: skip
    limits.add_argument("--max-files", type=count, metavar="N",
                        help="number of archive members (default 100000)")  # fmt: skip
    limits.add_argument("--max-ratio", type=ratio, metavar="N",
                        help="compression ratio of one member (default 200)")  # fmt: skip
    limits.add_argument("--max-text-size", type=byte_size, metavar="BYTES",
                        help="larger files are not text-analysed, and reported (default 8M)")  # fmt: skip
    parser.set_defaults(run=run)


def _options(args: argparse.Namespace) -> ScanOptions:
    from mtf_action.bundle.reader import BundleLimits
    from mtf_action.scan.context import ScanOptions

    limits = BundleLimits()
    for flag, name in (
        ("max_bundle_size", "max_total_size"),
        ("max_file_size", "max_member_size"),
        ("max_ratio", "max_ratio"),
        ("max_files", "max_members"),
    ):
        if getattr(args, flag) is not None:
            limits = dataclasses.replace(limits, **{name: getattr(args, flag)})
    source = Path(args.source) if args.source else None
    if source is not None and not source.is_dir():
        raise InvalidInputError(
            "--source must be a directory (the bundle's source tree)", path=source
        )
    options = ScanOptions(
        level=args.level,
        allow_sources=tuple(args.allow_source),
        scorecard=Path(args.scorecard) if args.scorecard else None,
        limits=limits,
        source_dir=source.resolve() if source is not None else None,
        previous=Path(args.previous) if args.previous else None,
    )
    if args.max_text_size is not None:
        options = dataclasses.replace(options, max_text_size=args.max_text_size)
    return dataclasses.replace(options, vulns=vuln_options(args))


def exit_code(result: ScanResult, asked: int | None) -> int:
    """See the module docstring."""
    from mtf_action.scan.report import counts_toward_level
    from mtf_action.scan.result import Status

    if asked is not None:
        return int(ExitCode.OK if result.level_verified >= asked else ExitCode.POLICY_FAILURE)
    evaluated = result.level_claimed or 1
    failing = any(
        counts_toward_level(item) and item.status_at(evaluated) is Status.FAIL
        for item in result.controls
    )
    if failing or result.level_verified < evaluated:
        return int(ExitCode.POLICY_FAILURE)
    return int(ExitCode.OK)


def _uri_base(root: Path) -> str:
    """The scanned directory relative to the working directory (SARIF paths), if inside it."""
    try:
        rel = root.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return ""
    return "" if str(rel) == "." else rel.as_posix()


def _use_color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(sys.stdout, "isatty", lambda: False)())


def _verdict(report: Report) -> str:
    compliance = report.compliance
    claimed = report.level_claimed
    claim = f"claimed L{claimed}" if claimed is not None else "no level claimed"
    exceeds = " (the claim exceeds what was verified)" if compliance.claim_exceeds_verified else ""
    blockers = compliance.next_level_blocked_by
    why = f"; L{report.level_verified + 1} needs: {', '.join(blockers)}" if blockers else ""
    return (
        f"{report.bundle.name} {report.bundle.version}: verified L{report.level_verified} "
        f"({compliance.level_name}), {claim}{exceeds}{why}"
    )


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from mtf_action.bundle.atomic import atomic_write_bytes
    from mtf_action.scan.controls import registered
    from mtf_action.scan.engine import run_scan
    from mtf_action.scan.parallel import when_idle
    from mtf_action.scan.target import open_target
    from mtf_action.vulns.preflight import require_reachable

    fmt = args.format or ("json" if args.json else "text")
    if args.json and fmt != "json" and not args.output:
        raise UsageError(f"--json and --format {fmt} both write to stdout; add --output FILE")
    options = _options(args)
    if options.scorecard is not None:
        from mtf_action.models.scorecard import load_scorecard_file

        load_scorecard_file(options.scorecard)  # unusable input: exit 3 before scanning
    if options.previous is not None:
        from mtf_action.scan.updates.previous import load_previous

        load_previous(options.previous)  # unreadable previous release: exit 3 before scanning
    controls = registered()
    # The report models and renderers load while the scan waits for its workers.
    when_idle(lambda: importlib.import_module("mtf_action.scan.report"))
    if fmt != "json":  # rendered in place; the others have a module each
        when_idle(lambda: importlib.import_module(f"mtf_action.scan.formats.{fmt}"))
    with open_target(Path(args.path), options, reporter=reporter) as ctx:
        with reporter.step(f"evaluated {len(controls)} controls on {len(ctx.files)} files"):
            result = run_scan(ctx, controls)
        from mtf_action.scan.formats import render
        from mtf_action.scan.report import scan_report

        report = scan_report(ctx, result, level=args.level)
        base = _uri_base(ctx.root) if ctx.kind == "directory" else ""
    color = fmt == "text" and not args.output and _use_color()
    rendered = render(report, fmt, color=color, uri_base=base)
    if args.output:
        atomic_write_bytes(Path(args.output), rendered.encode("utf-8"))
        reporter.summary(report.to_json_dict(), [_verdict(report), f"report: {args.output}"])
    elif not args.quiet:
        sys.stdout.write(rendered)
        sys.stdout.flush()
    require_reachable(result, options.vulns)
    return exit_code(result, args.level)
