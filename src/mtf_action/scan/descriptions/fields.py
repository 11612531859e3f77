"""The texts of a manifest that an LLM reads as instructions (MTF-0.1 CD-03).

Tool names and descriptions, every ``description`` (and ``title``) nested in a
tool's ``inputSchema``/``outputSchema``, prompt descriptions and templates,
and the server's ``description``/``long_description``. The spec lists schema
poisoning under "does not catch"; we scan it anyway because the public corpus
has parameter poisoning and clients forward schemas to the model verbatim.

Each text keeps its JSON pointer so a finding can name the line in
manifest.json, and the name of the tool or prompt it belongs to, which the
semantic-mismatch rule compares with the description.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

# Schema documents are untrusted input: bound the walk (depth and nodes) so a
# pathological manifest cannot make the scan quadratic or recurse too deep.
_MAX_SCHEMA_DEPTH = 32
_MAX_SCHEMA_NODES = 20_000
_SCHEMA_TEXT_KEYS = ("description", "title")


class FieldKind(enum.StrEnum):
    SERVER = "server"  # description, long_description
    TOOL_NAME = "tool-name"
    TOOL = "tool"  # a tool's description
    SCHEMA = "schema"  # a description/title inside inputSchema/outputSchema
    PROMPT_NAME = "prompt-name"
    PROMPT = "prompt"  # a prompt's description or text template


@dataclass(frozen=True)
class DescriptionField:
    """One scanned text: where it is, whose it is, what it says."""

    pointer: str  # RFC 6901 pointer into manifest.json
    kind: FieldKind
    owner: str | None  # the tool or prompt name (None for server-level texts)
    text: str

    @property
    def is_name(self) -> bool:
        return self.kind in (FieldKind.TOOL_NAME, FieldKind.PROMPT_NAME)


def _escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def manifest_fields(raw: Mapping[str, Any]) -> Iterator[DescriptionField]:
    """Every instruction-bearing text of a parsed manifest.json, in document order."""
    for key in ("description", "long_description"):
        value = raw.get(key)
        if isinstance(value, str):
            yield DescriptionField(f"/{key}", FieldKind.SERVER, None, value)
    yield from _entries(raw.get("tools"), "tools", FieldKind.TOOL_NAME, FieldKind.TOOL)
    yield from _entries(raw.get("prompts"), "prompts", FieldKind.PROMPT_NAME, FieldKind.PROMPT)


def tool_fields(tool: Mapping[str, Any], pointer: str = "") -> Iterator[DescriptionField]:
    """The texts of one tool object (MCP ``Tool`` shape: name, description, schemas)."""
    name = tool.get("name")
    owner = name if isinstance(name, str) else None
    if owner is not None:
        yield DescriptionField(f"{pointer}/name", FieldKind.TOOL_NAME, owner, owner)
    description = tool.get("description")
    if isinstance(description, str):
        yield DescriptionField(f"{pointer}/description", FieldKind.TOOL, owner, description)
    for key in ("inputSchema", "outputSchema", "input_schema", "output_schema"):
        schema = tool.get(key)
        if isinstance(schema, Mapping):
            yield from _schema_texts(schema, f"{pointer}/{key}", owner)


def _entries(
    items: object, key: str, name_kind: FieldKind, text_kind: FieldKind
) -> Iterator[DescriptionField]:
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            continue
        pointer = f"/{key}/{index}"
        if text_kind is FieldKind.TOOL:
            yield from tool_fields(item, pointer)
            continue
        name = item.get("name")
        owner = name if isinstance(name, str) else None
        if owner is not None:
            yield DescriptionField(f"{pointer}/name", name_kind, owner, owner)
        for text_key in ("description", "text"):
            value = item.get(text_key)
            if isinstance(value, str):
                yield DescriptionField(f"{pointer}/{text_key}", text_kind, owner, value)


def _schema_texts(
    schema: Mapping[str, Any], pointer: str, owner: str | None
) -> Iterator[DescriptionField]:
    # Iterative walk over nested objects and arrays: properties, items,
    # anyOf/oneOf/allOf, $defs ... wherever a description can hide.
    stack: list[tuple[object, str, int]] = [(schema, pointer, 0)]
    visited = 0
    while stack and visited < _MAX_SCHEMA_NODES:
        node, where, depth = stack.pop()
        visited += 1
        if depth > _MAX_SCHEMA_DEPTH:
            continue
        children: list[tuple[object, str, int]] = []
        if isinstance(node, Mapping):
            for key, value in node.items():
                child = f"{where}/{_escape(key)}"
                if key in _SCHEMA_TEXT_KEYS and isinstance(value, str):
                    yield DescriptionField(child, FieldKind.SCHEMA, owner, value)
                elif isinstance(value, Mapping | list):
                    children.append((value, child, depth + 1))
        elif isinstance(node, list):
            children = [
                (value, f"{where}/{i}", depth + 1)
                for i, value in enumerate(node)
                if isinstance(value, Mapping | list)
            ]
        stack.extend(reversed(children))
