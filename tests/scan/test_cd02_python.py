"""CD-02 on Python server code: each capability, its phase, and the evasions.

Every rule has a positive fixture (the undeclared use is reported with the
spec's severity for its context) and a negative one (the declaration covers it,
or the code does not really do it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cd02_support import evaluate, rules, undeclared, uses
from issue6_fixtures import (
    PY_COMPILED_BINARIES,
    PY_CREDENTIAL_PATHS,
    PY_CREDENTIAL_PATHS_HEAD,
    PY_FFI,
    PY_FILE_APPEND,
    PY_FIXED_PROGRAM,
    PY_GENERAL_ENV,
    PY_NETWORK_AT_IMPORT,
    PY_NETWORK_EVASIONS,
    PY_NETWORK_IN_HANDLER,
    PY_OPAQUE,
    PY_OPAQUE_HEAD,
    PY_PLAIN_TOOL,
    PY_SECRET_ENV_HEAD,
    PY_SECRET_ENV_READS,
    PY_SHELLS,
    PY_SPAWN_HEAD,
    PY_START_UPS,
    PY_WARM,
    VENDORED_DANGER,
)
from issue6_fixtures import PY_HEAD as HEAD

from mtf_action.scan.result import Status

NET_INIT = ("undeclared-network-init", "high", 2)
NET_RUNTIME = ("undeclared-network-runtime", "medium", None)
SUBPROCESS = ("undeclared-subprocess", "critical", 2)
NATIVE = ("undeclared-native", "critical", 2)


# --- network, and when it happens ---------------------------------------------------


def test_cd02_network_at_import_blocks_l2(tmp_path: Path) -> None:
    code = HEAD + PY_NETWORK_AT_IMPORT
    outcome = evaluate(tmp_path, {"server.py": code})
    assert undeclared(outcome) == [NET_INIT]
    assert outcome.status_at(1) is Status.WARN  # CD-02 is an L2 control: blocks from L2
    assert outcome.status_at(2) is Status.FAIL
    (use,) = uses(outcome, "network")
    assert (use["api"], use["phase"], use["line"]) == ("requests.get", "initialization", 4)


def test_cd02_network_in_a_tool_handler_warns(tmp_path: Path) -> None:
    code = HEAD + PY_NETWORK_IN_HANDLER
    outcome = evaluate(tmp_path, {"server.py": code})
    assert undeclared(outcome) == [NET_RUNTIME]
    assert outcome.status_at(2) is Status.WARN


@pytest.mark.parametrize("start_up", PY_START_UPS)
def test_cd02_code_reachable_from_start_up_is_initialization(tmp_path: Path, start_up: str) -> None:
    code = HEAD + PY_WARM + start_up
    outcome = evaluate(tmp_path, {"server.py": code})
    assert undeclared(outcome) == [NET_INIT]


def test_cd02_registered_handlers_do_not_run_at_start_up(tmp_path: Path) -> None:
    code = HEAD + (
        "import urllib.request\n"
        "def probe(u):\n    return urllib.request.urlopen(u)\n"
        "mcp.add_tool(probe)\n"
        "mcp.tool(name='p2')(lambda u: urllib.request.urlopen(u))\n"
        "@mcp.resource('res://x')\ndef res():\n    return probe('https://x')\n"
    )
    outcome = evaluate(tmp_path, {"server.py": code})
    assert undeclared(outcome) == [NET_RUNTIME]
    assert {u["phase"] for u in uses(outcome, "network")} == {"runtime"}


def test_cd02_declared_outbound_covers_requests(tmp_path: Path) -> None:
    code = HEAD + "import requests\nrequests.post('https://api.example', json={})\n"
    outcome = evaluate(tmp_path, {"server.py": code}, network="outbound")
    assert outcome.findings == []
    assert outcome.details["observed"]["network"] == "outbound"


def test_cd02_listening_transport_needs_inbound(tmp_path: Path) -> None:
    code = HEAD + "mcp.run(transport='sse')\n"
    assert undeclared(evaluate(tmp_path, {"server.py": code}, network="outbound")) == [NET_INIT]
    assert evaluate(tmp_path, {"server.py": code}, network="inbound").findings == []
    stdio = HEAD + "mcp.run()\nmcp.run(transport='stdio')\n"
    assert evaluate(tmp_path, {"server.py": stdio}).findings == []


def test_cd02_socket_listen_is_inbound(tmp_path: Path) -> None:
    code = HEAD + (
        "import socket\n"
        "def serve():\n    s = socket.socket()\n    s.bind(('0.0.0.0', 4444))\n    s.listen()\n"
        "serve()\n"
    )
    outcome = evaluate(tmp_path, {"server.py": code}, network="outbound")
    assert undeclared(outcome) == [NET_INIT]
    assert {u["access"] for u in uses(outcome, "network")} == {"outbound", "inbound"}
    assert evaluate(tmp_path, {"server.py": code}, network="full").findings == []


def test_cd02_url_helpers_are_not_network(tmp_path: Path) -> None:
    code = (
        HEAD + "import urllib.parse\nQ = urllib.parse.quote('a b')\nimport json\njson.dumps({})\n"
    )
    assert evaluate(tmp_path, {"server.py": code}).findings == []


@pytest.mark.parametrize("spelling", PY_NETWORK_EVASIONS)
def test_cd02_network_evasions_are_seen(tmp_path: Path, spelling: str) -> None:
    outcome = evaluate(tmp_path, {"server.py": HEAD + spelling + "\n"})
    assert undeclared(outcome) == [NET_INIT]


# --- filesystem -----------------------------------------------------------------------


def test_cd02_writing_needs_write(tmp_path: Path) -> None:
    code = HEAD + PY_FILE_APPEND
    outcome = evaluate(tmp_path, {"server.py": code}, filesystem="read")
    assert undeclared(outcome) == [("undeclared-filesystem", "medium", None)]
    assert "at least 'write'" in outcome.findings[0].description
    assert evaluate(tmp_path, {"server.py": code}, filesystem="write").findings == []


def test_cd02_reading_is_covered_by_read(tmp_path: Path) -> None:
    code = HEAD + (
        "import pathlib, os, glob\n"
        "@mcp.tool()\ndef show(p: str):\n"
        "    glob.glob('*.md'); os.listdir('.')\n"
        "    return open(p).read() + pathlib.Path(p).read_text()\n"
    )
    outcome = evaluate(tmp_path, {"server.py": code}, filesystem="read")
    assert outcome.findings == []
    assert len(uses(outcome, "filesystem")) == 4
    assert undeclared(evaluate(tmp_path, {"server.py": code})) == [
        ("undeclared-filesystem", "medium", None)
    ]


@pytest.mark.parametrize("path", PY_CREDENTIAL_PATHS)
def test_cd02_credential_stores_block_even_with_read(tmp_path: Path, path: str) -> None:
    code = HEAD + PY_CREDENTIAL_PATHS_HEAD + path + "\n"
    outcome = evaluate(tmp_path, {"server.py": code}, filesystem="write", environment="read")
    assert undeclared(outcome) == [("undeclared-filesystem-sensitive", "high", 2)]
    assert outcome.status_at(2) is Status.FAIL
    full = evaluate(tmp_path, {"server.py": code}, filesystem="full", environment="read")
    assert full.findings == []


def test_cd02_project_relative_config_is_not_sensitive(tmp_path: Path) -> None:
    code = HEAD + "import os\nopen(os.path.join(os.path.dirname(__file__), '.config', 'x.json'))\n"
    outcome = evaluate(tmp_path, {"server.py": code})
    assert undeclared(outcome) == [("undeclared-filesystem", "medium", None)]


# --- environment ----------------------------------------------------------------------


@pytest.mark.parametrize("read", PY_SECRET_ENV_READS)
def test_cd02_secret_environment_reads_block(tmp_path: Path, read: str) -> None:
    code = HEAD + PY_SECRET_ENV_HEAD + read + "\n"
    outcome = evaluate(tmp_path, {"server.py": code})
    assert undeclared(outcome) == [("undeclared-environment-secret", "high", 2)]
    assert evaluate(tmp_path, {"server.py": code}, environment="read").findings == []


def test_cd02_general_environment_read_is_info(tmp_path: Path) -> None:
    code = HEAD + PY_GENERAL_ENV
    outcome = evaluate(tmp_path, {"server.py": code})
    assert undeclared(outcome) == [("undeclared-environment", "info", None)]
    assert outcome.status_at(4) is Status.PASS  # "LOW (info)": reported, not a warning


def test_cd02_environment_write_needs_write(tmp_path: Path) -> None:
    code = HEAD + "import os\nos.environ['TZ'] = 'UTC'\n"
    outcome = evaluate(tmp_path, {"server.py": code}, environment="read")
    assert undeclared(outcome) == [("undeclared-environment", "info", None)]
    assert evaluate(tmp_path, {"server.py": code}, environment="write").findings == []


def test_cd02_pydantic_settings_fields_are_environment_reads(tmp_path: Path) -> None:
    code = HEAD + (
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n"
        "class Settings(BaseSettings):\n"
        "    model_config = SettingsConfigDict(env_prefix='ACME_')\n"
        "    api_key: str\n    timeout: int = 5\n"
    )
    outcome = evaluate(tmp_path, {"server.py": code})
    assert undeclared(outcome) == [
        ("undeclared-environment", "info", None),  # ACME_TIMEOUT
        ("undeclared-environment-secret", "high", 2),  # ACME_API_KEY
    ]
    targets = {u.get("target") for u in uses(outcome, "environment")}
    assert targets == {"ACME_API_KEY", "ACME_TIMEOUT"}


# --- subprocess -----------------------------------------------------------------------


def test_cd02_fixed_program_is_restricted(tmp_path: Path) -> None:
    code = HEAD + PY_FIXED_PROGRAM
    outcome = evaluate(tmp_path, {"server.py": code})
    assert undeclared(outcome) == [SUBPROCESS]
    assert evaluate(tmp_path, {"server.py": code}, subprocess="restricted").findings == []


@pytest.mark.parametrize("spawn", PY_SHELLS)
def test_cd02_shells_and_computed_programs_need_full(tmp_path: Path, spawn: str) -> None:
    code = HEAD + PY_SPAWN_HEAD + spawn + "\n"
    outcome = evaluate(tmp_path, {"server.py": code}, subprocess="restricted")
    assert undeclared(outcome) == [SUBPROCESS]
    assert evaluate(tmp_path, {"server.py": code}, subprocess="full").findings == []


# --- native code ----------------------------------------------------------------------


@pytest.mark.parametrize("load", PY_FFI)
def test_cd02_ffi_is_native(tmp_path: Path, load: str) -> None:
    outcome = evaluate(tmp_path, {"server.py": HEAD + load + "\n"})
    assert undeclared(outcome) == [NATIVE]
    assert evaluate(tmp_path, {"server.py": HEAD + load + "\n"}, native="required").findings == []


def test_cd02_compiled_binaries_in_the_bundle_are_native(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"server.py": HEAD, **PY_COMPILED_BINARIES}
    outcome = evaluate(tmp_path, files)
    assert undeclared(outcome) == [NATIVE]  # one finding for the bundle's binaries
    targets = sorted(u["file"] for u in uses(outcome, "native"))
    assert targets == ["bin/helper", "deps/fast/_speedups.cpython-311-x86_64-linux-gnu.so",
                       "deps/other/lib.so.1.2"]  # fmt: skip
    assert evaluate(tmp_path, files, native="required").findings == []


# --- what cannot be decided -----------------------------------------------------------


@pytest.mark.parametrize("opaque", PY_OPAQUE)
def test_cd02_computed_imports_are_reported_as_opaque(tmp_path: Path, opaque: str) -> None:
    code = HEAD + PY_OPAQUE_HEAD + opaque + "\n"
    outcome = evaluate(tmp_path, {"server.py": code})
    assert rules(outcome) == ["capability-not-determinable"]
    assert outcome.status_at(2) is Status.WARN


def test_cd02_plain_server_passes_and_vendored_code_is_not_analysed(tmp_path: Path) -> None:
    files = {"server.py": HEAD + PY_PLAIN_TOOL, "deps/lib/evil.py": VENDORED_DANGER,
             "tests/test_x.py": VENDORED_DANGER}  # fmt: skip
    outcome = evaluate(tmp_path, files)
    assert outcome.findings == []
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["python_files"] == 1
