"""CD-02 on JavaScript/TypeScript server code: capabilities, phases, evasions."""

from __future__ import annotations

from pathlib import Path

import pytest
from cd02_support import NODE_SERVER, evaluate, rules, undeclared, uses
from helpers import manifest

from mtf_action.scan.result import ControlOutcome, Status

HEAD = (
    'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\n'
    'const server = new McpServer({ name: "x", version: "1" });\n'
)
NET_INIT = ("undeclared-network-init", "high", 2)
NET_RUNTIME = ("undeclared-network-runtime", "medium", None)
SUBPROCESS = ("undeclared-subprocess", "critical", 2)
NATIVE = ("undeclared-native", "critical", 2)
SECRET = ("undeclared-environment-secret", "high", 2)


def js(tmp_path: Path, code: str, name: str = "server/index.js", **values: str) -> ControlOutcome:
    return evaluate(tmp_path, {name: code}, manifest(server=NODE_SERVER), **values)


# --- network --------------------------------------------------------------------------


def test_cd02_js_fetch_at_top_level_blocks(tmp_path: Path) -> None:
    outcome = js(tmp_path, HEAD + 'const cfg = await fetch("https://c2.example/cfg");\n')
    assert undeclared(outcome) == [NET_INIT]
    assert outcome.status_at(2) is Status.FAIL


def test_cd02_js_fetch_in_handlers_warns(tmp_path: Path) -> None:
    code = HEAD + (
        "async function lookup(q) { return (await fetch(`https://api.example/?q=${q}`)).json(); }\n"
        'server.registerTool("search", { description: "s" }, async ({ q }) => lookup(q));\n'
        'server.tool("raw", async () => { const r = await fetch("https://x"); return r; });\n'
    )
    outcome = js(tmp_path, code)
    assert undeclared(outcome) == [NET_RUNTIME]
    assert {u["phase"] for u in uses(outcome, "network")} == {"runtime"}


@pytest.mark.parametrize(
    "start_up",
    [
        "setTimeout(() => beacon(), 1000);",
        "process.on('exit', beacon);",
        "main();\nfunction main() { beacon(); }",
        "class Boot { constructor() { beacon(); } }\nnew Boot();",
        "[1, 2].forEach(() => beacon());",
    ],
)
def test_cd02_js_code_reachable_from_start_up_is_initialization(
    tmp_path: Path, start_up: str
) -> None:
    code = HEAD + "function beacon() { return fetch('https://t.example'); }\n" + start_up + "\n"
    assert undeclared(js(tmp_path, code)) == [NET_INIT]


@pytest.mark.parametrize(
    "spelling",
    [
        'const axios = require("axios");\naxios.post("https://x", {});',
        'import got from "got";\nawait got("https://x");',
        'const h = require("ht" + "tps");\nh.get("https://x");',
        'const { request: r } = await import(`node:${"http"}`);\nr("http://x");',
        'globalThis["fe" + "tch"]("https://x");',
        'const net = require("net");\nnet.createConnection(80, "x");',
    ],
)
def test_cd02_js_network_evasions_are_seen(tmp_path: Path, spelling: str) -> None:
    assert undeclared(js(tmp_path, HEAD + spelling + "\n")) == [NET_INIT]


def test_cd02_js_outbound_declared_covers_and_methods_are_not_packages(tmp_path: Path) -> None:
    code = HEAD + (
        'import axios from "axios";\nawait axios.get("https://api.example");\n'
        "class Client { request(x) { return x; } run() { return this.request(1); } }\n"
    )
    outcome = js(tmp_path, code, network="outbound")
    assert outcome.findings == []
    assert [u["api"] for u in uses(outcome, "network")] == ["axios.get"]


@pytest.mark.parametrize(
    "listen",
    [
        'import http from "node:http";\nhttp.createServer(() => {}).listen(3000);',
        'import express from "express";\nconst app = express();\napp.listen(8080);',
        (
            'import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";\n'
            "const t = new SSEServerTransport('/messages', res);"
        ),
    ],
)
def test_cd02_js_listening_needs_inbound(tmp_path: Path, listen: str) -> None:
    code = HEAD + listen + "\n"
    assert undeclared(js(tmp_path, code, network="outbound")) == [NET_INIT]
    assert js(tmp_path, code, network="inbound").findings == []


# --- filesystem -----------------------------------------------------------------------


def test_cd02_js_fs_read_and_write(tmp_path: Path) -> None:
    code = HEAD + (
        'import { readFile } from "node:fs/promises";\nimport fs from "fs";\n'
        'server.tool("show", async () => readFile("notes.md", "utf8"));\n'
        'server.tool("save", async () => fs.promises.writeFile("notes.md", "x"));\n'
    )
    outcome = js(tmp_path, code, filesystem="read")
    assert undeclared(outcome) == [("undeclared-filesystem", "medium", None)]
    assert js(tmp_path, code, filesystem="write").findings == []
    assert sorted(u["access"] for u in uses(outcome, "filesystem")) == ["read", "write"]


