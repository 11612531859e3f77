"""``mtf-attest verify BUNDLE``: check a release (bundle, SBOM, hashes, attestations, claim).

Prints one line per check (✓ pass, ✗ fail, - skipped) with its reason, then the
verdict; ``--format json`` (or ``--json``) prints the ``VerificationResult``.
Exit codes: 0 every check holds, 1 a check failed, 2 usage, 3 missing or
unreadable input, 4 the Sigstore TUF repository (or GitHub) is unreachable.

With ``--repository O/R --tag TAG`` the release's assets are first downloaded
through the GitHub API into a private temporary directory (removed afterwards)
and the ``.mcpb`` found there is verified; BUNDLE then only picks the bundle by
file name when the release has several. ``--repository`` stays the expected
signer; with ``--key`` (no OIDC identity) it only names where the release is.

``--rescan`` takes ``scan``'s SC-02 flags (``--vuln-db PATH``...): without
network, an offline OSV database is what lets the rescan reach L2.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtf_action._commands._vuln_args import add_vuln_arguments, given, vuln_options
from mtf_action._commands.download import add_github_options
from mtf_action.console import Reporter
from mtf_action.errors import InvalidInputError, UsageError

if TYPE_CHECKING:
    from mtf_action.vulns.options import VulnOptions


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "verify",
        parents=[common],
        help="verify a released bundle, its provenance, claim and signatures",
        description="Verify BUNDLE and the release assets beside it (or in --assets-dir) "
        "against an expected signer: --repository (GitHub Actions), --identity/--issuer, "
        "or --key.",
    )
    parser.add_argument(
        "bundle",
        nargs="?",
        help="the .mcpb bundle (assets are named after it); with --tag, optionally the "
        "name of the release's bundle to verify",
    )
    parser.add_argument(
        "--assets-dir", metavar="DIR", help="where the release assets are (default: beside BUNDLE)"
    )
    trust = parser.add_argument_group("trust (keyless)")
    trust.add_argument(
        "--offline",
        action="store_true",
        help="no network: use the cached or embedded Sigstore trusted root instead of a TUF refresh",
    )
    trust.add_argument("--trusted-root", metavar="FILE", help="pin a trusted_root.json")
    trust.add_argument(
        "--trust-config", metavar="FILE", help="pin the trusted root of a client trust config"
    )
    trust.add_argument("--staging", action="store_true", help="trust Sigstore staging")
    who = parser.add_argument_group("expected signer")
    who.add_argument("--repository", metavar="OWNER/REPO", help="GitHub repository that signed")
    who.add_argument(
        "--workflow",
        metavar="WORKFLOW",
        help="signing workflow: FILE.yml, .github/workflows/FILE.yml or "
        "OWNER/REPO/.github/workflows/FILE.yml, optionally @REF",
    )
    who.add_argument("--ref", metavar="GLOB", help="source ref glob, e.g. 'refs/tags/v*'")
    who.add_argument(
        "--issuer", metavar="URL", help="OIDC issuer (default for --repository: GitHub Actions)"
    )
    who.add_argument("--identity", metavar="ID", help="exact certificate identity (with --issuer)")
    who.add_argument("--key", metavar="PUB.pem", help="public key of a key-signed release")
    parser.add_argument(
        "--min-level",
        type=int,
        metavar="N",
        choices=(1, 2, 3, 4),
        help="fail unless the verified MTF level is at least N",
    )
    parser.add_argument(
        "--rescan",
        action="store_true",
        help="rescan the bundle; the claim's level must not exceed the rescan's",
    )
    add_vuln_arguments(parser)  # SC-02 of the rescan
    parser.add_argument(
        "--format", choices=("text", "json"), default=None, help="output format (default: text)"
    )
    release = parser.add_argument_group("from a GitHub release (with --repository)")
    release.add_argument(
        "--tag", metavar="TAG", help="download the assets of release TAG of --repository first"
    )
    add_github_options(release)
    parser.set_defaults(run=run)


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    unused = given(args)
    if unused and not args.rescan:
        verb = "apply" if len(unused) > 1 else "applies"
        raise UsageError(f"{', '.join(unused)} {verb} to the rescan only: add --rescan")
    if args.tag is None:
        if args.bundle is None:
            raise UsageError("give BUNDLE, or --repository and --tag to verify a GitHub release")
        return _verify(args, reporter, Path(args.bundle), vuln_options(args))
    if not args.repository:
        raise UsageError("--tag needs --repository OWNER/REPO (the release's repository)")
    import tempfile

    from mtf_action._commands.download import github_settings
    from mtf_action.github.client import make_client
    from mtf_action.github.download import download_release

    vulns = vuln_options(args)  # unusable files: exit 3 before anything is downloaded
    client = make_client(github_settings(args))
    with tempfile.TemporaryDirectory(prefix="mtf-verify-") as private:
        directory = Path(private)
        download_release(client, args.repository, args.tag, directory, reporter=reporter)
        return _verify(args, reporter, _pick_bundle(directory, args.bundle, args.tag), vulns)


def _pick_bundle(directory: Path, wanted: str | None, tag: str) -> Path:
    bundles = sorted(p for p in directory.iterdir() if p.name.endswith(".mcpb"))
    chosen = bundles if wanted is None else [p for p in bundles if p.name == Path(wanted).name]
    if len(chosen) == 1:
        return chosen[0]
    names = ", ".join(p.name for p in bundles) or "none"
    if not chosen:
        raise InvalidInputError(f"release {tag}: no bundle {wanted or '*.mcpb'} (bundles: {names})")
    raise UsageError(f"release {tag} has several bundles ({names}): name one as BUNDLE")


def _verify(args: argparse.Namespace, reporter: Reporter, bundle: Path, vulns: VulnOptions) -> int:
    from mtf_action.signing.policy import IdentityRequirement
    from mtf_action.signing.trust import VerifyTrust
    from mtf_action.verify import VerifyOptions, verify_release
    from mtf_action.verify.render import human_lines

    if args.format == "json":
        reporter.json_output = True
    options = VerifyOptions(
        bundle=bundle,
        assets_dir=_path(args.assets_dir),
        trust=VerifyTrust(
            staging=args.staging,
            offline=args.offline,
            trusted_root=_path(args.trusted_root),
            trust_config=_path(args.trust_config),
        ),
        identity=IdentityRequirement(
            # With --key and --tag, --repository only says where the release is.
            repository=None if args.key and args.tag else args.repository,
            workflow=args.workflow,
            ref=args.ref,
            issuer=args.issuer,
            identity=args.identity,
        ),
        key=_path(args.key),
        min_level=args.min_level,
        rescan=args.rescan,
        vulns=vulns,
    )
    result = verify_release(options, reporter)
    reporter.summary(result.model_dump(mode="json"), human_lines(result))
    return result.exit_code
