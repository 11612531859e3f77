"""Start-up shortcuts shared by the command-line entry points (CLI and Action).

jsonschema's format checker imports every optional format library that is
installed, at import time. Some are expensive and back formats no schema we
validate uses (MCPB manifests, the MTF extension, report and claim, SARIF,
SPDX 2.3, CycloneDX 1.6: date, date-time, email, idn-email, uri,
uri-reference, iri-reference). Hiding them from the entry-point processes
skips their import; library users who import :mod:`mtf_action` keep
jsonschema's full behaviour. tests/test_startup.py checks the schemas still
need none of the formats listed here.
"""

from __future__ import annotations

import sys

# module -> the jsonschema formats it backs
UNUSED_FORMAT_MODULES: dict[str, tuple[str, ...]] = {
    # Compiles ~40 Lark grammars (about 1 s). iri-reference (CycloneDX) goes unchecked
    # rather than pay that on every start: it is a syntax check of URLs only.
    "rfc3987_syntax": ("iri", "iri-reference"),
    "isoduration": ("duration",),  # pulls in arrow: ~25 ms
    "webcolors": ("color",),
    "uri_template": ("uri-template",),
    "jsonpointer": ("json-pointer", "relative-json-pointer"),
    "fqdn": ("hostname",),
}


def skip_unused_format_modules() -> None:
    """Make the imports of :data:`UNUSED_FORMAT_MODULES` fail (jsonschema then skips them)."""
    for module in UNUSED_FORMAT_MODULES:
        sys.modules.setdefault(module, None)  # type: ignore[arg-type]
