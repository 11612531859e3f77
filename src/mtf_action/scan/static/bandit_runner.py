"""Bandit, run in-process on file contents the scan context already holds (MTF CQ-03).

Bandit's public entry point (``BanditManager.run_tests``) opens every file
itself. The scan reads each file once (``ScanContext.read_bytes``), so the bytes
are handed to Bandit as in-memory streams through ``BanditManager._parse_file``
-- the per-file step ``run_tests`` calls, with Bandit's own tokenising, AST
visiting, metrics and per-file error handling. It is a private method, so the
supported Bandit range is pinned in pyproject.toml and :func:`run_bandit`
refuses to run (an error, never a silent pass) if the method is missing.

Bandit's ``# nosec`` handling is off (``ignore_nosec=True``): suppressions are
applied afterwards with MTF's justification rule (:mod:`.suppressions`).
Errors Bandit logs instead of raising (a plugin crashing on a file) are
collected, so the control can report ``error`` rather than pass unchecked code.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

_LOGGER = "bandit"


class BanditCrash(RuntimeError):
    """Bandit could not be run at all (missing API, configuration failure)."""


class BanditIssue(BaseModel):
    """One result of ``bandit.core.issue.Issue.as_dict`` (Bandit's JSON report shape)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    filename: str
    test_name: str
    test_id: str
    issue_severity: str
    issue_confidence: str
    issue_text: str
    issue_cwe: dict[str, object] = Field(default_factory=dict)
    line_number: int
    line_range: list[int] = Field(default_factory=list)

    @property
    def cwe(self) -> int | None:
        value = self.issue_cwe.get("id")
        return value if isinstance(value, int) else None


@dataclass
class BanditRun:
    """What Bandit found in a set of files, and which files it could not analyse."""

    issues: list[BanditIssue] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # path -> reason
    errors: list[str] = field(default_factory=list)  # internal errors Bandit logged
    files: int = 0
    more_info: dict[str, str] = field(default_factory=dict)  # test ID -> documentation URL


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().splitlines()[0])


def run_bandit(sources: Iterable[tuple[str, Path, bytes]]) -> BanditRun:
    """Run Bandit's default checks on ``(relative path, absolute path, content)`` triples.

    The absolute path only names the file (Bandit derives the module's dotted
    name from ``__init__.py`` files next to it); the content is never re-read.
    Issue file names in the result are the relative paths.
    """
    with warnings.catch_warnings():  # stevedore deprecation noise while plugins load
        warnings.simplefilter("ignore", DeprecationWarning)
        from bandit.core import config as b_config
        from bandit.core import manager as b_manager

    parse = getattr(b_manager.BanditManager, "_parse_file", None)
    if parse is None:
        raise BanditCrash("this Bandit version has no BanditManager._parse_file")
    try:
        manager = b_manager.BanditManager(
            b_config.BanditConfig(), "file", quiet=True, ignore_nosec=True
        )
    except Exception as exc:  # Bandit raises its own ConfigError and plugin load errors
        raise BanditCrash(f"cannot set Bandit up: {exc}") from exc

    run = BanditRun()
    logger = logging.getLogger(_LOGGER)
    collector = _Collector()
    logger.addHandler(collector)
    relative: dict[str, str] = {}
    try:
        for rel, absolute, data in sources:
            name = str(absolute)
            relative[name] = rel
            listed = [name]  # Bandit removes a file it skips from this list
            manager._parse_file(name, io.BytesIO(data), listed)
            run.files += 1
    finally:
        logger.removeHandler(collector)
    run.errors = collector.messages
    for name, reason in manager.get_skipped():
        run.skipped[relative.get(name, name)] = reason
    for issue in manager.get_issue_list():
        data = issue.as_dict(with_code=False)
        data["filename"] = relative.get(data["filename"], data["filename"])
        run.issues.append(BanditIssue.model_validate(data))
    for test_id in sorted({issue.test_id for issue in run.issues}):
        url = more_info(test_id)
        if url:
            run.more_info[test_id] = url
    return run


def bandit_job(sources: list[tuple[str, Path, bytes]]) -> BanditRun | str:
    """:func:`run_bandit`, or why it could not run: a result a forked child can send back."""
    try:
        return run_bandit(sources)
    except BanditCrash as exc:
        return str(exc)


def more_info(test_id: str) -> str | None:
    """Bandit's documentation page for a test ID."""
    from bandit.core import docs_utils

    url = docs_utils.get_url(test_id)  # a plain string lookup, no network
    return url if isinstance(url, str) else None
