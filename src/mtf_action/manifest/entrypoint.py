"""AI-01 step 4: ``server.entry_point`` and ``mcp_config`` must name the same program.

A host runs ``mcp_config``; scanners, SBOMs and reviewers look at
``entry_point``. When they disagree, what is reviewed is not what runs. The
check compares what can be compared statically, per server type:

* node: ``${__dirname}/<entry_point>`` (or the bare path) among the args;
* python: the entry file among the args, or ``-m <module>`` equal to the module
  form of the entry file (``pkg/server.py`` -> ``pkg.server``; a leading source
  directory such as ``src/`` may be on the module path), or an entry point that
  is itself a module name;
* uv: the entry point among the args (``uv run <entry>``), else as python;
* binary: the command is the entry point.

A contradiction (another file or module is run) blocks. When the command names
no file of the bundle at all (``npx some-package``, a console script, ``-m`` of
the package that contains the entry file), the link cannot be decided
statically: that is a warning, not a pass.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any, Literal

from mtf_action.manifest.findings import Findings
from mtf_action.manifest.positions import escape_pointer_token
from mtf_action.models.manifest_report import Severity

_DIRNAME = re.compile(r"^\$\{__dirname\}[/\\]?")
_NODE_FILE = re.compile(r"\.(?:c|m)?[jt]sx?$")
_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")
_REMEDY = "make server.entry_point and mcp_config name the same file or module"


@dataclass(frozen=True)
class Verdict:
    state: Literal["match", "mismatch", "undecidable"]
    reason: str
    where: str = ""  # pointer suffix below the mcp_config: "/command", "/args/2"


def normalize(path: str) -> str:
    """Bundle-relative POSIX form: no ``${__dirname}/``, no ``./``, forward slashes."""
    text = _DIRNAME.sub("", path.strip()).replace("\\", "/")
    return posixpath.normpath(text) if text else ""


def _module_forms(entry: str) -> set[str]:
    if entry.endswith(".py"):
        module = entry[:-3].replace("/", ".")
        forms = {module}
        if module.endswith(".__main__"):
            forms.add(module.removesuffix(".__main__"))
        return forms
    return {entry} if _MODULE.match(entry) else set()


def _module_arg(args: list[str]) -> tuple[int, str] | None:
    for i, arg in enumerate(args[:-1]):
        if arg == "-m":
            return i + 1, args[i + 1]
    return None


def _python_like(entry: str, args: list[str], kind: str) -> Verdict:
    module = _module_arg(args)
    if module is not None:
        i, name = module
        forms = _module_forms(entry)
        if any(form == name or form.endswith("." + name) for form in forms):
            return Verdict("match", "")
        if any(form.startswith(name + ".") or f".{name}." in form for form in forms):
            return Verdict(
                "undecidable",
                f"-m {name} runs the package's __main__, which may or may not reach {entry!r}",
                f"/args/{i}",
            )
        return Verdict("mismatch", f"mcp_config runs module {name!r}", f"/args/{i}")
    files = [(i, normalize(a)) for i, a in enumerate(args) if normalize(a).endswith(".py")]
    if files:
        i, path = files[0]
        return Verdict("mismatch", f"mcp_config runs {path!r}", f"/args/{i}")
    return Verdict("undecidable", f"no {kind} file or -m module of the bundle is named")


def decide(kind: str, entry_point: str, command: Any, args: Any) -> Verdict | None:
    """Compare one command line with the entry point; None when there is nothing to compare."""
    if not isinstance(command, str):
        return None
    argv = [a for a in args if isinstance(a, str)] if isinstance(args, list) else []
    entry = normalize(entry_point)
    if normalize(command) == entry or entry in (normalize(a) for a in argv):
        return Verdict("match", "")
    if kind == "binary":
        return _binary(entry, command)
    if kind in ("python", "uv"):
        return _python_like(entry, argv, "python")
    if kind == "node":
        return _node(command, argv)
    return None  # unknown server type: the MCPB schema reports it


def _binary(entry: str, command: str) -> Verdict:
    """The command is the entry point (a Windows override may add ``.exe``)."""
    program = normalize(command)
    stem, suffix = posixpath.splitext(program)
    if suffix.lower() == ".exe" and stem == entry.removesuffix(".exe"):
        return Verdict("match", "")
    if suffix.lower() in (".bat", ".cmd") and stem == posixpath.splitext(entry)[0]:
        return Verdict(
            "undecidable", f"{program!r} is a Windows wrapper script around the entry point"
        )
    return Verdict(
        "mismatch",
        f"binary servers run entry_point as the command; the command is {command!r}",
        "/command",
    )


def _node(command: str, argv: list[str]) -> Verdict:
    """``node ${__dirname}/<entry>``: any other bundle file among the args contradicts it."""
    files = [
        (i, normalize(a)) for i, a in enumerate(argv) if _DIRNAME.match(a) or _NODE_FILE.search(a)
    ]
    files = [(i, path) for i, path in files if path not in ("", ".")]
    if files:
        i, path = files[0]
        return Verdict("mismatch", f"mcp_config runs {path!r}", f"/args/{i}")
    return Verdict("undecidable", f"{command!r} is given no file of the bundle")


def check_entry_point(raw: dict[str, Any], findings: Findings) -> None:
    server = raw.get("server")
    if not isinstance(server, dict):
        return
    entry, kind = server.get("entry_point"), server.get("type")
    if not isinstance(entry, str) or not entry.strip() or not isinstance(kind, str):
        return
    config, base = server.get("mcp_config"), "/server/mcp_config"
    if not isinstance(config, dict):  # the MTF examples' top-level placement
        config, base = raw.get("mcp_config"), "/mcp_config"
    if not isinstance(config, dict):
        return
    lines = [(base, config.get("command"), config.get("args"))]
    overrides = config.get("platform_overrides")
    if isinstance(overrides, dict):
        for platform, override in overrides.items():
            if isinstance(override, dict) and ("command" in override or "args" in override):
                lines.append(
                    (
                        f"{base}/platform_overrides/{escape_pointer_token(platform)}",
                        override.get("command", config.get("command")),
                        override.get("args", config.get("args")),
                    )
                )
    for here, command, args in lines:
        verdict = decide(kind, entry, command, args)
        if verdict is None or verdict.state == "match":
            continue
        shown = " ".join([str(command), *(a for a in args or [] if isinstance(a, str))])
        if verdict.state == "mismatch":
            findings.add(
                "entry-point-mismatch",
                Severity.BLOCK,
                here + verdict.where,
                f"server.entry_point is {entry!r} but {verdict.reason} (AI-01 step 4)",
                _REMEDY,
            )
        else:
            findings.add(
                "entry-point-unverifiable",
                Severity.WARN,
                here,
                f"cannot tell whether `{shown[:120]}` runs server.entry_point {entry!r}: "
                f"{verdict.reason}",
                f"run the entry point itself (e.g. ${{__dirname}}/{normalize(entry)}) so the "
                "link can be checked",
            )
