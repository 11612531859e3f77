"""``mtf-attest download``: fetch a GitHub release's assets, checking size and digest."""

from __future__ import annotations

import argparse
import os
from typing import Any

from mtf_action.console import Reporter
from mtf_action.errors import UsageError


def add_github_options(parser: argparse.ArgumentParser) -> None:
    """``--api-url`` and ``--token-env``, shared by ``download`` and ``verify --tag``."""
    parser.add_argument(
        "--api-url",
        metavar="URL",
        default=None,
        help="GitHub REST API base URL (default: $GITHUB_API_URL or https://api.github.com)",
    )
    parser.add_argument(
        "--token-env",
        metavar="VAR",
        default=None,
        help="read a GitHub token from environment variable VAR (default: anonymous)",
    )


def github_settings(args: argparse.Namespace) -> Any:
    """The client settings from ``--api-url``/``--token-env`` (the token is never printed)."""
    from mtf_action.github.client import DEFAULT_API_URL, GitHubSettings

    token: str | None = None
    if args.token_env:
        token = os.environ.get(args.token_env) or None
        if token is None:
            raise UsageError(f"--token-env {args.token_env}: the variable is unset or empty")
    api_url = args.api_url or os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL
    return GitHubSettings(api_url=api_url, token=token)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "download",
        parents=[common],
        help="download a GitHub release's assets",
        description="Download every asset of the release TAG of OWNER/REPO into DIR, "
        "checking each asset's size and (when GitHub lists it) its sha256 digest.",
    )
    parser.add_argument("--repository", required=True, metavar="OWNER/REPO")
    parser.add_argument("--tag", required=True, metavar="TAG")
    parser.add_argument("--output-dir", "-o", required=True, metavar="DIR")
    add_github_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from pathlib import Path

    from mtf_action.github.client import make_client
    from mtf_action.github.download import download_release

    client = make_client(github_settings(args))
    assets = download_release(
        client, args.repository, args.tag, Path(args.output_dir), reporter=reporter
    )
    data = {
        "repository": args.repository,
        "tag": args.tag,
        "assets": [
            {
                "name": a.name,
                "path": str(a.path),
                "size": a.size,
                "sha256": a.sha256,
                "digest_checked": a.digest_checked,
            }
            for a in assets
        ],
    }
    lines = [f"{a.name}  {a.size} bytes  sha256:{a.sha256}" for a in assets]
    reporter.summary(data, [*lines, f"{len(assets)} assets in {args.output_dir}"])
    return 0
