"""``mtf-attest validate PATH``: AI-01 / CD-01 manifest validation."""

from __future__ import annotations

import argparse
from typing import Any

from mtf_action.console import Reporter


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "validate",
        parents=[common],
        help="validate manifest.json of a server directory or .mcpb bundle (AI-01, CD-01)",
    )
    parser.add_argument("path", help="server directory, manifest.json or .mcpb bundle")
    parser.add_argument(
        "--level",
        type=int,
        choices=(1, 2, 3, 4),
        help="check against this MTF level (default: the level the manifest claims, else 1)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    raise NotImplementedError("validate: implemented by the manifest module")
