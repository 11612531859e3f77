"""Deterministic synthetic server trees for the build benchmark.

A tree looks like a Node server with a vendored ``node_modules/``: many small
text files, fewer medium ones, some incompressible binaries (images, fonts,
native modules), some compressible binaries (wasm-like) and a handful of large
files. The same ``(files, seed)`` always gives the same bytes, so runs and
machines are comparable.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from pathlib import Path

# (share of files, kind, min bytes, max bytes); sizes are log-uniform in range.
MIX: tuple[tuple[float, str, int, int], ...] = (
    (0.600, "text", 100, 6 * 1024),
    (0.200, "text", 6 * 1024, 48 * 1024),
    (0.120, "text", 0, 100),
    (0.060, "random", 2 * 1024, 96 * 1024),
    (0.018, "pattern", 16 * 1024, 256 * 1024),
    (0.002, "large", 1024 * 1024, 4 * 1024 * 1024),
)
TEXT_SUFFIXES = (".js", ".js", ".js", ".json", ".md", ".ts", ".cjs", ".txt")
BINARY_SUFFIXES = {"random": (".png", ".woff2", ".node", ".gz"), "pattern": (".wasm", ".bin")}
_VOCABULARY = [
    "const",
    "let",
    "var",
    "function",
    "return",
    "if",
    "else",
    "for",
    "while",
    "import",
    "export",
    "from",
    "default",
    "class",
    "extends",
    "new",
    "this",
    "async",
    "await",
    "try",
    "catch",
    "throw",
    "null",
    "undefined",
    "true",
    "false",
    "module",
    "require",
    "object",
    "string",
    "number",
    "array",
    "length",
    "push",
    "map",
    "filter",
    "reduce",
    "value",
    "key",
    "options",
    "config",
    "server",
    "client",
    "request",
    "response",
    "error",
    "message",
    "result",
    "data",
    "buffer",
    "stream",
    "handler",
]


@dataclass(frozen=True)
class TreeStats:
    root: Path
    files: int
    bytes: int


def _text_pool(rng: random.Random, size: int) -> bytes:
    """One big block of source-like text; files are slices of it."""
    words: list[str] = []
    length = 0
    while length < size:
        line = " ".join(rng.choice(_VOCABULARY) for _ in range(rng.randint(3, 12)))
        line = "  " * rng.randint(0, 4) + line + (";" if rng.random() < 0.6 else " {") + "\n"
        words.append(line)
        length += len(line)
    return "".join(words).encode("ascii")


def _size(rng: random.Random, low: int, high: int) -> int:
    if low <= 0:
        return rng.randint(0, high)
    return int(math.exp(rng.uniform(math.log(low), math.log(high))))


def _pick(rng: random.Random) -> tuple[str, int, int]:
    roll = rng.random()
    for share, kind, low, high in MIX:
        if roll < share:
            return kind, low, high
        roll -= share
    _, kind, low, high = MIX[0]
    return kind, low, high


def _manifest(files: int) -> dict[str, object]:
    return {
        "manifest_version": "0.4",
        "name": f"@mtf-bench/synthetic-{files}",
        "version": "1.0.0",
        "description": f"Synthetic benchmark tree with {files} files",
        "author": {"name": "mtf-attest benchmark", "email": "bench@example.org"},
        "server": {
            "type": "node",
            "entry_point": "server/index.js",
            "mcp_config": {"command": "node", "args": ["${__dirname}/server/index.js"]},
        },
        "tools": [],
    }


def generate_tree(root: Path, files: int, seed: int = 20240601) -> TreeStats:
    """Write ``files`` files (plus manifest and entry point) under ``root``."""
    rng = random.Random(f"{seed}:{files}")
    pool = _text_pool(rng, 4 * 1024 * 1024)
    root.mkdir(parents=True, exist_ok=False)
    manifest = json.dumps(_manifest(files), indent=2).encode() + b"\n"
    (root / "manifest.json").write_bytes(manifest)
    (root / "server").mkdir()
    (root / "server" / "index.js").write_bytes(b"// synthetic entry point\n")
    total = len(manifest) + 25
    packages = max(1, files // 40)
    for index in range(files):
        package = f"node_modules/pkg-{rng.randrange(packages):05d}"
        depth = rng.randint(0, 2)
        subdirs = "/".join(f"d{rng.randrange(6)}" for _ in range(depth))
        kind, low, high = _pick(rng)
        size = _size(rng, low, high)
        if kind == "text":
            start = rng.randrange(len(pool) - size) if size < len(pool) else 0
            data = pool[start : start + size]
            suffix = rng.choice(TEXT_SUFFIXES)
        elif kind == "random":
            data = rng.randbytes(size)
            suffix = rng.choice(BINARY_SUFFIXES["random"])
        elif kind == "pattern":
            block = rng.randbytes(256) + bytes(rng.randrange(64, 1024))
            data = (block * (size // len(block) + 1))[:size]
            suffix = rng.choice(BINARY_SUFFIXES["pattern"])
        else:  # large: half text-like, half incompressible
            data = rng.randbytes(size) if rng.random() < 0.5 else (pool * 2)[:size]
            suffix = ".dat"
        directory = root / package / subdirs if subdirs else root / package
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"f{index:06d}{suffix}"
        path.write_bytes(data)
        if suffix == ".node" or rng.random() < 0.01:
            path.chmod(0o755)
        total += len(data)
    return TreeStats(root=root, files=files + 2, bytes=total)
