"""``mtf-attest build DIR --output-dir OUT``: reproducible bundle, SBOM and hashes."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtf_action.console import Reporter

if TYPE_CHECKING:
    from mtf_action.bundle.platform import Platform


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "build",
        parents=[common],
        help="build a reproducible .mcpb with SBOM and content hashes",
    )
    parser.add_argument("directory", help="server source directory (holds manifest.json)")
    parser.add_argument("-o", "--output-dir", required=True, help="where outputs are written")
    parser.add_argument(
        "--no-vendor",
        action="store_true",
        help="pack the tree as it is (deps/ or node_modules/ already vendored)",
    )
    parser.add_argument(
        "--source-date-epoch",
        type=int,
        help="timestamp for archive entries (default: $SOURCE_DATE_EPOCH, "
        "else the HEAD commit time, else 1980-01-01)",
    )
    add_naming_arguments(parser)
    parser.set_defaults(run=run)


def add_naming_arguments(parser: argparse.ArgumentParser) -> None:
    """The bundle file name options shared by ``build`` and ``attest`` (mcpb-pack's inputs)."""
    from mtf_action.bundle.naming import DEFAULT_TEMPLATE
    from mtf_action.bundle.platform import ARCHITECTURES, OPERATING_SYSTEMS

    group = parser.add_argument_group("bundle name and platform")
    group.add_argument(
        "--output-name",
        metavar="TEMPLATE",
        default=DEFAULT_TEMPLATE,
        help="bundle file name with {name}, {version}, {os}, {arch} (default: %(default)s, "
        "plus -{os}-{arch} for a per-platform bundle)",
    )
    group.add_argument(
        "--platform-os", choices=OPERATING_SYSTEMS, help="target OS of a per-platform bundle"
    )
    group.add_argument(
        "--platform-arch", choices=ARCHITECTURES, help="target architecture of the bundle"
    )


def naming_from(args: argparse.Namespace) -> tuple[str, Platform | None]:
    """``--output-name`` and the platform from ``--platform-os``/``--platform-arch``."""
    from mtf_action.bundle.platform import platform_from

    return str(args.output_name), platform_from(args.platform_os, args.platform_arch)


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from mtf_action.build import BuildOptions, build_bundle

    output_name, platform = naming_from(args)
    summary = build_bundle(
        BuildOptions(
            source_dir=Path(args.directory),
            output_dir=Path(args.output_dir),
            vendor=not args.no_vendor,
            source_date_epoch=args.source_date_epoch,
            output_name=output_name,
            platform=platform,
        ),
        reporter,
    )
    reporter.summary(
        summary.model_dump(mode="json"),
        [
            f"bundle:  {summary.bundle.path}",
            f"sha256:  {summary.bundle.sha256}",
            f"size:    {summary.bundle.size} bytes, {summary.file_count} files",
            f"sbom:    {summary.sbom.path} ({summary.component_count} components)",
            f"hashes:  {summary.hashes.path}",
            f"epoch:   {summary.source_date_epoch} ({summary.source_date_epoch_origin})",
        ],
    )
    return 0
