"""Tiny real packages made on the fly, so vendoring tests never touch PyPI or npm.

``make_wheel`` writes a valid ``py3-none-any`` wheel (METADATA, WHEEL, RECORD with
correct digests) that pip installs like any other; ``make_npm_tarball`` runs
``npm pack`` on a generated package. Digests are returned the way lockfiles
write them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import zipfile
from pathlib import Path


def _record_digest(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"sha256={digest.decode()}"


def make_wheel(
    directory: Path,
    name: str,
    version: str,
    *,
    requires: tuple[str, ...] = (),
    license_expression: str | None = "MIT",
    extra_metadata: tuple[str, ...] = (),
    console_script: bool = False,
) -> tuple[Path, str]:
    """Write ``<name>-<version>-py3-none-any.whl``; returns (path, sha256 hex)."""
    module = name.replace("-", "_")
    dist_info = f"{module}-{version}.dist-info"
    metadata = [
        "Metadata-Version: 2.4",
        f"Name: {name}",
        f"Version: {version}",
        *([f"License-Expression: {license_expression}"] if license_expression else []),
        *extra_metadata,
        *(f"Requires-Dist: {r}" for r in requires),
    ]
    files: dict[str, bytes] = {
        f"{module}/__init__.py": f"VERSION = {version!r}\n\ndef main() -> int:\n    return 0\n".encode(),
        f"{dist_info}/METADATA": ("\n".join(metadata) + "\n").encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: pkg_factory\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    if console_script:
        files[f"{dist_info}/entry_points.txt"] = (
            f"[console_scripts]\n{name}-cli = {module}:main\n".encode()
        )
    rows = [f"{path},{_record_digest(data)},{len(data)}" for path, data in files.items()]
    files[f"{dist_info}/RECORD"] = ("\n".join([*rows, f"{dist_info}/RECORD,,"]) + "\n").encode()
    path = directory / f"{module}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in files.items():
            archive.writestr(zipfile.ZipInfo(member, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def make_npm_tarball(
    directory: Path, name: str, version: str, *, dependencies: dict[str, str] | None = None
) -> tuple[Path, str]:
    """``npm pack`` a generated package; returns (tarball, SRI ``sha512-...`` integrity)."""
    source = directory / "src" / name.replace("/", "__")
    source.mkdir(parents=True)
    manifest = {
        "name": name,
        "version": version,
        "license": "MIT",
        "main": "index.js",
        "dependencies": dependencies or {},
    }
    (source / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (source / "index.js").write_text(f"module.exports = {json.dumps(name)};\n")
    out = subprocess.run(
        ["npm", "pack", "--json", "--pack-destination", str(directory)],
        cwd=source,
        capture_output=True,
        text=True,
        check=True,
    )
    info = json.loads(out.stdout)[0]
    return directory / info["filename"], info["integrity"]


# The wheelhouse the vendoring and SBOM tests share: alpha -> beta -> gamma (gamma
# only on Windows), delta a development dependency.
WHEELS = (
    ("alpha", "1.0.0", ("beta>=2",), True),
    ("beta", "2.0.0", ("gamma; sys_platform == 'win32'",), False),
    ("gamma", "3.0.0", (), False),
    ("delta", "4.0.0", (), False),
)


def build_wheelhouse(directory: Path) -> dict[str, str]:
    """Write the WHEELS into ``directory``; returns name -> sha256 hex."""
    directory.mkdir(parents=True, exist_ok=True)
    sha = {}
    for name, version, requires, script in WHEELS:
        _, sha[name] = make_wheel(
            directory, name, version, requires=requires, console_script=script
        )
    return sha


def _wheel_entry(name: str, version: str, sha: str) -> str:
    url = f"https://files.pythonhosted.org/packages/xx/{name}-{version}-py3-none-any.whl"
    return f'wheels = [\n    {{ url = "{url}", hash = "sha256:{sha}", size = 1000 }},\n]\n'


def write_uv_project(root: Path, sha: dict[str, str]) -> Path:
    """A uv project depending on ``alpha>=1`` (dev group: delta) with its uv.lock."""
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo-server"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
        'dependencies = ["alpha>=1"]\n\n[dependency-groups]\ndev = ["delta"]\n'
    )
    registry = 'source = { registry = "https://pypi.org/simple" }\n'
    deps = {
        "alpha": 'dependencies = [{ name = "beta" }]\n',
        "beta": 'dependencies = [{ name = "gamma", marker = "sys_platform == \'win32\'" }]\n',
    }
    text = 'version = 1\nrevision = 2\nrequires-python = ">=3.11"\n'
    for name, version, _, _ in WHEELS:
        text += f'\n[[package]]\nname = "{name}"\nversion = "{version}"\n{registry}'
        text += deps.get(name, "") + _wheel_entry(name, version, sha[name])
    text += (
        '\n[[package]]\nname = "demo-server"\nversion = "0.1.0"\nsource = { editable = "." }\n'
        'dependencies = [{ name = "alpha" }]\n\n[package.dev-dependencies]\n'
        'dev = [{ name = "delta" }]\n'
    )
    (root / "uv.lock").write_text(text)
    return root
