"""Which Sigstore instance to trust: for signing (trust config) and verifying (trusted root).

Signing needs a ``ClientTrustConfig`` (trusted root + signing config with the
Fulcio, Rekor and TSA URLs): Sigstore production (default), staging, or a
custom JSON file for private instances and tests. Rekor v1 is forced by
default because every current verifier reads its entries; Rekor v2 entries
need sigstore-python >= 4 or a recent cosign (see ``docs``/peers notes).

Verifying needs only a trusted root: production through a TUF refresh (the
only network access verification makes), ``offline`` (sigstore-python's TUF
cache, else the copy embedded in the package: unverified and possibly stale),
a pinned ``trusted_root.json`` file, or the root inside a trust config file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sigstore.errors import Error as SigstoreError
from sigstore.errors import TUFError
from sigstore.models import ClientTrustConfig, TrustedRoot

from mtf_action.errors import InvalidInputError, RemoteServiceError, UsageError


@dataclass(frozen=True)
class SigningTrust:
    """Where keyless signing goes: production, staging or a custom trust config file."""

    staging: bool = False
    trust_config: Path | None = None
    rekor_version: int = 1


@dataclass(frozen=True)
class VerifyTrust:
    """What keyless verification trusts (see module docstring)."""

    staging: bool = False
    offline: bool = False
    trusted_root: Path | None = None
    trust_config: Path | None = None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"cannot read: {exc}", path=path) from exc


class _DropOfflineNotice(logging.Filter):
    # sigstore-python logs a warning for every offline load; the caller reports
    # the offline mode itself (library code does not print).
    def filter(self, record: logging.LogRecord) -> bool:
        return "offline mode" not in record.getMessage()


def _from_tuf(staging: bool, offline: bool) -> ClientTrustConfig:
    tuf_logger = logging.getLogger("sigstore._internal.tuf")
    notice = _DropOfflineNotice()
    tuf_logger.addFilter(notice)
    try:
        if staging:
            return ClientTrustConfig.staging(offline=offline)
        return ClientTrustConfig.production(offline=offline)
    except TUFError as exc:
        instance = "staging" if staging else "production"
        raise RemoteServiceError(
            f"Sigstore {instance} TUF repository unreachable or invalid ({exc}); "
            "use --offline or --trusted-root FILE to verify without network"
        ) from exc
    finally:
        tuf_logger.removeFilter(notice)


def load_trust_config_file(path: Path) -> ClientTrustConfig:
    """A ``ClientTrustConfig`` JSON file (trusted root + signing config)."""
    try:
        return ClientTrustConfig.from_json(_read(path))
    except (ValidationError, ValueError, SigstoreError) as exc:
        raise InvalidInputError(
            f"not a Sigstore client trust config: {_short(exc)}", path=path
        ) from exc


def load_trusted_root_file(path: Path) -> TrustedRoot:
    """A pinned ``trusted_root.json`` (protobuf-specs ``TrustedRoot``)."""
    try:
        return TrustedRoot.from_file(str(path))
    except OSError as exc:
        raise InvalidInputError(f"cannot read: {exc.strerror or exc}", path=path) from exc
    except (ValidationError, ValueError, SigstoreError) as exc:
        raise InvalidInputError(f"not a Sigstore trusted root: {_short(exc)}", path=path) from exc


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc']) or '(root)'}: {first['msg']}"
    return " ".join(str(exc).split())


def signing_trust_config(trust: SigningTrust) -> ClientTrustConfig:
    """The trust config for signing, with the Rekor major version pinned."""
    if trust.staging and trust.trust_config is not None:
        raise UsageError("--staging and --trust-config are mutually exclusive")
    if trust.trust_config is not None:
        config = load_trust_config_file(trust.trust_config)
    else:
        config = _from_tuf(trust.staging, offline=False)
    config.force_tlog_version = trust.rekor_version
    try:
        config.signing_config  # noqa: B018 - validates the services now, not mid-signing
    except SigstoreError as exc:
        where = trust.trust_config or ("staging" if trust.staging else "production")
        raise InvalidInputError(f"unusable signing config: {exc}", path=where) from exc
    return config


def verification_trusted_root(trust: VerifyTrust) -> TrustedRoot:
    """The trusted root for keyless verification."""
    chosen = [trust.trusted_root is not None, trust.trust_config is not None, trust.staging]
    if sum(chosen) > 1:
        raise UsageError("choose one of --trusted-root, --trust-config and --staging")
    if trust.trusted_root is not None:
        return load_trusted_root_file(trust.trusted_root)
    if trust.trust_config is not None:
        return load_trust_config_file(trust.trust_config).trusted_root
    return _from_tuf(trust.staging, trust.offline).trusted_root
