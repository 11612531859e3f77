"""A minimal MCP client over stdio for tests: JSON-RPC 2.0, one message per line.

Only what the example tests need: start a server process, ``initialize``, send
``notifications/initialized``, then requests such as ``tools/list``. Every read
has a timeout and the process is always reaped, so a hung server fails the
test instead of hanging it.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

PROTOCOL_VERSION = "2025-06-18"


class McpStdioError(AssertionError):
    """The server misbehaved (exited, timed out, answered with an error)."""


class McpStdioClient:
    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        timeout: float = 30.0,
    ) -> None:
        self.timeout = timeout
        self._next_id = 0
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: list[str] = []
        self.proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env),
            cwd=cwd,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        threading.Thread(target=self._pump_stdout, daemon=True).start()
        threading.Thread(target=self._pump_stderr, daemon=True).start()

    def _pump_stdout(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _pump_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line)

    def stderr_tail(self, lines: int = 20) -> str:
        return "".join(self._stderr[-lines:])

    def _send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(message) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            raise McpStdioError(f"server closed stdin:\n{self.stderr_tail()}") from None

    def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self._send(message)

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a request and return its ``result`` (skipping server notifications)."""
        self._next_id += 1
        request_id = self._next_id
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        self._send(message)
        while True:
            try:
                line = self._lines.get(timeout=self.timeout)
            except queue.Empty:
                raise McpStdioError(
                    f"no answer to {method} within {self.timeout}s:\n{self.stderr_tail()}"
                ) from None
            if line is None:
                raise McpStdioError(f"server exited during {method}:\n{self.stderr_tail()}")
            reply = json.loads(line)
            if reply.get("id") != request_id:
                continue  # a notification or log message from the server
            if "error" in reply:
                raise McpStdioError(f"{method} failed: {reply['error']}")
            result: dict[str, Any] = reply["result"]
            return result

    def initialize(self) -> dict[str, Any]:
        result = self.request(
            "initialize",
            {
                "protocolVersion": PROTOCOL_VERSION,
                "capabilities": {},
                "clientInfo": {"name": "mtf-attest-tests", "version": "0"},
            },
        )
        self.notify("notifications/initialized")
        return result

    def close(self) -> int:
        """Close stdin (the stdio transport's shutdown signal) and reap the process."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        try:
            return self.proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(timeout=self.timeout)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def launch_from_manifest(
    manifest: Mapping[str, Any], tree: Path, home: Path
) -> tuple[list[str], dict[str, str]]:
    """argv and env from ``server.mcp_config``, with ``${__dirname}`` = ``tree``.

    ``python`` is this interpreter with ``-S`` (no site-packages), so a server
    only starts if its vendored ``deps/`` are complete; the environment is a
    minimal one plus the manifest's ``env``.
    """
    config = manifest["server"]["mcp_config"]

    def expand(value: str) -> str:
        return value.replace("${__dirname}", str(tree))

    args = [expand(a) for a in config.get("args", [])]
    command = config["command"]
    if command == "python":
        argv = [sys.executable, "-S", *args]
    else:
        resolved = shutil.which(command)
        if resolved is None:
            raise McpStdioError(f"{command} is not on PATH")
        argv = [resolved, *args]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        # Keep shared vendored trees byte-for-byte as installed.
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update({k: expand(v) for k, v in config.get("env", {}).items()})
    return argv, env
