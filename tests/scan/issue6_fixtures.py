"""Positive and negative fixtures of the issue-6 controls, shared by the tests and the bench.

The control tests (``test_cd01_deep*.py``, ``test_cd02_*.py``, ``test_cd04_scopes.py``,
``test_cd05_tokens.py``, ``test_rg02_names.py``, ``test_up_updates.py``) import the
server code, declarations and names below; :func:`cases` turns the same data into
whole-bundle :class:`Case` objects (files + manifest, and the previous release for
UP-02/UP-04), each labelled *bad* (the control must warn or fail) or *good* (it must
pass), for ``bench/mpak_controls.py`` and ``test_issue6_fixtures.py``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cd02_support import NODE_SERVER, with_permissions
from helpers import Files, manifest, mtf_block

Raw = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """One bundle to scan: ``bad`` means the control should flag it (warn or fail)."""

    control: str
    name: str
    bad: bool
    files: Files
    manifest: Raw
    previous: Raw | None = None  # UP-02/UP-04: the manifest of the previous release
    # A negative fixture of one rule only (its test asserts just that rule's absence):
    # the control may still warn on it for another reason.
    negative_for: str | None = None


# --- CD-01 tool declaration, Python ---------------------------------------------------------

FASTMCP = """
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("demo")

@mcp.tool()
def echo(text: str) -> str:
    return text

@mcp.tool(name="add_numbers", description="adds")
def add(a: int, b: int) -> int:
    return a + b

@mcp.tool
def bare() -> str:
    return "x"

@mcp.tool("positional_name")
async def pos() -> str:
    return "y"

def helper(x: int) -> int:
    return x

mcp.add_tool(helper)
mcp.add_tool(helper, name="helper_alias")
mcp.tool(name="called_form")(helper)
"""
FASTMCP_NAMES = ["echo", "add_numbers", "bare", "positional_name", "helper", "helper_alias"]
FASTMCP_NAMES += ["called_form"]

FASTMCP_ECHO = (
    "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n@mcp.tool()\ndef echo(): ...\n"
)

LOWLEVEL = """
import mcp.types as types
from mcp.server.lowlevel import Server

server = Server("demo")

@server.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(name="search", description="s", inputSchema={}),
        types.Tool(name="fetch", description="f", inputSchema={}),
    ]

@server.call_tool()
async def call_tool(name: str, arguments: dict):
    if name == "search":
        return []
    elif name == "fetch":
        return []
    %s
    raise ValueError(name)
"""
LOWLEVEL_HIDDEN = 'if name == "dump_" + "secrets":\n        return []'

TABLES = """
from mcp.server.fastmcp import FastMCP
from mcp.types import Tool
from names import EXTRA

mcp = FastMCP("tables")
LISTED = {"alpha": 1, "beta": 2}
SPECS = [{"name": "gamma"}, {"name": "delta"}]

def make(n): ...

tools = [Tool(name=n, description="d", inputSchema={}) for n in LISTED]
more = [Tool(name=spec["name"], description="d", inputSchema={}) for spec in SPECS]
HANDLERS = {"eps": make, "zeta": make}
for tool_name, fn in HANDLERS.items():
    mcp.add_tool(fn, name=tool_name)
for extra in EXTRA:
    mcp.add_tool(make, name=extra)

@mcp.tool(name="pre" + "fixed")
def prefixed(): ...
"""
TABLES_FILES: Files = {"server.py": TABLES, "names.py": "EXTRA = ('eta', 'theta')\n"}
TABLES_NAMES = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "prefixed"]

EVASIVE = """
import importlib
fm = importlib.import_module("mcp.server." + "fastmcp")
srv = fm.FastMCP("x")
register = srv.add_tool
deco = getattr(srv, "to" + "ol")

def one(): ...
def two(): ...

register(one)
getattr(srv, "add_tool")(two)

@deco()
def three(): ...

@getattr(srv, "tool")(name="four")
def f4(): ...
"""

DYNAMIC = """
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("dyn")

def load_specs(): ...

for spec in load_specs():
    mcp.add_tool(spec.fn, name=spec.name)

@mcp.tool()
def static_one(): ...
"""

FASTMCP2 = (
    "from fastmcp import FastMCP\nfrom fastmcp.tools import Tool\n"
    "mcp = FastMCP('v2')\n"
    "def fn(): ...\n"
    "made = Tool.from_function(fn, name='made_tool')\n"
    "mcp.add_tool(made)\n"
    "mcp.add_tool(Tool.from_function(fn))\n"
    "mcp.tool(fn, name='direct')\n"
)

# --- CD-01 tool declaration, JavaScript/TypeScript -------------------------------------------

MCPSERVER = """
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
const server = new McpServer({ name: "demo", version: "1.0.0" });
const PREFIX = "notes";
server.tool("echo", { text: z.string() }, async ({ text }) => ({ content: [] }));
server.tool("ping", "Answers pong", async () => ({ content: [] }));
server.registerTool(`${PREFIX}_add`, { description: "adds" }, async () => ({ content: [] }));
server["register" + "Tool"]("bracketed", { description: "b" }, async () => ({ content: [] }));
"""
MCPSERVER_NAMES = ("echo", "ping", "notes_add", "bracketed")

JS_LOWLEVEL = """
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { EXTRA_TOOLS } from "./tools.js";

const server = new Server({ name: "x", version: "1" }, { capabilities: { tools: {} } });
const READ_TOOL = { name: "read_item", description: "r", inputSchema: { type: "object" } };
const TABLE = { a: { name: "table_a" }, b: { name: "table_b" } };

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [READ_TOOL, { name: "write_item", inputSchema: {} }, ...EXTRA_TOOLS, ...Object.values(TABLE)],
}));

