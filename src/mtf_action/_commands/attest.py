"""``mtf-attest attest DIR --output-dir OUT``: the signed release of an MCP server.

Builds ``OUT/<name>-<version>.mcpb`` with the MTF AI-03 signature inside, then
writes its SBOM, hashes, SLSA provenance, MTF claim (+ signature), SBOM
attestation and SLSA VSA beside it (see ``docs/attestations.md``).

``--bundle FILE.mcpb`` (repeatable) attests bundles that ``mtf-attest build``
made elsewhere (one per platform) instead of building: each is sealed by a
deterministic re-pack and gets its own assets (:mod:`mtf_action.attest.prebuilt`);
``DIR`` is then the checkout they came from (default ``.``).

Signing mode (``--sign``): ``sigstore`` by default inside GitHub Actions
(``GITHUB_ACTIONS=true``), else ``key`` when ``--key`` is given; otherwise the
mode must be chosen explicitly (``none`` is never implied). The OIDC token may
come from ``MTF_IDENTITY_TOKEN`` so it stays out of the process list.

The scan of the sealed bundle takes ``scan``'s SC-02 flags (``--vuln-db PATH``
for an offline OSV database, ``--vex``, ``--epss``, ``--kev``...; see
:mod:`mtf_action.vulns.options`): without network and without ``--vuln-db``,
SC-02 reports ``error`` and the verified level stops below L2.

Exit codes: 0 everything was produced and the verified level meets ``--level``
(if given) and the manifest's claim (if any); 1 otherwise (the outputs are still
written: the claim records the truth); 2 usage; 3 invalid input; 4 environment
or an unreachable signing service (or, with ``--require-online``, vulnerability source).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtf_action._commands._vuln_args import add_vuln_arguments, vuln_options
from mtf_action._commands.build import add_naming_arguments, naming_from
from mtf_action.console import Reporter
from mtf_action.errors import ExitCode, UsageError
from mtf_action.signing.factory import IDENTITY_TOKEN_ENV as TOKEN_ENV
from mtf_action.signing.factory import SigningRequest, open_signer

if TYPE_CHECKING:
    from mtf_action.attest.pipeline import AttestOptions
    from mtf_action.attest.result import AttestResult
    from mtf_action.vulns.options import VulnOptions


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "attest",
        parents=[common],
        help="build, scan and sign: bundle with AI-03 signature, provenance, claim, VSA",
        description="Build a signed .mcpb with SLSA provenance, a signed MTF claim, an SBOM "
        "attestation and a SLSA verification summary.",
        epilog="Exit codes: 0 all produced and the level requirements met; 1 a level "
        "requirement not met (outputs still written); 2 usage; 3 invalid input; "
        "4 environment or signing service.",
    )
    parser.add_argument(
        "directory",
        nargs="?",
        help="server source directory (holds manifest.json); with --bundle, the checkout "
        "the bundles were built from (default: .)",
    )
    parser.add_argument("-o", "--output-dir", required=True, help="where outputs are written")
    parser.add_argument(
        "--bundle",
        action="append",
        metavar="FILE.mcpb",
        help="attest this bundle built by `mtf-attest build` instead of building (repeatable)",
    )
    sign = parser.add_argument_group("signing")
    sign.add_argument(
        "--sign",
        choices=("sigstore", "key", "none"),
        help="signing mode (default: sigstore in GitHub Actions, else key with --key)",
    )
    sign.add_argument("--key", metavar="PATH", help="PEM private key (--sign key)")
    sign.add_argument(
        "--password-env", metavar="VAR", help="environment variable holding the key password"
    )
    sign.add_argument(
        "--identity-token",
        metavar="TOKEN",
        help=f"OIDC token for keyless signing (prefer ${TOKEN_ENV}; default: ambient credential)",
    )
    sign.add_argument("--staging", action="store_true", help="use Sigstore staging")
    sign.add_argument(
        "--trust-config", metavar="FILE", help="Sigstore client trust config (private instance)"
    )
    parser.add_argument(
        "--no-vendor", action="store_true", help="pack the tree as it is (deps already vendored)"
    )
    parser.add_argument("--source-date-epoch", type=int, help="timestamp for archive entries")
    parser.add_argument(
        "--level", type=int, choices=(1, 2, 3, 4), help="exit 1 unless this level is verified"
    )
    add_naming_arguments(parser)
    add_vuln_arguments(parser)
    parser.set_defaults(run=run)


def signing_mode(args: argparse.Namespace, env: Mapping[str, str]) -> str:
    """The explicit ``--sign``, else the default described in the module docstring."""
    mode: str | None = args.sign
    if mode is None:
        if env.get("GITHUB_ACTIONS") == "true":
            if args.key:
                raise UsageError(
                    "in GitHub Actions the default is --sign sigstore (keyless); add "
                    "--sign key to sign with --key"
                )
            mode = "sigstore"
        elif args.key:
            mode = "key"
        else:
            raise UsageError(
                "choose a signing mode: --sign sigstore (keyless), --sign key --key PATH, "
                "or --sign none (unsigned, at most L2)"
            )
    if args.key and mode != "key":
        raise UsageError(f"--key is only used with --sign key (not {mode})")
    if mode == "key" and not args.key:
        raise UsageError("--sign key needs --key PATH (make one with `mtf-attest keygen`)")
    if args.password_env and mode != "key":
        raise UsageError("--password-env is only used with --sign key")
    keyless_only = [
        flag
        for flag, value in (
            ("--identity-token", args.identity_token),
            ("--staging", args.staging),
            ("--trust-config", args.trust_config),
        )
        if value
    ]
    if keyless_only and mode != "sigstore":
        raise UsageError(f"{', '.join(keyless_only)} only apply to --sign sigstore")
    return mode


def signing_request(args: argparse.Namespace, mode: str) -> SigningRequest:
    """The library's signing request for the checked ``mode`` (see :func:`signing_mode`)."""
    return SigningRequest(
        mode="sigstore" if mode == "sigstore" else "key" if mode == "key" else "none",
        key=Path(args.key) if args.key else None,
        password_env=args.password_env,
        identity_token=args.identity_token,
        staging=bool(args.staging),
        trust_config=Path(args.trust_config) if args.trust_config else None,
    )


