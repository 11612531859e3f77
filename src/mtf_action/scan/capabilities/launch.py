"""What ``server.mcp_config`` makes the server do before any of its code runs (CD-02).

MTF: "Execution configuration (server, mcp_config) MUST NOT enable behavior
outside declared permissions". Checked, for the base configuration and every
``platform_overrides`` entry:

- the command: a shell (``sh -c ...``) runs arbitrary command lines
  (subprocess ``full``); ``npx``/``uvx``/``pipx``/``bunx``/``uv run``/``npm exec``/
  ``deno run https://...`` download and run code at start-up (network
  ``outbound``, unless told to stay offline); ``server.type: binary`` is a
  compiled program (native);
- the arguments: runtime permission flags (Deno ``--allow-net``/``-read``/
  ``-write``/``-env``/``-run``/``-ffi``/``-all``, Node ``--allow-fs-*``/
  ``--allow-child-process``/``--allow-addons``), a debugger port (``--inspect``),
  listening options (``--port``, ``--host``, ``--transport sse``), and paths
  into credential stores;
- the environment: a variable with a secret-like name, or fed from a
  ``sensitive`` ``user_config`` option, is a secret the server reads;
  ``NODE_OPTIONS`` is read as more arguments; ``LD_PRELOAD`` /
  ``DYLD_INSERT_LIBRARIES`` inject native code. Interpreter settings such as
  ``PYTHONPATH`` are not counted as the server reading its environment.

Every use found here happens at start-up (phase ``initialization``).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from typing import Any

from mtf_action.scan.capabilities.model import (
    FULL,
    INBOUND,
    OUTBOUND,
    READ,
    REQUIRED,
    RESTRICTED,
    WRITE,
    Category,
    Phase,
    Use,
)
from mtf_action.scan.capabilities.patterns import (
    is_secret_name,
    is_sensitive_path,
    is_shell,
    program_name,
)

MANIFEST = "manifest.json"
_FETCHERS = frozenset({"npx", "pnpx", "bunx", "uvx", "pipx"})
_OFFLINE = frozenset({"--offline", "--no-install", "--no-sync", "--prefer-offline"})
_INTERPRETER_SETTINGS = frozenset(
    {"PYTHONPATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PYTHONIOENCODING"}
    | {"PYTHONUTF8", "PYTHONSAFEPATH", "NODE_PATH", "NODE_NO_WARNINGS"}
)
_INJECTORS = frozenset({"LD_PRELOAD", "DYLD_INSERT_LIBRARIES", "LD_AUDIT"})
_LISTEN_FLAGS = frozenset({"--port", "--host", "--listen", "--bind", "-p"})
_HTTP_TRANSPORTS = frozenset(
    {"sse", "http", "streamable-http", "streamable_http", "streamableHttp"}
)
_USER_CONFIG = re.compile(r"\$\{user_config\.([A-Za-z0-9_.-]+)\}")
# flag -> (category, access) it grants; "net" with a host list is outbound only.
_FLAGS: dict[str, tuple[Category, str]] = {
    "--allow-read": (Category.FILESYSTEM, READ),
    "--allow-write": (Category.FILESYSTEM, WRITE),
    "--allow-env": (Category.ENVIRONMENT, WRITE),
    "--allow-ffi": (Category.NATIVE, REQUIRED),
    "--allow-import": (Category.NETWORK, OUTBOUND),
    "--allow-fs-read": (Category.FILESYSTEM, READ),
    "--allow-fs-write": (Category.FILESYSTEM, WRITE),
    "--allow-child-process": (Category.SUBPROCESS, FULL),
    "--allow-addons": (Category.NATIVE, REQUIRED),
}
_EVERYTHING = (
    (Category.FILESYSTEM, WRITE),
    (Category.NETWORK, OUTBOUND),
    (Category.NETWORK, INBOUND),
    (Category.ENVIRONMENT, WRITE),
    (Category.SUBPROCESS, FULL),
    (Category.NATIVE, REQUIRED),
)
Add = Callable[[Category, str, str, str, bool, str | None], None]


def launch_uses(raw: dict[str, Any], line_of: Callable[[str], int | None]) -> list[Use]:
    server = raw.get("server")
    if not isinstance(server, dict):
        return []
    found: list[Use] = []
    sensitive_options = _sensitive_options(raw.get("user_config"))

    def adder(base: str) -> Add:
        def add(
            cat: Category, access: str, api: str, ptr: str, secret: bool, target: str | None
        ) -> None:
            found.append(
                Use(cat, access, api, MANIFEST, line_of(base + ptr), Phase.INIT, secret, target)
            )

        return add

    if server.get("type") == "binary":
        adder("/server")(Category.NATIVE, REQUIRED, "server.type binary", "/type", False, None)
    config = server.get("mcp_config")
    if not isinstance(config, dict):
        return found
    blocks = [("/server/mcp_config", config)]
    overrides = config.get("platform_overrides")
    if isinstance(overrides, dict):
        blocks += [
            (f"/server/mcp_config/platform_overrides/{name}", block)
            for name, block in overrides.items()
            if isinstance(block, dict)
        ]
    for base, block in blocks:
        add = adder(base)
        command = block.get("command")
        args = [a for a in block.get("args") or [] if isinstance(a, str)]
        if isinstance(command, str):
            _command(command, args, add)
        _arguments(args, "/args", add)
        env = block.get("env")
        if isinstance(env, dict):
            _environment(env, sensitive_options, add)
    return found


def _sensitive_options(user_config: object) -> set[str]:
    if not isinstance(user_config, dict):
        return set()
    return {k for k, v in user_config.items() if isinstance(v, dict) and v.get("sensitive") is True}


def _command(command: str, args: list[str], add: Add) -> None:
    program = program_name(command)
    line = " ".join([command, *args])
    if is_shell(command):
        add(Category.SUBPROCESS, FULL, "mcp_config.command is a shell", "/command", False, line)
    offline = bool(_OFFLINE & set(args))
    first = args[0] if args else ""
    fetches = program in _FETCHERS or (program == "uv" and first in ("run", "tool"))
    fetches |= program in ("npm", "pnpm", "yarn") and first in ("exec", "dlx", "x")
    fetches |= program == "deno" and any(
        a.startswith(("http://", "https://", "npm:", "jsr:")) for a in args
    )
    if fetches and not offline:
        add(
            Category.NETWORK,
            OUTBOUND,
            f"{program} fetches code at start-up",
            "/command",
            False,
            line,
        )


def _arguments(args: list[str], pointer: str, add: Add) -> None:
    for index, arg in enumerate(args):
        where = f"{pointer}/{index}"
        flag, _, value = arg.partition("=")
        following = args[index + 1] if index + 1 < len(args) else ""
        if flag in _FLAGS:
            category, access = _FLAGS[flag]
            add(category, access, f"runtime flag {flag}", where, False, arg)
        elif flag == "--allow-net":
            add(Category.NETWORK, OUTBOUND, "runtime flag --allow-net", where, False, arg)
            if not value:  # no host list: listening too
                add(Category.NETWORK, INBOUND, "runtime flag --allow-net", where, False, arg)
        elif flag == "--allow-run":
            access = RESTRICTED if value else FULL
            add(Category.SUBPROCESS, access, "runtime flag --allow-run", where, False, arg)
        elif flag in ("--allow-all", "-A"):
            for category, access in _EVERYTHING:
                sensitive = category is Category.FILESYSTEM  # every file, credential stores too
                add(category, access, f"runtime flag {flag}", where, sensitive, arg)
        elif flag.startswith("--inspect"):
            add(Category.NETWORK, INBOUND, "debugger port (--inspect)", where, False, arg)
        elif (
            flag in _LISTEN_FLAGS
            or (flag == "--transport" and (value or following) in _HTTP_TRANSPORTS)
            or (arg == "-m" and following in ("http.server", "uvicorn"))
        ):
            add(Category.NETWORK, INBOUND, f"listening option {arg}", where, False, arg)
        elif is_sensitive_path(value or arg):
            add(
                Category.FILESYSTEM,
                READ,
                "credential-store path in the arguments",
                where,
                True,
                arg,
            )


def _environment(env: dict[str, Any], sensitive_options: set[str], add: Add) -> None:
    for name, value in env.items():
        where = "/env/" + name.replace("~", "~0").replace("/", "~1")
        text = value if isinstance(value, str) else ""
        if name in _INJECTORS:
            add(Category.NATIVE, REQUIRED, f"{name} injects a library", where, False, text)
        elif name == "NODE_OPTIONS":
            try:
                words = shlex.split(text)
            except ValueError:
                words = text.split()
            _arguments(words, where, add)
        elif name not in _INTERPRETER_SETTINGS:
            options = set(_USER_CONFIG.findall(text))
            secret = is_secret_name(name) or bool(options & sensitive_options)
            add(Category.ENVIRONMENT, READ, "mcp_config.env passes a variable", where, secret, name)
