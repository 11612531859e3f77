"""Release asset names: what ``attest`` publishes beside a bundle, and ``verify`` looks for.

Kept apart from :mod:`mtf_action.attest.assets` (the readers of those assets)
so naming a bundle's assets loads no claim or provenance models: a scan only
needs to know where a bundle's provenance would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from mtf_action.errors import InvalidInputError

BUNDLE_SUFFIX: Final = ".mcpb"


@dataclass(frozen=True)
class AssetNames:
    """File names (no directory) of one release's assets."""

    stem: str
    bundle: str
    sbom: str
    hashes: str
    provenance: str
    claim: str
    claim_signature: str
    sbom_attestation: str
    vsa: str

    def paths(self, directory: Path) -> dict[str, Path]:
        """Every asset as a path in ``directory``, keyed by field name (stem left out)."""
        return {key: directory / value for key, value in vars(self).items() if key != "stem"}

    @property
    def signatures(self) -> tuple[str, ...]:
        """The ``.sigstore.json`` assets (not written with ``--sign none``)."""
        return (self.provenance, self.claim_signature, self.sbom_attestation, self.vsa)


def asset_names(stem: str) -> AssetNames:
    """The asset names for bundle stem ``stem`` (``<name>-<version>``)."""
    if not stem or "/" in stem or "\\" in stem:
        raise InvalidInputError(f"not a bundle stem: {stem!r}")
    bundle = stem + BUNDLE_SUFFIX
    return AssetNames(
        stem=stem,
        bundle=bundle,
        sbom=f"{stem}.sbom.cdx.json",
        hashes=f"{stem}.hashes.json",
        provenance=f"{bundle}.provenance.sigstore.json",
        claim=f"{bundle}.mtf-claim.json",
        claim_signature=f"{bundle}.mtf-claim.sigstore.json",
        sbom_attestation=f"{bundle}.sbom.sigstore.json",
        vsa=f"{bundle}.vsa.sigstore.json",
    )


def asset_names_for_bundle(bundle: Path | str) -> AssetNames:
    """The asset names that go with a bundle file (its name minus ``.mcpb``)."""
    name = Path(bundle).name
    stem = name[: -len(BUNDLE_SUFFIX)] if name.endswith(BUNDLE_SUFFIX) else Path(name).stem
    return asset_names(stem)
