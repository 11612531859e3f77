"""The credentials a manifest declares (``_meta["org.mpaktrust"].credentials``), read defensively.

AI-01 reports schema violations; CD-04 and CD-05 still look at whatever can be
read: an entry that is not an object is skipped, a ``scopes`` value that is not
a list of strings yields the strings it has. ``pointer`` locates the entry in
manifest.json for line numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mtf_action.models.manifest import MTF_NAMESPACE
from mtf_action.scan.controls._manifest_source import mtf_extension

BASE_POINTER = f"/_meta/{MTF_NAMESPACE}/credentials"


@dataclass(frozen=True)
class DeclaredCredential:
    index: int
    provider: str | None
    scopes: tuple[str, ...]
    justification: str | None
    token_handling: dict[str, Any] | None  # None: not declared (or not an object)
    token_handling_present: bool  # the key exists, whatever its value

    @property
    def pointer(self) -> str:
        return f"{BASE_POINTER}/{self.index}"

    @property
    def label(self) -> str:
        """How findings name the credential: ``credentials[0] (google)``."""
        return f"credentials[{self.index}] ({self.provider or 'no provider'})"


def declared_credentials(raw: dict[str, Any]) -> list[DeclaredCredential]:
    """Every readable credential entry of a parsed manifest (empty when none)."""
    entries = mtf_extension(raw).get("credentials")
    if not isinstance(entries, list):
        return []
    found: list[DeclaredCredential] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        provider = entry.get("provider")
        scopes = entry.get("scopes")
        justification = entry.get("justification")
        handling = entry.get("token_handling")
        found.append(
            DeclaredCredential(
                index=index,
                provider=provider if isinstance(provider, str) and provider.strip() else None,
                scopes=tuple(s for s in scopes if isinstance(s, str) and s.strip())
                if isinstance(scopes, list)
                else (),
                justification=justification if isinstance(justification, str) else None,
                token_handling=handling if isinstance(handling, dict) else None,
                token_handling_present="token_handling" in entry,
            )
        )
    return found


def credentials_key_present(raw: dict[str, Any]) -> bool:
    """True when the manifest has a ``credentials`` key at all (even an empty or broken one)."""
    return "credentials" in mtf_extension(raw)
