"""AI-01 steps 3, 5 and 6 (MTF-0.1 section 3.2): required fields, semver, scoped names."""

from __future__ import annotations

import re
from typing import Any

import semver

from mtf_action.manifest.findings import Findings
from mtf_action.manifest.schema_issues import show
from mtf_action.models.manifest_report import Severity

# Fields of the AI-01 L1 table. manifest_version is checked when the schema is
# chosen, and tools by CD-01, so neither is repeated here.
_L1_FIELDS = ("name", "version", "description", "server")
_NPM_MAX_LENGTH = 214
_NPM_ALLOWED = re.compile(r"^[a-z0-9._-]+$")
_SCOPED = re.compile(r"^@([^/]*)/([^/]*)$")


def check_required_fields(raw: dict[str, Any], level: int, findings: Findings) -> None:
    """The L1 table, then the L2+ additions (author with email, repository)."""
    for name in _L1_FIELDS:
        if name not in raw:
            findings.add_missing(f"/{name}", f'required field "{name}" is missing (MTF L1, AI-01)')
    if level < 2:
        return
    author = raw.get("author")
    if author is None:
        findings.add_missing(
            "/author",
            "author is required at L2 and above (publisher identity: name and email)",
            'add "author": {"name": "...", "email": "..."}',
        )
    elif isinstance(author, dict):
        for key in ("name", "email"):
            if not author.get(key):
                findings.add_missing(
                    f"/author/{key}",
                    f"author.{key} is required at L2 and above (AI-01, publisher identity)",
                    f'add "{key}" to author',
                )
    repository = raw.get("repository")
    if repository is None:
        findings.add_missing(
            "/repository",
            "repository is required at L2 and above (source repository: type and url)",
            'add "repository": {"type": "git", "url": "https://..."}',
        )
    elif isinstance(repository, dict):
        for key in ("type", "url"):
            if not repository.get(key):
                findings.add_missing(
                    f"/repository/{key}",
                    f"repository.{key} is required at L2 and above (AI-01)",
                    f'add "{key}" to repository',
                )


def _semver_hint(version: str) -> str:
    text = version.strip()
    if text[:1] in ("v", "V") and semver.Version.is_valid(text[1:]):
        return f'drop the prefix: "{text[1:]}"'
    if re.fullmatch(r"\d+(\.\d+)?", text):
        parts = [*text.split("."), "0", "0"][:3]
        return f'use three numbers: "{".".join(str(int(p)) for p in parts)}"'
    return 'use MAJOR.MINOR.PATCH with optional -prerelease and +build, e.g. "1.0.0"'


def check_semver(raw: dict[str, Any], findings: Findings) -> None:
    """AI-01 step 5: ``version`` is Semantic Versioning 2.0.0."""
    version = raw.get("version")
    if isinstance(version, str) and not semver.Version.is_valid(version):
        findings.add(
            "version-not-semver",
            Severity.BLOCK,
            "/version",
            f"{show(version)} is not valid semver (Semantic Versioning 2.0.0)",
            _semver_hint(version),
        )


def npm_scoped_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid npm-style ``@scope/name``, or None when it is."""
    match = _SCOPED.match(name)
    if not match:
        return "is not scoped: L2 and above require @scope/name"
    if len(name) > _NPM_MAX_LENGTH:
        return f"is longer than {_NPM_MAX_LENGTH} characters (npm limit)"
    for part, label in ((match[1], "scope"), (match[2], "name")):
        if not part:
            return f"has an empty {label}"
        if part != part.lower():
            return f"{label} {part!r} has uppercase letters (npm names are lowercase)"
        if part[0] in "._":
            return f"{label} {part!r} starts with {part[0]!r} (npm forbids a leading . or _)"
        if not _NPM_ALLOWED.match(part):
            bad = "".join(sorted({c for c in part if not _NPM_ALLOWED.match(c)}))
            return f"{label} {part!r} contains {bad!r} (npm allows a-z, 0-9, '-', '.', '_')"
    return None


def check_scoped_name(raw: dict[str, Any], level: int, findings: Findings) -> None:
    """AI-01 step 6: at L2+ the name is ``@scope/name`` under npm's naming rules."""
    name = raw.get("name")
    if level < 2 or not isinstance(name, str):
        return
    problem = npm_scoped_name_problem(name)
    if problem:
        unscoped = problem.startswith("is not scoped")
        findings.add(
            "name-not-scoped" if unscoped else "name-invalid",
            Severity.BLOCK,
            "/name",
            f"{show(name)} {problem}",
            f'rename to "@<publisher>/{name.lower()}"'
            if unscoped
            else "lowercase letters, digits, '-', '.', '_' only, no leading '.' or '_'",
        )
