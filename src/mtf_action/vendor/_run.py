"""Run pip, uv or npm as a subprocess: time limit, captured output, one-line errors.

The tool inherits the caller's environment unchanged (``PIP_INDEX_URL``,
``PIP_FIND_LINKS``, ``npm_config_cache``, ``npm_config_offline``... are how
users and tests point installs at mirrors or offline caches). The environment
is never logged: it may hold registry tokens. The command line and the full
output go to ``reporter.debug``; a failure raises :class:`VendorError` with the
tool's most telling error line only.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from mtf_action.console import Reporter
from mtf_action.errors import VendorError

DEFAULT_TIMEOUT = 900.0  # seconds; a large dependency tree on a slow mirror
_MAX_MESSAGE = 240
_ERROR_LINE = re.compile(r"^(ERROR:|error:|error\b|npm error|npm ERR!|×|fatal:)", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"(complete log of this run|^npm (error|ERR!) (code|errno|syscall|path|command|cwd)\b"
    r"|^npm (error|ERR!)\s*$|A complete log)",
    re.IGNORECASE,
)
_WARNING = re.compile(r"^(npm warn|WARNING:|warning:)", re.IGNORECASE)


def run_tool(
    argv: Sequence[str],
    *,
    cwd: Path,
    about: str | Path,
    reporter: Reporter,
    missing_hint: str = "",
    name: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` in ``cwd``; ``about`` is the lockfile/manifest errors name.

    ``env`` adds to (never replaces) the inherited environment; ``name`` is how
    messages call the tool (default: the program's file name).
    """
    tool = name or Path(argv[0]).name
    # The resolved path is what runs: on Windows `npm` is `npm.cmd`, which
    # CreateProcess only finds through PATHEXT, as shutil.which does.
    program = shutil.which(argv[0])
    if program is None:
        hint = f" ({missing_hint})" if missing_hint else ""
        raise VendorError(f"{tool} not found on PATH{hint}", path=about)
    environment = dict(os.environ)
    environment.update(env or {})
    reporter.debug(f"running {shlex.join(argv)} in {cwd}")
    try:
        result = subprocess.run(
            [program, *argv[1:]],
            cwd=cwd,
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise VendorError(f"{tool} did not finish within {timeout:.0f} s", path=about) from exc
    except OSError as exc:
        raise VendorError(f"cannot run {tool}: {exc.strerror or exc}", path=about) from exc
    for stream, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        if text.strip():
            reporter.debug(f"{tool} {stream}:\n{text.rstrip()}")
    if result.returncode != 0:
        reason = last_error_line(result.stderr) or last_error_line(result.stdout)
        raise VendorError(
            f"{tool} failed (exit {result.returncode}): {reason or 'no error message'}",
            path=about,
        )
    return result


def last_error_line(output: str) -> str:
    """The line of ``output`` that best says what went wrong, shortened.

    Prefers the last line marked as an error (``ERROR:``, ``npm error``...)
    that is not log-file boilerplate; else the last non-warning line.
    """
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    marked = [line for line in lines if _ERROR_LINE.match(line) and not _BOILERPLATE.search(line)]
    plain = [line for line in lines if not _WARNING.match(line)]
    chosen = (marked or plain or [""])[-1]
    if len(chosen) > _MAX_MESSAGE:
        first_sentence = chosen.split(". ", 1)[0]
        chosen = first_sentence if len(first_sentence) <= _MAX_MESSAGE else chosen[:_MAX_MESSAGE]
        chosen = chosen.rstrip(".") + " ..."
    return chosen
