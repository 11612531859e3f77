"""An offline OSV database: a directory or zip of OSV records in JSON or YAML.

Accepted layouts are the ones the OSV project and its feeders publish: the
per-ecosystem ``all.zip`` of ``<ID>.json`` files, a checkout of an advisory
repository (``vulns/<package>/PYSEC-*.yaml``), or any tree of such files.
Hidden directories (``.github/``...) are not read. A file that parses but is
not an OSV record (no ``id``/``affected``) is counted and skipped; a file that
does not parse, or an OSV record of the wrong shape, is an error naming it.

YAML is read with the base loader, which keeps every scalar a string: OSV
versions such as ``0.10`` must not become the float ``0.1``.

The database is loaded lazily, on the first query, and indexed by (ecosystem,
package name); its fingerprint (paths, sizes, modification times) names it in
the cache, so an updated database never answers from stale cache entries.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mtf_action.errors import InvalidInputError
from mtf_action.vulns.matching import advisory_from, match, package_name_key
from mtf_action.vulns.model import Component, OsvRecord
from mtf_action.vulns.sources.base import AdvisorySource, SourceAnswer

SUFFIXES = (".json", ".yaml", ".yml")


class LocalOsvDatabase:
    """OSV records from ``path`` (directory or ``.zip``), indexed by package."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise InvalidInputError("no such OSV database (directory or .zip)", path=path)
        self.path = path
        self._index: dict[tuple[str, str], list[OsvRecord]] | None = None
        self._fingerprint: str | None = None
        self.records = 0
        self.withdrawn = 0
        self.skipped: list[str] = []

    @property
    def fingerprint(self) -> str:
        """A digest of what the database holds, cheap to compute (stat, no parsing)."""
        if self._fingerprint is None:
            digest = hashlib.sha256(str(self.path.resolve()).encode())
            files = [self.path] if self.path.is_file() else sorted(self._files())
            for file in files:
                stat = file.stat()
                digest.update(f"\0{file}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
            self._fingerprint = digest.hexdigest()[:32]
        return self._fingerprint

    def records_for(self, ecosystem: str, key: str) -> list[OsvRecord]:
        if self._index is None:
            self._index = self._load()
        return self._index.get((ecosystem, package_name_key(ecosystem, key)), [])

    def _files(self) -> Iterator[Path]:
        for root, dirs, names in os.walk(self.path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in names:
                if name.endswith(SUFFIXES):
                    yield Path(root) / name

    def _documents(self) -> Iterator[tuple[str, str, bytes]]:
        """(display path, suffix, bytes) of every candidate file."""
        if self.path.is_dir():
            for file in sorted(self._files()):
                yield str(file), file.suffix, file.read_bytes()
            return
        try:
            with zipfile.ZipFile(self.path) as archive:
                for info in archive.infolist():
                    name = info.filename
                    hidden = any(p.startswith(".") for p in name.split("/")[:-1])
                    if info.is_dir() or hidden or not name.endswith(SUFFIXES):
                        continue
                    yield f"{self.path}!{name}", Path(name).suffix, archive.read(info)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InvalidInputError(
                f"not a readable zip of OSV records: {exc}", path=self.path
            ) from None

    def _load(self) -> dict[tuple[str, str], list[OsvRecord]]:
        index: dict[tuple[str, str], list[OsvRecord]] = defaultdict(list)
        for where, suffix, data in self._documents():
            parsed = _parse(where, suffix, data)
            if not (isinstance(parsed, dict) and "id" in parsed and "affected" in parsed):
                self.skipped.append(where)
                continue
            try:
                record = OsvRecord.model_validate(parsed)
            except ValidationError as exc:
                first = exc.errors()[0]
                pointer = "/".join(str(p) for p in first["loc"])
                raise InvalidInputError(
                    f"not a valid OSV record: /{pointer}: {first['msg']}", path=where
                ) from None
            if record.withdrawn:
                self.withdrawn += 1
                continue
            self.records += 1
            keys = {
                (
                    entry.package.ecosystem,
                    package_name_key(entry.package.ecosystem, entry.package.name),
                )
                for entry in record.affected
                if entry.package is not None
            }
            for key in keys:
                index[key].append(record)
        return dict(index)


def _parse(where: str, suffix: str, data: bytes) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError("not UTF-8 text", path=where) from None
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(f"cannot parse: {_short(exc)}", path=where) from None
    import yaml  # imported for YAML databases only (OSV's own exports are JSON)

    loader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    try:
        return yaml.load(text, Loader=loader)  # base loader: strings only, no objects
    except yaml.YAMLError as exc:
        raise InvalidInputError(f"cannot parse: {_short(exc)}", path=where) from None


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]


class LocalDbSource(AdvisorySource):
    """One or more local databases (e.g. OSV's PyPI and npm exports side by side)."""

    name = "offline"
    online = False

    def __init__(self, databases: Sequence[LocalOsvDatabase]) -> None:
        self.databases = list(databases)

    @property
    def identity(self) -> str:
        return "osv-local " + "+".join(db.fingerprint for db in self.databases)

    @property
    def description(self) -> str:
        return "local OSV database " + ", ".join(str(db.path) for db in self.databases)

    def query(self, components: Sequence[Component]) -> SourceAnswer:
        answer = SourceAnswer()
        for component in components:
            found = answer.advisories[component.purl] = []
            seen: set[str] = set()
            for db in self.databases:
                for record in db.records_for(component.ecosystem, component.key):
                    if record.id in seen:
                        continue
                    seen.add(record.id)
                    verdict = match(record, component)
                    answer.notes += [
                        f"{component.name} {component.version}: {u}" for u in verdict.undecided
                    ]
                    if verdict.affected:
                        found.append(advisory_from(record, component, self.name, verdict))
        for db in self.databases:
            if db.skipped:
                answer.notes.append(
                    f"{len(db.skipped)} files in {db.path} are not OSV records and were "
                    f"skipped (first: {db.skipped[0]})"
                )
        return answer
