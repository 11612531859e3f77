"""CD-02 on JavaScript/TypeScript server code: capabilities, phases, evasions."""

from __future__ import annotations

from pathlib import Path

import pytest
from cd02_support import NODE_SERVER, evaluate, rules, undeclared, uses
from helpers import manifest
from issue6_fixtures import (
    JS_BEACON,
    JS_CREDENTIAL_PATHS,
    JS_CREDENTIAL_PATHS_HEAD,
    JS_FETCH_AT_TOP,
    JS_FETCH_IN_HANDLERS,
    JS_FIXED_PROGRAM,
    JS_FS_READ_WRITE,
    JS_GENERAL_ENV,
    JS_LISTENERS,
    JS_NATIVE,
    JS_NATIVE_HEAD,
    JS_NETWORK_EVASIONS,
    JS_SECRET_ENV_READS,
    JS_SHELLS,
    JS_SPAWN_HEAD,
    JS_START_UPS,
)
from issue6_fixtures import JS_HEAD as HEAD

from mtf_action.scan.result import ControlOutcome, Status

NET_INIT = ("undeclared-network-init", "high", 2)
NET_RUNTIME = ("undeclared-network-runtime", "medium", None)
SUBPROCESS = ("undeclared-subprocess", "critical", 2)
NATIVE = ("undeclared-native", "critical", 2)
SECRET = ("undeclared-environment-secret", "high", 2)


def js(tmp_path: Path, code: str, name: str = "server/index.js", **values: str) -> ControlOutcome:
    return evaluate(tmp_path, {name: code}, manifest(server=NODE_SERVER), **values)


# --- network --------------------------------------------------------------------------


def test_cd02_js_fetch_at_top_level_blocks(tmp_path: Path) -> None:
    outcome = js(tmp_path, HEAD + JS_FETCH_AT_TOP)
    assert undeclared(outcome) == [NET_INIT]
    assert outcome.status_at(2) is Status.FAIL


def test_cd02_js_fetch_in_handlers_warns(tmp_path: Path) -> None:
    code = HEAD + JS_FETCH_IN_HANDLERS
    outcome = js(tmp_path, code)
    assert undeclared(outcome) == [NET_RUNTIME]
    assert {u["phase"] for u in uses(outcome, "network")} == {"runtime"}


@pytest.mark.parametrize("start_up", JS_START_UPS)
def test_cd02_js_code_reachable_from_start_up_is_initialization(
    tmp_path: Path, start_up: str
) -> None:
    code = HEAD + JS_BEACON + start_up + "\n"
    assert undeclared(js(tmp_path, code)) == [NET_INIT]


@pytest.mark.parametrize("spelling", JS_NETWORK_EVASIONS)
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


@pytest.mark.parametrize("listen", JS_LISTENERS)
def test_cd02_js_listening_needs_inbound(tmp_path: Path, listen: str) -> None:
    code = HEAD + listen + "\n"
    assert undeclared(js(tmp_path, code, network="outbound")) == [NET_INIT]
    assert js(tmp_path, code, network="inbound").findings == []


# --- filesystem -----------------------------------------------------------------------


def test_cd02_js_fs_read_and_write(tmp_path: Path) -> None:
    code = HEAD + JS_FS_READ_WRITE
    outcome = js(tmp_path, code, filesystem="read")
    assert undeclared(outcome) == [("undeclared-filesystem", "medium", None)]
    assert js(tmp_path, code, filesystem="write").findings == []
    assert sorted(u["access"] for u in uses(outcome, "filesystem")) == ["read", "write"]


@pytest.mark.parametrize("read", JS_CREDENTIAL_PATHS)
def test_cd02_js_credential_stores_need_full(tmp_path: Path, read: str) -> None:
    code = HEAD + JS_CREDENTIAL_PATHS_HEAD + read + ";\n"
    outcome = js(tmp_path, code, filesystem="write", environment="read")
    assert undeclared(outcome) == [("undeclared-filesystem-sensitive", "high", 2)]
    assert js(tmp_path, code, filesystem="full", environment="read").findings == []


# --- environment ----------------------------------------------------------------------


@pytest.mark.parametrize("read", JS_SECRET_ENV_READS)
def test_cd02_js_secret_environment_reads_block(tmp_path: Path, read: str) -> None:
    outcome = js(tmp_path, HEAD + read + ";\n")
    assert undeclared(outcome) == [SECRET]
    assert js(tmp_path, HEAD + read + ";\n", environment="read").findings == []


def test_cd02_js_general_environment_is_info_and_writes_need_write(tmp_path: Path) -> None:
    code = HEAD + JS_GENERAL_ENV
    assert undeclared(js(tmp_path, code)) == [("undeclared-environment", "info", None)]
    code += 'process.env.TZ = "UTC";\n'
    outcome = js(tmp_path, code, environment="read")
    assert undeclared(outcome) == [("undeclared-environment", "info", None)]
    assert js(tmp_path, code, environment="write").findings == []


# --- subprocess and native ------------------------------------------------------------


def test_cd02_js_fixed_program_is_restricted(tmp_path: Path) -> None:
    code = HEAD + JS_FIXED_PROGRAM
    assert undeclared(js(tmp_path, code)) == [SUBPROCESS]
    assert js(tmp_path, code, subprocess="restricted").findings == []


@pytest.mark.parametrize("spawn", JS_SHELLS)
def test_cd02_js_shells_and_computed_programs_need_full(tmp_path: Path, spawn: str) -> None:
    code = HEAD + JS_SPAWN_HEAD + spawn + ";\n"
    assert undeclared(js(tmp_path, code, subprocess="restricted")) == [SUBPROCESS]
    assert js(tmp_path, code, subprocess="full").findings == []


@pytest.mark.parametrize("load", JS_NATIVE)
def test_cd02_js_native_addons(tmp_path: Path, load: str) -> None:
    code = HEAD + JS_NATIVE_HEAD + load + "\n"
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
