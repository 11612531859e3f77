"""The ``mtf-attest`` command line: argument parsing, dispatch and exit codes.

Every subcommand lives in ``mtf_action._commands.<name>`` and exposes
``register(subparsers, common)`` and ``run(args, reporter) -> int``. Library
errors (:class:`~mtf_action.errors.MtfError`) are caught here, once, and become
one line on stderr plus their documented exit code; ``--debug`` adds the
traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys

from mtf_action._startup import skip_unused_format_modules

skip_unused_format_modules()  # before anything imports jsonschema (see _startup)
import traceback
from collections.abc import Sequence
from types import ModuleType

from mtf_action import __version__
from mtf_action._commands import attest, build, download, keygen, scan, validate, verify
from mtf_action.console import Reporter
from mtf_action.errors import ExitCode, MtfError

_COMMANDS: tuple[ModuleType, ...] = (validate, build, attest, scan, keygen, verify, download)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(ExitCode.USAGE)


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("output")
    group.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    group.add_argument(
        "--json", action="store_true", help="print a machine-readable summary on stdout"
    )
    group.add_argument("--debug", action="store_true", help="verbose logs and tracebacks")
    return common


def build_parser() -> argparse.ArgumentParser:
    """The full parser (exposed for tests and for generating docs)."""
    parser = _Parser(
        prog="mtf-attest",
        description="Build, scan, sign and verify MCPB bundles against the mpak Trust Framework.",
        epilog="Exit codes: 0 ok, 1 policy failure, 2 usage error, 3 invalid input, "
        "4 environment or remote-service error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    common = _common_options()
    for command in _COMMANDS:
        command.register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0)
    reporter = Reporter(quiet=args.quiet, json_output=args.json, debug=args.debug)
    if args.debug:
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
    try:
        code: int = args.run(args, reporter)
        return code
    except MtfError as exc:
        if args.debug:
            traceback.print_exc()
        reporter.error(exc.one_line())
        return int(exc.exit_code)
    except KeyboardInterrupt:
        reporter.error("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: one line, never a traceback
        if args.debug:
            traceback.print_exc()
        reporter.error(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug)")
        return int(ExitCode.ENVIRONMENT)