@pytest.mark.parametrize(
    "read",
    [
        'fs.readFileSync(path.join(os.homedir(), ".ssh", "id_rsa"))',
        "fs.readFileSync(`${os.homedir()}/.aws/credentials`)",
        'fs.createReadStream(process.env.HOME + "/.config/gcloud/credentials.db")',
        'fs.readdirSync("/Users/" + user + "/Library/Keychains")',
    ],
)
def test_cd02_js_credential_stores_need_full(tmp_path: Path, read: str) -> None:
    code = HEAD + 'import fs from "fs";\nimport os from "os";\nimport path from "path";\n'
    code += "const user = process.argv[2];\n" + read + ";\n"
    outcome = js(tmp_path, code, filesystem="write", environment="read")
    assert undeclared(outcome) == [("undeclared-filesystem-sensitive", "high", 2)]
    assert js(tmp_path, code, filesystem="full", environment="read").findings == []


# --- environment ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "read",
    [
        "process.env.GITHUB_TOKEN",
        'process.env["AWS_" + "SECRET_ACCESS_KEY"]',
        "const { OPENAI_API_KEY } = process.env",
        "const copy = { ...process.env }",
        "JSON.stringify(process.env)",
        'globalThis["process"].env.NPM_TOKEN',
        "const { env } = process; env.SLACK_BOT_TOKEN",
    ],
)
def test_cd02_js_secret_environment_reads_block(tmp_path: Path, read: str) -> None:
    outcome = js(tmp_path, HEAD + read + ";\n")
    assert undeclared(outcome) == [SECRET]
    assert js(tmp_path, HEAD + read + ";\n", environment="read").findings == []


def test_cd02_js_general_environment_is_info_and_writes_need_write(tmp_path: Path) -> None:
    code = HEAD + 'const level = process.env.LOG_LEVEL ?? "info";\n'
    assert undeclared(js(tmp_path, code)) == [("undeclared-environment", "info", None)]
    code += 'process.env.TZ = "UTC";\n'
    outcome = js(tmp_path, code, environment="read")
    assert undeclared(outcome) == [("undeclared-environment", "info", None)]
    assert js(tmp_path, code, environment="write").findings == []


# --- subprocess and native ------------------------------------------------------------


def test_cd02_js_fixed_program_is_restricted(tmp_path: Path) -> None:
    code = HEAD + 'import { spawn, fork } from "node:child_process";\nspawn("git", ["status"]);\n'
    code += 'fork("./worker.js");\n'
    assert undeclared(js(tmp_path, code)) == [SUBPROCESS]
    assert js(tmp_path, code, subprocess="restricted").findings == []


@pytest.mark.parametrize(
    "spawn",
    [
        'require("child_process").execSync("ls")',
        'const cp = require("child_" + "process");\ncp.spawn(cmd, [])',
        'const { exec: run } = require("node:child_process");\nrun("id")',
        'require("child_process").spawn("ls", [], { shell: true })',
        'require("child_process").execFile("node", ["-e", "1"])',
        'import { execa } from "execa";\nawait execa(cmd)',
        'import { $ } from "zx";\nawait $`ls`',
    ],
)
def test_cd02_js_shells_and_computed_programs_need_full(tmp_path: Path, spawn: str) -> None:
    code = HEAD + "const cmd = process.argv[2];\n" + spawn + ";\n"
    assert undeclared(js(tmp_path, code, subprocess="restricted")) == [SUBPROCESS]
    assert js(tmp_path, code, subprocess="full").findings == []


@pytest.mark.parametrize(
    "load",
    [
        'const addon = require("./build/Release/addon.node");',
        "process.dlopen(module, lib);",
        'const koffi = require("koffi");',
        'import bindings from "bindings";',
    ],
)
def test_cd02_js_native_addons(tmp_path: Path, load: str) -> None:
    code = HEAD + "const lib = process.argv[2];\n" + load + "\n"
    assert undeclared(js(tmp_path, code)) == [NATIVE]
    assert js(tmp_path, code, native="required").findings == []


def test_cd02_js_node_addon_in_node_modules_is_native(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "server/index.js": HEAD,
        "node_modules/fast/build/Release/fast.node": b"\x7fELF\x02",
    }
    outcome = evaluate(tmp_path, files, manifest(server=NODE_SERVER))
    assert undeclared(outcome) == [NATIVE]


# --- opaque, TypeScript -----------------------------------------------------------------


@pytest.mark.parametrize(
    "opaque",
    [
        "require(name);",
        "await import(name);",
        'const cp = require("child_process");\ncp[name]("id");',
    ],
)
def test_cd02_js_computed_modules_are_opaque(tmp_path: Path, opaque: str) -> None:
    code = HEAD + "const name = process.argv[2];\n" + opaque + "\n"
    outcome = js(tmp_path, code, subprocess="full")
    assert "capability-not-determinable" in rules(outcome)


def test_cd02_typescript_is_analysed(tmp_path: Path) -> None:
    code = HEAD + (
        'import * as fs from "node:fs";\n'
        "const p: string = (process.env.DATA_DIR as string) + '/x';\n"
        "server.tool('w', async (): Promise<void> => { fs.writeFileSync(p!, 'x'); });\n"
    )
    outcome = js(tmp_path, code, "src/server.ts", environment="read")
    assert undeclared(outcome) == [("undeclared-filesystem", "medium", None)]


def test_cd02_pathological_nesting_is_reported_not_crashed(tmp_path: Path) -> None:
    """A 5,000-term concatenation exhausts the name folding: the file is reported."""
    code = "const x = " + " + ".join(['"a"'] * 5000) + ";\nprocess.env[x];\n"
    outcome = js(tmp_path, code)
    assert rules(outcome) == ["server-file-not-analysed"]
    assert outcome.status_at(2) is Status.WARN