def _lines(result: AttestResult) -> list[str]:
    claimed = f"L{result.level_claimed}" if result.level_claimed is not None else "none"
    lines = [
        f"bundle:   {result.bundle.path}",
        f"sha256:   {result.bundle.sha256}",
        f"signing:  {result.signing_mode}"
        + (f" ({result.signer_identity})" if result.signer_identity else ""),
        f"builder:  {result.builder_id}",
        f"level:    verified L{result.level_verified}, claimed {claimed} "
        + f"({result.verification_result})",
    ]
    lines += [f"{kind}: {path}" for kind, path in result.assets.items() if kind != "bundle"]
    lines += [f"problem:  {p}" for p in result.problems]
    return lines


def _options(
    args: argparse.Namespace, trusted_root: Path | None, vulns: VulnOptions
) -> AttestOptions:
    from mtf_action.attest.pipeline import AttestOptions

    output_name, platform = naming_from(args)
    return AttestOptions(
        source_dir=Path(args.directory or "."),
        output_dir=Path(args.output_dir),
        vendor=not args.no_vendor,
        source_date_epoch=args.source_date_epoch,
        level=args.level,
        trusted_root=trusted_root,
        output_name=output_name,
        platform=platform,
        vulns=vulns,
    )


def _check_usage(args: argparse.Namespace) -> None:
    from mtf_action.bundle.naming import DEFAULT_TEMPLATE

    if args.bundle is None and args.directory is None:
        raise UsageError("attest needs a server source directory, or --bundle FILE.mcpb")
    if args.bundle is not None:
        ignored = [
            flag
            for flag, given in (
                ("--output-name", args.output_name != DEFAULT_TEMPLATE),
                ("--platform-os", args.platform_os),
                ("--platform-arch", args.platform_arch),
                ("--source-date-epoch", args.source_date_epoch is not None),
            )
            if given
        ]
        if ignored:
            raise UsageError(
                f"{', '.join(ignored)} apply when building; a prebuilt bundle keeps the "
                "name and timestamps build gave it"
            )


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from mtf_action.attest.pipeline import attest
    from mtf_action.attest.prebuilt import attest_prebuilt

    _check_usage(args)
    mode = signing_mode(args, os.environ)
    vulns = vuln_options(args)  # unusable SC-02 files: exit 3 before signing in
    with open_signer(signing_request(args, mode), reporter) as ready:
        opts = _options(args, ready.trusted_root, vulns)
        if args.bundle is None:
            result = attest(opts, ready.signer, reporter, public_key=ready.public_key)
            reporter.summary(result.model_dump(mode="json"), _lines(result))
            return int(ExitCode.OK if result.ok else ExitCode.POLICY_FAILURE)
        results = attest_prebuilt(
            [Path(b) for b in args.bundle], opts, ready.signer, reporter,
            public_key=ready.public_key,
        )  # fmt: skip
    reporter.summary(
        {"results": [r.model_dump(mode="json") for r in results]},
        [line for r in results for line in [*_lines(r), ""]][:-1],
    )
    return int(ExitCode.OK if all(r.ok for r in results) else ExitCode.POLICY_FAILURE)
