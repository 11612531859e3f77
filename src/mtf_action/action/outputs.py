"""Workflow commands and the files the runner reads back after the step.

* outputs go to ``$GITHUB_OUTPUT`` as ``name<<DELIMITER`` blocks with a random
  delimiter, so no value (a path, a multi-line report) can end its block early or
  forge another output;
* the Markdown report is appended to ``$GITHUB_STEP_SUMMARY``;
* findings become ``::error``/``::warning``/``::notice`` annotations, with the
  escaping the runner undoes (``%``, ``\\r``, ``\\n`` in messages; also ``:``
  and ``,`` in properties);
* ``::add-mask::`` is printed for every secret **before anything else**: the
  runner masks a value only in lines printed after it learnt about it.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Literal

from mtf_action.errors import EnvironmentProblem, UsageError

Level = Literal["error", "warning", "notice"]


def escape_data(text: str) -> str:
    """A workflow command's message (after ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=`` ...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, properties: Mapping[str, str | int | None] = {}) -> str:
    """One workflow command line, without the trailing newline."""
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None and value != ""
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def mask_lines(secret: str) -> list[str]:
    """``::add-mask::`` lines for a secret; a multi-line one (a PEM) line by line.

    The runner masks each registered value separately and a multi-line value is
    never printed as one line, so each non-blank line is registered as well.
    """
    values = [secret.strip()] if "\n" not in secret.strip() else []
    values += [line.strip() for line in secret.splitlines() if len(line.strip()) >= 4]
    return [command("add-mask", v) for v in dict.fromkeys(values) if v]


class Workflow:
    """What the step tells the runner: masks, annotations, outputs, summary."""

    def __init__(self, env: Mapping[str, str], stdout: IO[str] | None = None) -> None:
        self._out = stdout if stdout is not None else sys.stdout
        self._output_file = _file(env, "GITHUB_OUTPUT")
        self._summary_file = _file(env, "GITHUB_STEP_SUMMARY")
        self.outputs: dict[str, str] = {}

    def print(self, line: str) -> None:
        self._out.write(line + "\n")
        self._out.flush()

    def mask(self, secrets_: Iterable[str]) -> None:
        for value in secrets_:
            for line in mask_lines(value):
                self.print(line)

    def annotate(
        self,
        level: Level,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        title: str | None = None,
    ) -> None:
        self.print(command(level, message, {"file": file, "line": line, "title": title}))

    def set_output(self, name: str, value: str) -> None:
        if not name or any(c in name for c in "\r\n=<"):
            raise UsageError(f"not an output name: {name!r}")
        self.outputs[name] = value
        if self._output_file is None:
            return
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        while delimiter in value:  # pragma: no cover - 128 random bits
            delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        _append(self._output_file, f"{name}<<{delimiter}\n{value}\n{delimiter}\n")

    def summary(self, markdown: str) -> None:
        if self._summary_file is not None:
            _append(self._summary_file, markdown if markdown.endswith("\n") else markdown + "\n")


def _file(env: Mapping[str, str], name: str) -> Path | None:
    value = env.get(name)
    return Path(value) if value else None


def _append(path: Path, text: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write: {exc.strerror}", path=path) from None
