"""``mtf-attest attest DIR --output-dir OUT``: the signed release of an MCP server.

Builds ``OUT/<name>-<version>.mcpb`` with the MTF AI-03 signature inside, then
writes its SBOM, hashes, SLSA provenance, MTF claim (+ signature), SBOM
attestation and SLSA VSA beside it (see ``docs/attestations.md``).

Signing mode (``--sign``): ``sigstore`` by default inside GitHub Actions
(``GITHUB_ACTIONS=true``), else ``key`` when ``--key`` is given; otherwise the
mode must be chosen explicitly (``none`` is never implied). The OIDC token may
come from ``MTF_IDENTITY_TOKEN`` so it stays out of the process list.

Exit codes: 0 everything was produced and the verified level meets ``--level``
(if given) and the manifest's claim (if any); 1 otherwise (the outputs are still
written: the claim records the truth); 2 usage; 3 invalid input; 4 environment
or an unreachable signing service.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtf_action.console import Reporter
from mtf_action.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from mtf_action.attest.result import AttestResult
    from mtf_action.signing.keys import PublicKey
    from mtf_action.signing.signers import Signer

TOKEN_ENV = "MTF_IDENTITY_TOKEN"


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
    parser.add_argument("directory", help="server source directory (holds manifest.json)")
    parser.add_argument("-o", "--output-dir", required=True, help="where outputs are written")
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


@contextmanager
def _signer(
    args: argparse.Namespace, mode: str, reporter: Reporter
) -> Iterator[tuple[Signer, PublicKey | None, Path | None]]:
    """The signer, the key-mode public key, and the keyless trusted root for the scan."""
    from mtf_action.signing.keys import load_private_key
    from mtf_action.signing.signers import KeySigner, NoneSigner

    if mode == "none":
        yield NoneSigner(), None, None
        return
    if mode == "key":
        key = load_private_key(args.key, password_env=args.password_env)
        with KeySigner(key) as signer:
            yield signer, key.public_key(), None
        return
    from mtf_action.signing.sigstore_signer import SigstoreSigner, resolve_identity_token
    from mtf_action.signing.trust import SigningTrust, signing_trust_config

    trust = SigningTrust(
        staging=args.staging,
        trust_config=Path(args.trust_config) if args.trust_config else None,
    )
    config = signing_trust_config(trust)
    token = resolve_identity_token(args.identity_token or os.environ.get(TOKEN_ENV))
    with (
        SigstoreSigner(token, config, reporter=reporter) as signer,
        tempfile.TemporaryDirectory(prefix="mtf-attest-root-") as tmp,
    ):
        root = trust.trust_config
        if root is None:
            # The scan checks the new signatures under the root they were made with
            # (sigstore-python has no public serialiser for it; without one the scan
            # falls back to the production root in sigstore's TUF cache).
            inner = getattr(config.trusted_root, "_inner", None)
            if inner is not None and hasattr(inner, "to_json"):
                root = Path(tmp) / "trusted_root.json"
                root.write_text(inner.to_json(), encoding="utf-8")
        yield signer, None, root


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


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from mtf_action.attest.pipeline import AttestOptions, attest

    mode = signing_mode(args, os.environ)
    with _signer(args, mode, reporter) as (signer, public_key, trusted_root):
        result = attest(
            AttestOptions(
                source_dir=Path(args.directory),
                output_dir=Path(args.output_dir),
                vendor=not args.no_vendor,
                source_date_epoch=args.source_date_epoch,
                level=args.level,
                trusted_root=trusted_root,
            ),
            signer,
            reporter,
            public_key=public_key,
        )
    reporter.summary(result.model_dump(mode="json"), _lines(result))
    return int(ExitCode.OK if result.ok else ExitCode.POLICY_FAILURE)
