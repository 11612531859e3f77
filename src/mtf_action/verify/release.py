"""The release under verification: the bundle file, its members and the assets beside it.

Nothing here trusts the archive: members are read through :class:`SafeBundle`
(names, symlinks, duplicates, sizes and ratios are checked before anything is
inflated), each at most once, and only the few members the checks compare
(``manifest.json``, ``sbom.cdx.json``, ``.sigstore/*``) are kept in memory.
Assets are looked up by the contract's names (:mod:`mtf_action.attest.assets`)
in the assets directory; a missing one is a :class:`MissingAsset` (exit code
3), except the signatures of a release whose claim says it was made unsigned
(``--sign none``): that is a verification failure with the cause ``unsigned``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from mtf_action.attest.assets import SBOM_MEMBER
from mtf_action.attest.embedded import EMBEDDED_PAYLOAD, EMBEDDED_SIGNATURE
from mtf_action.attest.names import AssetNames, asset_names_for_bundle
from mtf_action.bundle.reader import SafeBundle
from mtf_action.digests import sha256_and_size
from mtf_action.errors import BundleError, InvalidInputError
from mtf_action.manifest.loader import DEFAULT_MAX_SIZE as MANIFEST_MAX_SIZE
from mtf_action.manifest.loader import MANIFEST_NAME, parse_manifest_bytes
from mtf_action.signing.canonical import load_strict_json
from mtf_action.verify.result import CheckFailed, MissingAsset

_MAX_ASSET = 64 * 1024 * 1024  # attestations and the claim are KiB; an SBOM a few MiB
_KEPT = frozenset({MANIFEST_NAME, SBOM_MEMBER, EMBEDDED_PAYLOAD, EMBEDDED_SIGNATURE})


def file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, streamed."""
    try:
        return sha256_and_size(path)
    except OSError as exc:
        raise InvalidInputError(f"cannot read: {exc.strerror or exc}", path=path) from None


def _read_capped(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(_MAX_ASSET + 1)
    except OSError as exc:
        raise InvalidInputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    if len(data) > _MAX_ASSET:
        raise InvalidInputError(f"larger than {_MAX_ASSET} bytes", path=path)
    return data


class Release:
    """A bundle file and its release assets (see the module docstring)."""

    def __init__(self, bundle: Path, assets_dir: Path | None = None) -> None:
        if not bundle.is_file():
            raise InvalidInputError("no such file (expected a .mcpb bundle)", path=bundle)
        self.bundle_path = bundle
        self.assets_dir = assets_dir if assets_dir is not None else bundle.parent
        if not self.assets_dir.is_dir():
            raise InvalidInputError("assets directory does not exist", path=self.assets_dir)
        self.names: AssetNames = asset_names_for_bundle(bundle)
        self.bundle_sha256, self.bundle_size = file_digest(bundle)
        self._archive: SafeBundle | None = None
        self._archive_error: BundleError | None = None
        self._members: dict[str, tuple[str, int]] | None = None
        self._kept: dict[str, bytes] = {}
        self.unsigned = self._claim_says_unsigned()

    # -- assets -----------------------------------------------------------------------
    def asset_path(self, asset: str) -> Path:
        """Path of one asset, by :class:`AssetNames` field (``provenance``, ``claim``...)."""
        name: str = getattr(self.names, asset)
        return self.assets_dir / name

    def existing_asset(self, asset: str) -> Path:
        """The asset's path; a :class:`MissingAsset` (or ``unsigned`` failure) when absent."""
        path = self.asset_path(asset)
        if path.is_file():
            return path
        if self.unsigned and path.name in self.names.signatures:
            raise CheckFailed(
                "unsigned",
                f"{path.name} does not exist: the release was made unsigned "
                "(its claim records signing mode none), so nothing vouches for it",
            )
        raise MissingAsset("release asset not found", path=path)

    def read_asset(self, asset: str) -> bytes:
        path = self.existing_asset(asset)
        return _read_capped(path)

    def _claim_says_unsigned(self) -> bool:
        # Only chooses the wording of a failure: an unsigned claim is never trusted.
        path = self.asset_path("claim")
        try:
            raw = load_strict_json(_read_capped(path)) if path.is_file() else None
        except InvalidInputError:
            return False
        signing = raw.get("predicate", {}).get("signing") if isinstance(raw, dict) else None
        return isinstance(signing, dict) and signing.get("mode") == "none"

    # -- the archive ------------------------------------------------------------------
    def _open(self) -> SafeBundle:
        if self._archive_error is not None:
            raise self._archive_error
        if self._archive is None:
            try:
                self._archive = SafeBundle(self.bundle_path)
            except BundleError as exc:
                self._archive_error = exc
                raise
        return self._archive

    def member_digests(self) -> dict[str, tuple[str, int]]:
        """SHA-256 and size of every file member (directory entries are not content)."""
        if self._members is None:
            archive = self._open()
            digests: dict[str, tuple[str, int]] = {}
            for name in archive.names():
                if name.endswith("/"):
                    continue
                data = archive.read(name)
                digests[name] = (hashlib.sha256(data).hexdigest(), len(data))
                if name in _KEPT:
                    self._kept[name] = data
            self._members = digests
        return self._members

    def member(self, name: str) -> bytes | None:
        """The bytes of a member the checks compare, or None when the bundle lacks it."""
        if name not in self._kept:
            archive = self._open()
            if not archive.has(name):
                return None
            limit = MANIFEST_MAX_SIZE if name == MANIFEST_NAME else None
            self._kept[name] = archive.read(name, max_size=limit)
        return self._kept[name]

    def required_member(self, name: str) -> bytes:
        data = self.member(name)
        if data is None:
            raise CheckFailed("member-missing", f"the bundle has no {name}")
        return data

    def manifest(self) -> tuple[dict[str, Any], bytes]:
        """The bundle's parsed ``manifest.json`` and its bytes."""
        data = self.required_member(MANIFEST_NAME)
        source = f"{self.bundle_path.name}!{MANIFEST_NAME}"
        return parse_manifest_bytes(data, source), data

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