async function handleCall(request) {
  switch (request.params.name) {
    case "read_item": return { content: [] };
    case "write_item": return { content: [] };
    %s
    default: throw new Error("unknown tool");
  }
}
server.setRequestHandler(CallToolRequestSchema, handleCall);
"""
JS_TOOLS_MODULE = 'export const EXTRA_TOOLS = [{ name: "from_module", inputSchema: {} }];\n'
JS_LOWLEVEL_NAMES = ("read_item", "write_item", "from_module", "table_a", "table_b")
JS_LOWLEVEL_HIDDEN = 'case "run_" + "shell": return { content: [] };'

TYPESCRIPT = """
import { FastMCP } from "fastmcp";
import { z } from "zod";
const server = new FastMCP({ name: "ts", version: "1.0.0" });
const NAME: string = "typed_tool";
server.addTool({
  name: NAME as string,
  description: "d",
  parameters: z.object({ q: z.string() }),
  execute: async (args) => "ok",
});
const remote: Array<{ name: string }> = await loadRemote();
for (const spec of remote) {
  server.addTool({ name: spec.name, description: "remote", execute: async () => "r" });
}
"""


def declared(*names: str, **extra: Any) -> Raw:
    """The test manifest declaring exactly ``names`` as tools (``extra``: more top-level keys)."""
    tools = [{"name": n, "description": f"{n} tool"} for n in names]
    return manifest(tools=tools, **extra)


def _cd01() -> Iterator[Case]:
    cd01 = "CD-01"
    yield Case(
        cd01,
        "fastmcp styles, all declared",
        False,
        {"server.py": FASTMCP},
        declared(*FASTMCP_NAMES),
    )
    yield Case(
        cd01,
        "fastmcp bare @mcp.tool undeclared",
        True,
        {"server.py": FASTMCP},
        declared(*[n for n in FASTMCP_NAMES if n != "bare"]),
    )
    yield Case(
        cd01,
        "declared tool not in code",
        True,
        {"server.py": FASTMCP_ECHO},
        declared("echo", "ghost"),
    )
    yield Case(
        cd01,
        "low-level list_tools + dispatch",
        False,
        {"server.py": LOWLEVEL % ""},
        declared("search", "fetch"),
    )
    yield Case(
        cd01,
        "low-level hidden dispatched tool",
        True,
        {"server.py": LOWLEVEL % LOWLEVEL_HIDDEN},
        declared("search", "fetch"),
    )
    yield Case(
        cd01, "names via tables, loops, modules", False, TABLES_FILES, declared(*TABLES_NAMES)
    )
    yield Case(
        cd01,
        "aliased/getattr registration undeclared",
        True,
        {"server.py": EVASIVE},
        declared("one", "two", "three"),
    )
    yield Case(
        cd01,
        "dynamic names (info only)",
        False,
        {"server.py": DYNAMIC},
        declared("static_one", "from_remote"),
    )
    yield Case(
        cd01,
        "tools_generated covers dynamic",
        False,
        {"server.py": DYNAMIC},
        declared("static_one", tools_generated=True),
    )
    yield Case(
        cd01,
        "tools_generated, literal tool undeclared",
        True,
        {"server.py": DYNAMIC},
        declared(tools_generated=True),
    )
    yield Case(
        cd01,
        "fastmcp 2 Tool objects",
        False,
        {"server.py": FASTMCP2},
        declared("made_tool", "fn", "direct"),
    )
    js_files: Files = {"server/index.js": JS_LOWLEVEL % "", "server/tools.js": JS_TOOLS_MODULE}
    hidden: Files = {**js_files, "server/index.js": JS_LOWLEVEL % JS_LOWLEVEL_HIDDEN}
    yield Case(
        cd01,
        "js McpServer styles, all declared",
        False,
        {"server/index.js": MCPSERVER},
        declared_js(*MCPSERVER_NAMES),
    )
    yield Case(
        cd01,
        "js bracketed registerTool undeclared",
        True,
        {"server/index.js": MCPSERVER},
        declared_js(*MCPSERVER_NAMES[:3]),
    )
    yield Case(cd01, "js low-level list + switch", False, js_files, declared_js(*JS_LOWLEVEL_NAMES))
    yield Case(cd01, "js hidden switch case", True, hidden, declared_js(*JS_LOWLEVEL_NAMES))
    yield Case(
        cd01,
        "ts FastMCP + dynamic names",
        False,
        {"src/server.ts": TYPESCRIPT},
        declared_js("typed_tool"),
    )


def declared_js(*names: str, **extra: Any) -> Raw:
    """:func:`declared` for a Node server (``server/index.js``)."""
    return declared(*names, server=copy.deepcopy(NODE_SERVER), **extra)


# --- CD-02 permission correlation, Python ----------------------------------------------------

PY_HEAD = "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n"
PY_NETWORK_AT_IMPORT = "import requests\nCONFIG = requests.get('https://c2.example/cfg').json()\n"
PY_NETWORK_IN_HANDLER = (
    "import httpx\n"
    "def fetch(url):\n    return httpx.get(url).text\n"
    "@mcp.tool()\ndef lookup(q: str) -> str:\n    return fetch(q)\n"
)
# Code that runs warm() (a socket connection) at start-up, in each way Python allows.
PY_WARM = "import socket\ndef warm():\n    socket.create_connection(('x', 1))\n"
PY_START_UPS = [
    "warm()\n",  # called at import
    "if __name__ == '__main__':\n    warm()\n    mcp.run()\n",
    "def main():\n    warm()\nimport asyncio\nasyncio.run(main())\n",
    "import threading\nthreading.Thread(target=warm).start()\n",
    (
        "from contextlib import asynccontextmanager\n"
        "@asynccontextmanager\nasync def life(app):\n    warm()\n    yield\n"
        "mcp2 = FastMCP('y', lifespan=life)\n"
    ),
    "class Boot:\n    def __init__(self):\n        warm()\nBOOT = Boot()\n",
]
PY_NETWORK_EVASIONS = [
    "import requests as r\nr.get('https://x')",
    "from requests import get as g\ng('https://x')",
    "__import__('req' + 'uests').get('https://x')",
    "import importlib\ns = importlib.import_module('soc' + 'ket')\ns.create_connection(('x', 1))",
    "import importlib\ngetattr(importlib.import_module('socket'), 'create_' + 'connection')(('x', 1))",
]
PY_FILE_APPEND = "@mcp.tool()\ndef save(t: str):\n    open('notes.txt', 'a').write(t)\n"
# Credential stores: blocking even with filesystem "write" (spec: sensitive paths need "full").
PY_CREDENTIAL_PATHS_HEAD = "import os, shutil\nfrom pathlib import Path\n"
PY_CREDENTIAL_PATHS = [
    "open(os.path.expanduser('~/.ssh/id_rsa'))",
    "(Path.home() / '.ssh' / 'id_ed25519').read_text()",
    "open(os.path.join(os.path.expanduser('~'), '.a' + 'ws', 'credentials'))",
    "open(os.environ['HOME'] + '/.config/gh/hosts.yml')",
    "KEY = Path('~/.aws/credentials').expanduser()\nKEY.read_bytes()",
    "shutil.copy('/etc/passwd', 'out.txt')",
    "open(f\"{Path.home()}/Library/Keychains/login.keychain-db\", 'rb')",
]
PY_SECRET_ENV_HEAD = "import os\nVENDOR = input()\n"
PY_SECRET_ENV_READS = [
    "os.environ['GITHUB_TOKEN']",
    "os.getenv('AWS_SECRET_ACCESS_KEY')",
    "os.environ.get('OPENAI_' + 'API_KEY')",
    "os.getenv(f'{VENDOR}_TOKEN')",
    "dict(os.environ)",
    "{**os.environ}",
    "import json; json.dumps(os.environ.copy())",
    "from os import environ as e; e['DB_PASSWORD']",
]
PY_GENERAL_ENV = (
    "import os\nLEVEL = os.getenv('LOG_LEVEL', 'info')\nif 'DEBUG' in os.environ: ...\n"
)
PY_FIXED_PROGRAM = (
    "import subprocess\n@mcp.tool()\ndef st():\n    subprocess.run(['git', 'status'])\n"
)
PY_SPAWN_HEAD = "import os, subprocess, sys\ncmd = input()\nd = input()\n"
PY_SHELLS = [
    "subprocess.run('ls ' + d, shell=True)",
    "subprocess.Popen([cmd, '-x'])",
    "subprocess.run(['bash', '-c', 'id'])",
    "subprocess.check_output([sys.executable, '-c', 'print(1)'])",
    "os.system('id')",
    "getattr(os, 'sys' + 'tem')('id')",
    "__import__('subprocess').getoutput('id')",
    "import importlib; importlib.import_module('pty').spawn('/bin/sh')",
    "import asyncio; asyncio.create_subprocess_shell('id')",
]
PY_FFI = [
    "import ctypes\nctypes.CDLL('libc.so.6')",
    "from cffi import FFI\nFFI().dlopen(None)",
    "import importlib\nimportlib.import_module('c' + 'types')",
]
PY_OPAQUE_HEAD = "NAME = input()\n"
PY_OPAQUE = [
    "import importlib\nimportlib.import_module(input())",
    "__import__(NAME)",
    "import os\ngetattr(os, input())('id')",
]
PY_COMPILED_BINARIES: Files = {
    "deps/fast/_speedups.cpython-311-x86_64-linux-gnu.so": b"\x7fELF\x02\x01",
    "deps/other/lib.so.1.2": b"\x7fELF",
    "bin/helper": b"\x7fELF\x02\x01\x01",
    "docs/language-server.source.ts": "// not a shared object\n",
}
PY_PLAIN_TOOL = "@mcp.tool()\ndef add(a: int, b: int) -> int:\n    return a + b\n"
# Dangerous code that is not the server's: vendored dependencies and tests.
VENDORED_DANGER = (
    "import subprocess, requests\nsubprocess.run('id', shell=True)\nrequests.get('x')\n"
)

# server.mcp_config entries that enable undeclared behaviour, with what covers them.
MCP_CONFIG_CASES: list[tuple[Raw, tuple[str, str, int], dict[str, str]]] = [
    (
        {"command": "bash", "args": ["-c", "python ${__dirname}/server.py"]},
        ("undeclared-subprocess", "critical", 2),
        {"subprocess": "full"},
    ),
    (
        {"command": "npx", "args": ["-y", "@acme/server"]},
        ("undeclared-network-init", "high", 2),
        {"network": "outbound"},
    ),
    (
        {"command": "uv", "args": ["run", "server.py"]},
        ("undeclared-network-init", "high", 2),
        {"network": "outbound"},
    ),
    (
        {"command": "deno", "args": ["run", "--allow-net", "main.ts"]},
        ("undeclared-network-init", "high", 2),
        {"network": "full"},
    ),
    (
        {"command": "deno", "args": ["run", "--allow-run=git", "main.ts"]},
        ("undeclared-subprocess", "critical", 2),
        {"subprocess": "restricted"},
    ),
    (
        {"command": "node", "args": ["--inspect=0.0.0.0:9229", "index.js"]},
        ("undeclared-network-init", "high", 2),
        {"network": "inbound"},
    ),
    (
        {"command": "python", "args": ["server.py", "--transport", "sse", "--port", "8000"]},
        ("undeclared-network-init", "high", 2),
        {"network": "inbound"},
    ),
    (
        {"command": "python", "args": ["server.py", "--key-file", "~/.ssh/id_rsa"]},
        ("undeclared-filesystem-sensitive", "high", 2),
        {"filesystem": "full"},
    ),
    (
        {"command": "python", "args": ["s.py"], "env": {"GITHUB_TOKEN": "${user_config.t}"}},
        ("undeclared-environment-secret", "high", 2),
        {"environment": "read"},
    ),
    (
        {"command": "node", "args": ["i.js"], "env": {"NODE_OPTIONS": "--inspect=9229"}},
        ("undeclared-network-init", "high", 2),
        {"network": "inbound"},
    ),
    (
        {"command": "python", "args": ["s.py"], "env": {"LD_PRELOAD": "/tmp/x.so"}},
        ("undeclared-native", "critical", 2),
        {"native": "required"},
    ),
    (
        {
            "command": "python",
            "args": ["s.py"],
            "platform_overrides": {"win32": {"command": "cmd.exe", "args": ["/c", "run.bat"]}},
        },
        ("undeclared-subprocess", "critical", 2),
        {"subprocess": "full"},
    ),
]
MCP_CONFIG_QUIET: list[Raw] = [
    {"command": "python", "args": ["${__dirname}/server.py"],
     "env": {"PYTHONPATH": "${__dirname}/deps"}},
    {"command": "uv", "args": ["run", "--offline", "server.py"]},
    {"command": "node", "args": ["${__dirname}/server/index.js"]},
]  # fmt: skip


def with_config(**config: Any) -> Raw:
    """The test manifest with ``server.mcp_config`` replaced."""
    raw = manifest()
    raw["server"]["mcp_config"] = config
    return raw


# --- CD-02 permission correlation, JavaScript/TypeScript -------------------------------------

JS_HEAD = (
    'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\n'
    'const server = new McpServer({ name: "x", version: "1" });\n'
)
JS_FETCH_AT_TOP = 'const cfg = await fetch("https://c2.example/cfg");\n'
JS_FETCH_IN_HANDLERS = (
    "async function lookup(q) { return (await fetch(`https://api.example/?q=${q}`)).json(); }\n"
    'server.registerTool("search", { description: "s" }, async ({ q }) => lookup(q));\n'
    'server.tool("raw", async () => { const r = await fetch("https://x"); return r; });\n'
)
JS_BEACON = "function beacon() { return fetch('https://t.example'); }\n"
JS_START_UPS = [
    "setTimeout(() => beacon(), 1000);",
    "process.on('exit', beacon);",
    "main();\nfunction main() { beacon(); }",
    "class Boot { constructor() { beacon(); } }\nnew Boot();",
    "[1, 2].forEach(() => beacon());",
]
JS_NETWORK_EVASIONS = [
    'const axios = require("axios");\naxios.post("https://x", {});',
    'import got from "got";\nawait got("https://x");',
    'const h = require("ht" + "tps");\nh.get("https://x");',
    'const { request: r } = await import(`node:${"http"}`);\nr("http://x");',
    'globalThis["fe" + "tch"]("https://x");',
    'const net = require("net");\nnet.createConnection(80, "x");',
]
JS_LISTENERS = [
    'import http from "node:http";\nhttp.createServer(() => {}).listen(3000);',
    'import express from "express";\nconst app = express();\napp.listen(8080);',
    (
        'import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";\n'
        "const t = new SSEServerTransport('/messages', res);"
    ),
]
JS_FS_READ_WRITE = (
    'import { readFile } from "node:fs/promises";\nimport fs from "fs";\n'
    'server.tool("show", async () => readFile("notes.md", "utf8"));\n'
    'server.tool("save", async () => fs.promises.writeFile("notes.md", "x"));\n'
)
JS_CREDENTIAL_PATHS_HEAD = (
    'import fs from "fs";\nimport os from "os";\nimport path from "path";\n'
    "const user = process.argv[2];\n"
)
JS_CREDENTIAL_PATHS = [
    'fs.readFileSync(path.join(os.homedir(), ".ssh", "id_rsa"))',
    "fs.readFileSync(`${os.homedir()}/.aws/credentials`)",
    'fs.createReadStream(process.env.HOME + "/.config/gcloud/credentials.db")',
    'fs.readdirSync("/Users/" + user + "/Library/Keychains")',
]
JS_SECRET_ENV_READS = [
    "process.env.GITHUB_TOKEN",
    'process.env["AWS_" + "SECRET_ACCESS_KEY"]',
    "const { OPENAI_API_KEY } = process.env",
    "const copy = { ...process.env }",
    "JSON.stringify(process.env)",
    'globalThis["process"].env.NPM_TOKEN',
    "const { env } = process; env.SLACK_BOT_TOKEN",
]
JS_GENERAL_ENV = 'const level = process.env.LOG_LEVEL ?? "info";\n'
JS_FIXED_PROGRAM = (
    'import { spawn, fork } from "node:child_process";\nspawn("git", ["status"]);\n'
    'fork("./worker.js");\n'
)
JS_SPAWN_HEAD = "const cmd = process.argv[2];\n"
JS_SHELLS = [
    'require("child_process").execSync("ls")',
    'const cp = require("child_" + "process");\ncp.spawn(cmd, [])',
    'const { exec: run } = require("node:child_process");\nrun("id")',
    'require("child_process").spawn("ls", [], { shell: true })',
    'require("child_process").execFile("node", ["-e", "1"])',
    'import { execa } from "execa";\nawait execa(cmd)',
    'import { $ } from "zx";\nawait $`ls`',
]
JS_NATIVE_HEAD = "const lib = process.argv[2];\n"
JS_NATIVE = [
    'const addon = require("./build/Release/addon.node");',
    "process.dlopen(module, lib);",
    'const koffi = require("koffi");',
    'import bindings from "bindings";',
]


def _perm(node: bool = False, **values: str) -> Raw:
    return with_permissions(manifest(server=copy.deepcopy(NODE_SERVER)) if node else None, **values)


def _cd02_pairs(
    label: str,
    files: Files,
    bad: dict[str, str],
    good: dict[str, str] | None,
    node: bool = False,
) -> Iterator[Case]:
    """The undeclared use (``bad`` permissions) and, if given, the declaration covering it."""
    yield Case("CD-02", label, True, files, _perm(node, **bad))
    if good is not None:
        yield Case("CD-02", f"{label} (declared)", False, files, _perm(node, **good))


def _cd02_python() -> Iterator[Case]:
    def py(code: str) -> Files:
        return {"server.py": PY_HEAD + code}

    yield from _cd02_pairs(
        "py network at import", py(PY_NETWORK_AT_IMPORT), {}, {"network": "outbound"}
    )
    yield from _cd02_pairs(
        "py network in tool handler", py(PY_NETWORK_IN_HANDLER), {}, {"network": "outbound"}
    )
    for i, start_up in enumerate(PY_START_UPS):
        yield from _cd02_pairs(f"py start-up path {i + 1}", py(PY_WARM + start_up), {}, None)
    for i, spelling in enumerate(PY_NETWORK_EVASIONS):
        yield from _cd02_pairs(f"py network evasion {i + 1}", py(spelling + "\n"), {}, None)
    yield from _cd02_pairs(
        "py file append", py(PY_FILE_APPEND), {"filesystem": "read"}, {"filesystem": "write"}
    )
    for i, path in enumerate(PY_CREDENTIAL_PATHS):
        files = py(PY_CREDENTIAL_PATHS_HEAD + path + "\n")
        yield from _cd02_pairs(
            f"py credential store {i + 1}",
            files,
            {"filesystem": "write", "environment": "read"},
            {"filesystem": "full", "environment": "read"},
        )
    for i, read in enumerate(PY_SECRET_ENV_READS):
        files = py(PY_SECRET_ENV_HEAD + read + "\n")
        yield from _cd02_pairs(f"py secret env {i + 1}", files, {}, {"environment": "read"})
    yield Case("CD-02", "py general env read (info)", False, py(PY_GENERAL_ENV), _perm())
    yield from _cd02_pairs(
        "py fixed program", py(PY_FIXED_PROGRAM), {}, {"subprocess": "restricted"}
    )
    for i, spawn in enumerate(PY_SHELLS):
        files = py(PY_SPAWN_HEAD + spawn + "\n")
        yield from _cd02_pairs(
            f"py shell/computed program {i + 1}",
            files,
            {"subprocess": "restricted"},
            {"subprocess": "full"},
        )
    for i, load in enumerate(PY_FFI):
        yield from _cd02_pairs(f"py ffi {i + 1}", py(load + "\n"), {}, {"native": "required"})
    binaries: Files = {"server.py": PY_HEAD, **PY_COMPILED_BINARIES}
    yield from _cd02_pairs("compiled binaries", binaries, {}, {"native": "required"})
    for i, opaque in enumerate(PY_OPAQUE):
        yield from _cd02_pairs(
            f"py opaque import {i + 1}", py(PY_OPAQUE_HEAD + opaque + "\n"), {}, None
        )
    plain: Files = {
        "server.py": PY_HEAD + PY_PLAIN_TOOL,
        "deps/lib/evil.py": VENDORED_DANGER,
        "tests/test_x.py": VENDORED_DANGER,
    }
    yield Case("CD-02", "plain server, vendored danger", False, plain, _perm())
    missing = manifest()
    del mtf_block(missing)["permissions"]
    yield Case(
        "CD-02",
        "permissions missing",
        True,
        {"server.py": "import subprocess\nsubprocess.run(['git', 'log'])\n"},
        missing,
    )
    plain_files: Files = {"server.py": "print('hello')\n"}
    for i, (config, _expected, covered) in enumerate(MCP_CONFIG_CASES):
        yield Case("CD-02", f"mcp_config {i + 1}", True, plain_files, with_config(**config))
        yield Case(
            "CD-02",
            f"mcp_config {i + 1} (declared)",
            False,
            plain_files,
            with_permissions(with_config(**config), **covered),
        )
    for i, config in enumerate(MCP_CONFIG_QUIET):
        yield Case("CD-02", f"mcp_config quiet {i + 1}", False, plain_files, with_config(**config))


def _cd02_js() -> Iterator[Case]:
    def js(code: str) -> Files:
        return {"server/index.js": JS_HEAD + code}

    def pair(
        label: str, files: Files, bad: dict[str, str], good: dict[str, str] | None
    ) -> Iterator[Case]:
        return _cd02_pairs(label, files, bad, good, node=True)

    yield from pair("js fetch at top level", js(JS_FETCH_AT_TOP), {}, {"network": "outbound"})
    yield from pair("js fetch in handlers", js(JS_FETCH_IN_HANDLERS), {}, {"network": "outbound"})
    for i, start_up in enumerate(JS_START_UPS):
        yield from pair(f"js start-up path {i + 1}", js(JS_BEACON + start_up + "\n"), {}, None)
    for i, spelling in enumerate(JS_NETWORK_EVASIONS):
        yield from pair(f"js network evasion {i + 1}", js(spelling + "\n"), {}, None)
    for i, listen in enumerate(JS_LISTENERS):
        yield from pair(
            f"js listener {i + 1}",
            js(listen + "\n"),
            {"network": "outbound"},
            {"network": "inbound"},
        )
    yield from pair(
        "js fs write", js(JS_FS_READ_WRITE), {"filesystem": "read"}, {"filesystem": "write"}
    )
    for i, read in enumerate(JS_CREDENTIAL_PATHS):
        yield from pair(
            f"js credential store {i + 1}",
            js(JS_CREDENTIAL_PATHS_HEAD + read + ";\n"),
            {"filesystem": "write", "environment": "read"},
            {"filesystem": "full", "environment": "read"},
        )
    for i, read in enumerate(JS_SECRET_ENV_READS):
        yield from pair(f"js secret env {i + 1}", js(read + ";\n"), {}, {"environment": "read"})
    yield Case("CD-02", "js general env read (info)", False, js(JS_GENERAL_ENV), _perm(node=True))
    yield from pair("js fixed program", js(JS_FIXED_PROGRAM), {}, {"subprocess": "restricted"})
    for i, spawn in enumerate(JS_SHELLS):
        yield from pair(
            f"js shell/computed program {i + 1}",
            js(JS_SPAWN_HEAD + spawn + ";\n"),
            {"subprocess": "restricted"},
            {"subprocess": "full"},
        )
    for i, load in enumerate(JS_NATIVE):
        yield from pair(
            f"js native {i + 1}", js(JS_NATIVE_HEAD + load + "\n"), {}, {"native": "required"}
        )


# --- CD-04 credential scopes ----------------------------------------------------------------

GOOGLE = "https://www.googleapis.com/auth/"
JUSTIFIED = "Read and write calendar events for sync"

CD04_SPEC_L3_EXAMPLE = {
    "provider": "google",
    "scopes": [GOOGLE + "calendar"],
    "justification": JUSTIFIED,
}
CD04_SPEC_L3_TOOLS = [{"name": "sync_events", "description": "Sync events between calendars"}]
CD04_CRITICAL_UNJUSTIFIED = {
    "provider": "google",
    "scopes": ["https://mail.google.com/"],
    "justification": "TODO",
}
CD04_CRITICAL_JUSTIFIED = {
    "provider": "google",
    "scopes": ["https://mail.google.com/"],
    "justification": "Archive and permanently delete spam for the user",
}
CD04_CRITICAL_JUSTIFIED_TOOLS = [{"name": "purge_spam", "description": "Delete spam mail"}]
CD04_HIGH_UNJUSTIFIED = {"provider": "github", "scopes": ["repo"], "justification": "n/a"}
CD04_LOW_UNJUSTIFIED = {"provider": "github", "scopes": ["read:user"], "justification": ""}
# (provider, over-broad scope, the narrower scope the finding must name)
CD04_OVER_BROAD = [
    ("google", GOOGLE + "drive", "drive.file"),
    ("github", "repo", "public_repo"),
    ("microsoft", "Files.ReadWrite.All", "Files.ReadWrite"),
]
CD04_UNUSED_SCOPE = {
    "provider": "google",
    "scopes": [GOOGLE + "calendar.readonly", GOOGLE + "gmail.readonly"],
    "justification": JUSTIFIED,
}
CD04_UNUSED_SCOPE_TOOLS = [{"name": "listEvents", "description": "List upcoming events"}]
CD04_IDENTITY_SCOPES = {
    "provider": "microsoft",
    "scopes": ["User.Read", "openid"],
    "justification": JUSTIFIED,
}
CD04_NO_SCOPES = {"provider": "google", "scopes": [], "justification": JUSTIFIED}
CD04_GITHUB_READ_USER = {"provider": "github", "scopes": ["read:user"], "justification": JUSTIFIED}
CD04_GOOGLE_CALENDAR_READ = {
    "provider": "google",
    "scopes": [GOOGLE + "calendar.readonly"],
    "justification": JUSTIFIED,
}

PY_FLOWS = {
    "google-auth-oauthlib": (
        "from google_auth_oauthlib.flow import InstalledAppFlow\n"
        "flow = InstalledAppFlow.from_client_secrets_file('client.json', SCOPES)\n"
    ),
    "msal": "import msal\napp = msal.PublicClientApplication('id')\n",
    "requests-oauthlib aliased": "from requests_oauthlib import OAuth2Session as S\n",
    "authlib": "from authlib.integrations.httpx_client import AsyncOAuth2Client\n",
    "dynamic import": "import importlib\nm = importlib.import_module('requests_' + 'oauthlib')\n",
    "__import__": "msal = __import__('ms' + 'al')\n",
    "token endpoint": (
        "import httpx\n"
        "def refresh(r):\n"
        "    return httpx.post(TOKEN_URL, data={'grant_type': 'refresh_token', 'refresh_token': r})\n"
    ),
    "concatenated endpoint": (
        "import urllib.request\nURL = 'https://github.com/login/' + 'oauth/access_token'\n"
    ),
    "refresh token attribute": "def keep(creds):\n    save(creds.refresh_token)\n",
    "getattr on __import__": "app = getattr(__import__('msal'), 'PublicClientApplication')('id')\n",
}

JS_FLOWS = {
    "simple-oauth2": "import { AuthorizationCode } from 'simple-oauth2';\n",
    "googleapis OAuth2": (
        "const { google } = require('googleapis');\n"
        "const client = new google.auth.OAuth2(id, secret, redirect);\n"
    ),
    "octokit oauth": "import { createOAuthDeviceAuth } from '@octokit/auth-oauth-device';\n",
    "passport strategy": "const GitHubStrategy = require('passport-github2').Strategy;\n",
    "dynamic require": "const lib = require('simple-' + 'oauth2');\n",
    "msal-node await import": "const msal = await import('@azure/msal-node');\n",
    "template endpoint": "const url = `https://${host}/oauth/authorize?client_id=${id}`;\n",
    "grant_type key": "await fetch(u, { body: new URLSearchParams({ grant_type: 'x' }) });\n",
    "refreshToken property": "tokens.refreshToken = res.refresh;\n",
    "TypeScript import-require": "import msal = require('@azure/msal-node');\n",
}

NOT_OAUTH = {
    "server.py": (
        "import os, requests\n"
        "TOKEN = os.environ['GITHUB_TOKEN']\n"  # a personal access token: not an OAuth flow
        "def get(u):\n    return requests.get(u, headers={'Authorization': 'Bearer ' + TOKEN})\n"
        "from mcp.server.auth.provider import OAuthAuthorizationServerProvider\n"  # MCP's own auth
    ),
    "server/index.js": (
        "const { google } = require('googleapis');\n"
        "const yt = google.youtube({ version: 'v3', auth: process.env.API_KEY });\n"
        "import { Server } from '@modelcontextprotocol/sdk/server/index.js';\n"
    ),
    "tests/test_auth.py": "import msal\n",  # test code is not server code
    "deps/requests_oauthlib/__init__.py": "import oauthlib\n",  # vendored dependency
}


def with_credentials(*credentials: Raw, tools: list[dict[str, str]] | None = None) -> Raw:
    """The test manifest declaring ``credentials`` (and ``tools``, if given)."""
    raw = manifest(tools=tools) if tools is not None else manifest()
    mtf_block(raw)["credentials"] = copy.deepcopy(list(credentials))
    return raw


def _cd04() -> Iterator[Case]:
    plain: Files = {"server.py": "print('hi')\n"}

    def case(name: str, bad: bool, raw: Raw, files: Mapping[str, str | bytes] = plain) -> Case:
        return Case("CD-04", name, bad, dict(files), raw)

    yield case(
        "spec L3 example", False, with_credentials(CD04_SPEC_L3_EXAMPLE, tools=CD04_SPEC_L3_TOOLS)
    )
    yield case("critical scope unjustified", True, with_credentials(CD04_CRITICAL_UNJUSTIFIED))
    yield case(
        "critical scope justified, over-broad",
        True,
        with_credentials(CD04_CRITICAL_JUSTIFIED, tools=CD04_CRITICAL_JUSTIFIED_TOOLS),
    )
    yield case("high scope unjustified", True, with_credentials(CD04_HIGH_UNJUSTIFIED))
    yield case("low scope unjustified", False, with_credentials(CD04_LOW_UNJUSTIFIED))
    for provider, scope, _narrower in CD04_OVER_BROAD:
        entry = {"provider": provider, "scopes": [scope], "justification": JUSTIFIED}
        yield case(
            f"over-broad {provider} {scope.rsplit('/', 1)[-1]}", True, with_credentials(entry)
        )
    yield case(
        "scope unused by any tool",
        True,
        with_credentials(CD04_UNUSED_SCOPE, tools=CD04_UNUSED_SCOPE_TOOLS),
    )
    yield case("identity scopes", False, with_credentials(CD04_IDENTITY_SCOPES))
    yield case("credential without scopes", True, with_credentials(CD04_NO_SCOPES))
    for label, code in PY_FLOWS.items():
        yield case(f"py oauth undeclared: {label}", True, manifest(), {"server.py": code})
    for label, code in JS_FLOWS.items():
        yield case(f"js oauth undeclared: {label}", True, manifest(), {"server/index.ts": code})
    yield case("api keys, tests, vendored oauth", False, manifest(), NOT_OAUTH)
    yield case(
        "declared credential covers oauth",
        False,
        with_credentials(CD04_GITHUB_READ_USER),
        {"server.py": PY_FLOWS["concatenated endpoint"]},
    )
    yield case(
        "oauth to an undeclared provider",
        True,
        with_credentials(CD04_GOOGLE_CALENDAR_READ),
        {"server.py": PY_FLOWS["msal"]},
    )


# --- CD-05 token lifetime -------------------------------------------------------------------

TOKEN_SCOPE = "https://www.googleapis.com/auth/calendar.readonly"
SCOPE_REASON = "Read calendar events for scheduling"
PERSIST_REASON = "Refresh token stored on disk so scheduled syncs survive restarts"
LONG_LIFETIME_REASON = "Tokens live 30 days so the nightly background sync can run unattended"
NON_EXPIRING_REASON = (
    "The service issues non-expiring tokens; the token is never stored beyond the session"
)
SPEC_EXAMPLE = {"storage": "memory", "max_lifetime_seconds": 3600, "refresh": True}
INDEFINITE_HANDLING = {
    "max-lifetime-0": {"storage": "memory", "max_lifetime_seconds": 0, "refresh": True},
    "no-lifetime-no-refresh": {"storage": "memory", "refresh": False},
}

PY_WRITES = {
    "google quickstart": (
        "def save(creds):\n"
        "    with open('token.json', 'w') as token:\n"
        "        token.write(creds.to_json())\n"
    ),
    "json.dump": "import json\ndef save(fh, access_token):\n    json.dump({'t': access_token}, fh)\n",
    "pathlib": "from pathlib import Path\nPath(CACHE, 'credentials.json').write_text(data)\n",
    "aliased pickle": "import pickle as p\ndef keep(creds, f):\n    p.dump(creds, f)\n",
    "dotenv": "from dotenv import set_key\nset_key('.env', 'REFRESH_TOKEN', value)\n",
}
JS_WRITES = {
    "writeFileSync": "import fs from 'fs';\nfs.writeFileSync(path, JSON.stringify(tokens.access_token));\n",
    "fs/promises": "import { writeFile as w } from 'node:fs/promises';\nawait w('token.json', data);\n",
    "fs-extra": "const fse = require('fs-extra');\nfse.outputJson(file, { refreshToken });\n",
}
KEYCHAIN_WRITES = [
    ("server.py", "import keyring\nkeyring.set_password('svc', 'user', token)\n"),
    ("server.js", "const keytar = require('keytar');\nawait keytar.setPassword('s', 'u', t);\n"),
]
NOT_TOKEN_WRITES = {
    "server.py": (
        "import json, sys\n"
        "def report(out, max_tokens, usage):\n"
        "    out.write(json.dumps({'max_tokens': max_tokens}))\n"
        "    json.dump({'prompt_tokens': usage.prompt_tokens}, out)\n"
        "    sys.stdout.write(token)\n"  # a stream, not a file
        "    with open('token.json') as fh:\n"  # read mode
        "        return fh.read()\n"
    ),
    "server/notes.js": "import fs from 'fs';\nfs.writeFileSync('notes.json', JSON.stringify(notes));\n",
}


def credential(handling: Raw | None, justification: str = SCOPE_REASON) -> Raw:
    """A Google calendar credential with ``token_handling`` (omitted when None)."""
    entry: Raw = {"provider": "google", "scopes": [TOKEN_SCOPE], "justification": justification}
    if handling is not None:
        entry["token_handling"] = dict(handling)
    return entry


def with_token_credentials(*credentials: Raw) -> Raw:
    """The test manifest with ``credentials`` (none: no credentials key at all)."""
    raw = manifest()
    if credentials:
        mtf_block(raw)["credentials"] = list(credentials)
    return raw


def _cd05() -> Iterator[Case]:
    plain: Files = {"server.py": "print('hi')\n"}

    def case(name: str, bad: bool, *creds: Raw, files: Mapping[str, str | bytes] = plain) -> Case:
        return Case("CD-05", name, bad, dict(files), with_token_credentials(*creds))

    yield case("spec example", False, credential(SPEC_EXAMPLE))
    yield case("token_handling missing", True, credential(None))
    for storage in ("disk", "file"):
        yield case(
            f"{storage} storage unjustified", True, credential({**SPEC_EXAMPLE, "storage": storage})
        )
    yield case(
        "disk storage justified",
        False,
        credential({**SPEC_EXAMPLE, "storage": "disk"}, PERSIST_REASON),
    )
    yield case("keychain storage", False, credential({**SPEC_EXAMPLE, "storage": "keychain"}))
    yield case(
        "storage unspecified", True, credential({"max_lifetime_seconds": 3600, "refresh": True})
    )
    yield case(
        "storage cloud",
        True,
        credential({"max_lifetime_seconds": 3600, "refresh": True, "storage": "cloud"}),
    )
    yield case(
        "lifetime 24h + 1s unjustified",
        True,
        credential({**SPEC_EXAMPLE, "max_lifetime_seconds": 86401}),
    )
    yield case(
        "lifetime exactly 24h", False, credential({**SPEC_EXAMPLE, "max_lifetime_seconds": 86400})
    )
    yield case(
        "lifetime 30 days justified",
        False,
        credential({**SPEC_EXAMPLE, "max_lifetime_seconds": 2592000}, LONG_LIFETIME_REASON),
    )
    for label, handling in INDEFINITE_HANDLING.items():
        yield case(f"indefinite token unjustified ({label})", True, credential(handling))
    yield case(
        "indefinite token justified",
        False,
        credential({"storage": "memory", "refresh": False}, NON_EXPIRING_REASON),
    )
    yield case("lifetime and refresh undeclared", True, credential({"storage": "memory"}))
    for label, code in PY_WRITES.items():
        yield case(
            f"py token file undeclared: {label}",
            True,
            credential(SPEC_EXAMPLE),
            files={"server.py": code},
        )
    for label, code in JS_WRITES.items():
        yield case(f"js token file undeclared: {label}", True, files={"server/index.mjs": code})
    yield case(
        "token file declared as disk",
        False,
        credential({**SPEC_EXAMPLE, "storage": "disk"}, PERSIST_REASON),
        files={"server.py": PY_WRITES["google quickstart"]},
    )
    for path, code in KEYCHAIN_WRITES:
        yield case(
            f"keychain write undeclared ({path})",
            True,
            credential(SPEC_EXAMPLE),
            files={path: code},
        )
        yield case(
            f"keychain write declared ({path})",
            False,
            credential({**SPEC_EXAMPLE, "storage": "keychain"}),
            files={path: code},
        )
    yield case(
        "other writes are not tokens", False, credential(SPEC_EXAMPLE), files=NOT_TOKEN_WRITES
    )
    yield case("no credentials, clean code", False)


# --- RG-02 name pattern review --------------------------------------------------------------

UNOFFICIAL = "Unofficial community server, not affiliated"
NOT_AFFILIATED = "Unofficial, not affiliated"
HOMOGLYPH_NAMES = [
    "ѕtripe-mcp",  # Cyrillic dze
    "@modelcontextprotocоl/server-git",  # Cyrillic o in the scope
    "ｓｔｒｉｐｅ-mcp",  # fullwidth
    "stri\u200bpe-mcp",  # zero-width space
    "notes\u202e-mcp",  # bidi override
    "арр",  # whole-script Cyrillic look-alike of "app"
]
MIXED_SCRIPT_NAME = "天気-mcp"
HOMOGLYPH_DISPLAY_NAME = "Demo ѕerver"
# (name, the popular name it resembles)
SIMILAR_NAMES = [
    ("strpe-mcp", "@stripe/mcp"),  # the spec's example, against the flattened scope
    ("mcp-server-fecth", "mcp-server-fetch"),
    ("@acme/server-filesystem", "@modelcontextprotocol/server-filesystem"),
    ("@someone/playwrigt-mcp", "@playwright/mcp"),
    ("notion-mcp-servr", "@notionhq/notion-mcp-server"),
    ("mcp-server-gif", "mcp-server-git"),
]
NOT_SIMILAR_NAMES = [
    "@modelcontextprotocol/server-filesystem",  # is the popular name itself
    "@modelcontextprotocol/server-new-thing",  # same owner as the neighbours
    "@acme/weather-server",
    "@mtf-examples/notes",
    "mcp-server-weather",
    "@acme/gif",  # short names: exact matches only
]
# (name, the scope it mimics)
SCOPE_MIMICRY = [
    ("@modeIcontextprotocol/server-git", "@modelcontextprotocol"),
    ("@stripe-official/mcp", "@stripe"),
    ("@notionhq-team/x", "@notionhq"),
    ("@playwrigth/mcp", "@playwright"),
]
OWN_OR_UNRELATED_SCOPES = ["@acme/demo", "@stripe/agent-toolkit", "@nimblebraininc/new"]
# (name, the known name it extends)
VERSION_SUFFIXES = [
    ("mcp-server-fetch2", "mcp-server-fetch"),
    ("mcp-server-fetch-next", "mcp-server-fetch"),
    ("@acme/playwright-mcp-v2", "@playwright/mcp"),
    ("context7-mcp-pro", "@upstash/context7-mcp"),
]
UNKNOWN_VERSION_SUFFIX = "@acme/weather-v2"
GENERIC_COMPOUNDS = [
    "@acme/utils-mcp",
    "@acme/file-tools",
    "date-helper",
    "fastapi-auth-middleware",
]
NOT_GENERIC = ["@acme/toolsmith", "@acme/unit-converter"]
# (name, the service it names)
SERVICE_NAMES = [
    ("stripe-payments-mcp", "Stripe"),
    ("@acme/github-issues", "GitHub"),
    ("gmail-assistant", "Google"),
    ("@acme/githubmcp", "GitHub"),
]
SERVICE_DISCLAIMED_NAME = "stripe-payments-mcp"
AFFILIATION_DISCLAIMERS = [
    "Unofficial Stripe server",
    "Not affiliated with Stripe, Inc.",
    "A community-maintained integration; not an official product",
]
SERVICE_OWN_FIELDS: list[Raw] = [
    {"name": "@stripe/payments-mcp"},
    {"author": {"name": "Jane", "email": "jane@stripe.com"}},
    {"repository": {"type": "git", "url": "https://github.com/stripe/payments-mcp"}},
    {"author": {"name": "Stripe, Inc.", "email": "x@example.org"}},
]


def _rg02() -> Iterator[Case]:
    def case(label: str, bad: bool, negative_for: str | None = None, **fields: Any) -> Case:
        return Case("RG-02", label, bad, {}, manifest(**fields), negative_for=negative_for)

    for name in HOMOGLYPH_NAMES:
        yield case(f"homoglyph {name!a}", True, name=name)
    yield case(f"mixed scripts {MIXED_SCRIPT_NAME!a}", True, name=MIXED_SCRIPT_NAME)
    yield case("homoglyph display_name", True, display_name=HOMOGLYPH_DISPLAY_NAME)
    for name, _known in SIMILAR_NAMES:
        yield case(f"similar {name}", True, name=name, description=UNOFFICIAL)
    for name in NOT_SIMILAR_NAMES:
        yield case(f"not similar {name}", False, "similar-name", name=name)
    for name, _scope in SCOPE_MIMICRY:
        yield case(f"scope mimicry {name}", True, name=name)
    for name in OWN_OR_UNRELATED_SCOPES:
        yield case(f"own/unrelated scope {name}", False, "scope-mimicry", name=name)
    for name, _base in VERSION_SUFFIXES:
        yield case(f"version suffix {name}", True, name=name, description=NOT_AFFILIATED)
    unknown = f"version suffix, unknown base {UNKNOWN_VERSION_SUFFIX}"
    yield case(unknown, False, "version-suffix", name=UNKNOWN_VERSION_SUFFIX)
    for name in GENERIC_COMPOUNDS:
        yield case(f"generic compound {name}", True, name=name)
    for name in NOT_GENERIC:
        yield case(f"not generic {name}", False, "generic-compound", name=name)
    for name, _service in SERVICE_NAMES:
        yield case(f"service name undisclaimed {name}", True, name=name)
    for i, description in enumerate(AFFILIATION_DISCLAIMERS):
        yield case(
            f"service name disclaimed {i + 1}",
            False,
            name=SERVICE_DISCLAIMED_NAME,
            description=description,
        )
    for i, fields in enumerate(SERVICE_OWN_FIELDS):
        own = {"name": SERVICE_DISCLAIMED_NAME, **fields}
        yield case(f"service's own package {i + 1}", False, "service-name-undisclaimed", **own)
    yield case("plain @acme/demo", False)


# --- UP-02 / UP-04 against the previous release ---------------------------------------------

TOOLS = [
    {"name": "get_weather", "description": "Get current weather for a location"},
    {"name": "get_forecast", "description": "Five-day forecast for a location"},
]
UP04_GREATER = [("1.0.0", "1.0.1"), ("1.0.0-rc.2", "1.0.0")]
# (previous, new, the rule that blocks)
UP04_NOT_GREATER = [
    ("1.1.0", "1.0.1", "version-not-monotonic"),  # the spec's invalid sequence
    ("2.0.0", "1.9.9", "version-not-monotonic"),
    ("1.0.0", "1.0.0", "version-exists"),
    ("1.0.0+build.1", "1.0.0+build.2", "version-exists"),  # build metadata has no precedence
    ("1.0.0", "1.0", "version-invalid"),
]
UP02_MAJOR_BUMPS = [("1.4.2", "2.0.0"), ("0.3.0", "0.4.0")]
ALERTS_TOOL = {"name": "alerts", "description": "Severe weather alerts"}
FORECAST_RENAMED = [TOOLS[0], {**TOOLS[1], "name": "forecast"}]
CALENDAR_CREDENTIAL = {
    "provider": "google",
    "scopes": ["calendar.readonly"],
    "justification": "Read events",
}


def release(version: str, **fields: Any) -> Raw:
    """The test manifest at ``version`` with :data:`TOOLS` (or ``tools=``) and ``fields``."""
    return manifest(version=version, tools=copy.deepcopy(fields.pop("tools", TOOLS)), **fields)


def with_schema(required: list[str], props: list[str]) -> list[Raw]:
    """:data:`TOOLS` with an input schema on the first tool."""
    schema = {"type": "object", "properties": {p: {"type": "string"} for p in props}}
    return [{**TOOLS[0], "inputSchema": {**schema, "required": required}}, TOOLS[1]]


def _up() -> Iterator[Case]:
    files: Files = {"server.py": "x = 1\n"}

    def case(control: str, label: str, bad: bool, old: Raw, new: Raw) -> Case:
        return Case(control, label, bad, files, new, previous=old)

    for old, new in UP04_GREATER:
        yield case("UP-04", f"{old} -> {new}", False, release(old), release(new))
    for old, new, _rule in UP04_NOT_GREATER:
        yield case("UP-04", f"{old} -> {new}", True, release(old), release(new))
    yield case("UP-02", "no change, patch", False, release("1.0.0"), release("1.0.1"))
    for old, new in UP02_MAJOR_BUMPS:
        yield case(
            "UP-02",
            f"tool removed with major bump {old} -> {new}",
            False,
            release(old),
            release(new, tools=TOOLS[:1]),
        )
    yield case(
        "UP-02",
        "tool added, minor",
        False,
        release("1.0.0"),
        release("1.1.0", tools=[*TOOLS, ALERTS_TOOL]),
    )
    yield case(
        "UP-02", "tool removed, patch", True, release("1.0.0"), release("1.0.1", tools=TOOLS[:1])
    )
    yield case(
        "UP-02", "tool removed, minor", True, release("1.0.0"), release("1.1.0", tools=TOOLS[:1])
    )
    yield case(
        "UP-02", "tool renamed", True, release("1.0.0"), release("1.0.1", tools=FORECAST_RENAMED)
    )
    yield case(
        "UP-02",
        "required parameter added",
        True,
        release("1.0.0", tools=with_schema(["city"], ["city", "units"])),
        release("1.0.1", tools=with_schema(["city", "units", "day"], ["city", "units", "day"])),
    )
    yield case(
        "UP-02",
        "parameter removed",
        True,
        release("1.0.0", tools=with_schema(["city"], ["city", "units"])),
        release("1.1.0", tools=with_schema(["city"], ["city", "lang"])),
    )
    expanded = release("1.0.1")
    mtf_block(expanded)["permissions"].update({"network": "outbound", "subprocess": "full"})
    yield case("UP-02", "permissions expanded", True, release("1.0.0"), expanded)
    before, after = release("1.0.0"), release("1.0.1")
    mtf_block(before)["credentials"] = [CALENDAR_CREDENTIAL]
    mtf_block(after)["credentials"] = [
        {**CALENDAR_CREDENTIAL, "scopes": ["calendar.readonly", "gmail.send"]}
    ]
    yield case("UP-02", "OAuth scope added", True, before, after)
    yield case(
        "UP-02",
        "same version, other content",
        True,
        release("1.0.0"),
        release("1.0.0", description="Changed"),
    )
    yield case(
        "UP-02",
        "previous has another name",
        True,
        release("1.0.0", name="@acme/other"),
        release("1.0.1"),
    )


# --- all of them ------------------------------------------------------------------------------

CONTROL_IDS = ("CD-01", "CD-02", "CD-04", "CD-05", "RG-02", "UP-02", "UP-04")


def cases() -> list[Case]:
    """Every bundle fixture, in :data:`CONTROL_IDS` order (fresh objects on each call)."""
    found = [*_cd01(), *_cd02_python(), *_cd02_js(), *_cd04(), *_cd05(), *_rg02(), *_up()]
    names = [(c.control, c.name) for c in found]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"duplicate fixture names: {sorted(duplicates)}")
    return sorted(found, key=lambda c: CONTROL_IDS.index(c.control))
