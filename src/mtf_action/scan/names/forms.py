"""A package name's parts and the forms RG-02 compares.

``@scope/bare`` (npm and MCPB scoped names) or a bare name. Comparison forms
are lower-case, with runs of ``-``, ``_``, ``.`` and spaces folded to one ``-``
(PyPI's normalisation, also applied to npm names so that ``mcp_server.fetch`` and
``mcp-server-fetch`` are one name):

- ``full``: ``@scope/bare`` or ``bare``;
- ``flat``: ``scope-bare`` -- how a squatter drops the scope (``@stripe/mcp`` ->
  ``stripe-mcp``); the bare name for unscoped names;
- ``bare``: the part after the scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtf_action.scan.names.lookalike import skeleton

_SEPARATORS = re.compile(r"[\s\-_.]+")
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    return _SEPARATORS.sub("-", text.strip().casefold()).strip("-")


@dataclass(frozen=True)
class NameForms:
    original: str
    scope: str | None  # without "@"
    bare: str

    @classmethod
    def parse(cls, name: str, *, fold_lookalikes: bool = True) -> NameForms:
        """Split and normalise ``name``; look-alike characters folded to ASCII by default."""
        text = skeleton(name) if fold_lookalikes else name
        scope: str | None = None
        bare = text.strip()
        if bare.startswith("@") and "/" in bare:
            scope, _, bare = bare[1:].partition("/")
            scope = normalise(scope) or None
        return cls(original=name, scope=scope, bare=normalise(bare))

    @property
    def full(self) -> str:
        return f"@{self.scope}/{self.bare}" if self.scope else self.bare

    @property
    def flat(self) -> str:
        return f"{self.scope}-{self.bare}" if self.scope else self.bare

    def tokens(self) -> list[str]:
        """Words of the scope and bare name (``@acme/stripe-mcp`` -> acme, stripe, mcp)."""
        return [t for t in _TOKEN_SPLIT.split(f"{self.scope or ''} {self.bare}") if t]
