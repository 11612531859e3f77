"""JSON Schema errors turned into precise issues (AI-01 step 2, and section 4.1 step 2).

``jsonschema`` reports "Additional properties are not allowed ('a', 'b' were
unexpected)" once per object; users need one issue per offending key, with its
pointer, its line and a way out. The MCPB-specific handling of known spec/schema
disagreements lives in :mod:`mtf_action.manifest.mcpb_check`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from mtf_action.manifest.findings import Findings
from mtf_action.manifest.positions import escape_pointer_token, pointer
from mtf_action.models.manifest_report import Severity
from mtf_action.schemas import mtf_extension_schema

_FORMAT_HINTS = {
    "uri": "use an absolute URI, e.g. https://example.com/privacy",
    "email": "use an address such as name@example.com",
    "date": "use a date as YYYY-MM-DD",
}


def show(value: Any, limit: int = 60) -> str:
    """A JSON rendering of a value for messages, shortened."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return {dict: "object", list: "array", str: "string", int: "integer", float: "number"}.get(
        type(value), type(value).__name__
    )


def extra_keys(error: ValidationError) -> list[str]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [
        key for key in instance if key not in known and not any(re.search(p, key) for p in patterns)
    ]


def generic_issue(
    error: ValidationError, findings: Findings, *, prefix: str, label: str, base: str
) -> None:
    """Report one schema error in plain words; ``base`` prefixes the error's own path."""
    here = base + pointer(*error.absolute_path)
    kind = str(error.validator)
    instance: Any = error.instance
    expected: Any = error.validator_value
    if kind == "required":
        for name in expected:
            if isinstance(instance, dict) and name not in instance:
                findings.add_missing(
                    f"{here}/{escape_pointer_token(name)}",
                    f'required field "{name}" is missing ({label})',
                    f'add "{name}"',
                )
        return
    if kind == "additionalProperties":
        for key in extra_keys(error):
            findings.add(
                f"{prefix}-unknown-property",
                Severity.BLOCK,
                f"{here}/{escape_pointer_token(key)}",
                f'"{key}" is not a property that {label} allows here',
                "remove it or correct its spelling",
            )
        return
    messages: dict[str, tuple[str, str, str | None]] = {
        "type": (
            "wrong-type",
            f"must be of type {expected}, not {json_type(instance)}",
            f"write a JSON {expected}",
        ),
        "format": (
            "invalid-format",
            f"{show(instance)} is not a valid {expected} ({label})",
            _FORMAT_HINTS.get(str(expected)),
        ),
        "enum": (
            "not-in-enum",
            f"{show(instance)} is not one of {show(expected, 120)}",
            "use one of the listed values",
        ),
        "const": ("wrong-value", f"must be {show(expected)}, not {show(instance)}", None),
        "pattern": (
            "pattern-mismatch",
            f"{show(instance)} does not match the pattern {expected}",
            None,
        ),
    }
    suffix, message, hint = messages.get(
        kind, ("schema-violation", f"{error.message} ({label})", None)
    )
    findings.add(f"{prefix}-{suffix}", Severity.BLOCK, here, message, hint)


def check_mtf_schema(extension: dict[str, Any], base: str, findings: Findings) -> bool:
    """Validate the MTF extension (draft 2020-12, formats checked); True if it passes."""
    validator = Draft202012Validator(
        mtf_extension_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    passed = True
    for error in ordered(validator.iter_errors(extension)):
        passed = False
        generic_issue(error, findings, prefix="mtf", label="MTF extension schema", base=base)
    return passed


def ordered(errors: Iterable[ValidationError]) -> list[ValidationError]:
    return sorted(errors, key=lambda e: [str(part) for part in e.absolute_path])
