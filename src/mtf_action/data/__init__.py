"""Reference data shipped with mtf-attest (JSON documents, each stating its sources).

Readers validate every document with a pydantic model before use; this module
only locates and parses the files inside the installed package.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def read_json(name: str) -> Any:
    """The parsed JSON document ``name`` of this package (e.g. ``oauth_scopes.json``)."""
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))
