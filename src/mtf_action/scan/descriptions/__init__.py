"""CD-03 Description Safety: finding poisoned tool, prompt and server descriptions.

``manifest_fields`` lists the texts of a manifest that a model reads;
``scan_field`` / ``scan_fields`` return :class:`Detection` objects, each naming
its :class:`Category`, rule and the offending span (invisible characters made
visible). The control in ``scan.controls.cd03_descriptions`` turns them into
findings.
"""

from __future__ import annotations

from mtf_action.scan.descriptions.detector import RULES, scan_field, scan_fields
from mtf_action.scan.descriptions.fields import (
    DescriptionField,
    FieldKind,
    manifest_fields,
    tool_fields,
)
from mtf_action.scan.descriptions.model import Category, Detection

__all__ = [
    "RULES",
    "Category",
    "DescriptionField",
    "Detection",
    "FieldKind",
    "manifest_fields",
    "scan_field",
    "scan_fields",
    "tool_fields",
]
