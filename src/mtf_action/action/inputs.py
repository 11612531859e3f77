"""The action's inputs, read the way GitHub hands them to a Docker container action.

The runner sets ``INPUT_<NAME>`` for every input declared in ``action.yml``:
the input's name upper-cased with spaces turned into ``_`` and **hyphens kept**
(``output-dir`` -> ``INPUT_OUTPUT-DIR``), the default from ``action.yml`` when
the workflow gave none. Booleans follow the YAML 1.2 core schema that
``@actions/core``'s ``getBooleanInput`` accepts. The defaults below must equal
``action.yml``'s (a test compares them), so a missing variable (a local run)
behaves like the runner's defaulting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mtf_action.errors import UsageError

Mode = Literal["auto", "release", "pull-request", "verify"]
SignMode = Literal["sigstore", "key", "none"]

_TRUE = ("true", "True", "TRUE")
_FALSE = ("false", "False", "FALSE")


def env_name(input_name: str) -> str:
    """``output-dir`` -> ``INPUT_OUTPUT-DIR`` (what the runner sets)."""
    return "INPUT_" + input_name.replace(" ", "_").upper()


class ActionInputs(BaseModel):
    """Every input of ``action.yml``; field aliases are the input names."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    mode: Mode = "auto"
    directory: str = "."
    output_dir: str = Field("dist", alias="output-dir")
    sign: SignMode = "sigstore"
    signing_key: str = Field("", alias="signing-key", repr=False)
    min_level: int | None = Field(None, alias="min-level", ge=1, le=4)
    upload: bool = True
    overwrite: bool = False
    comment: bool = True
    sarif_file: str = Field("mtf-attest.sarif", alias="sarif-file")
    github_token: str = Field("", alias="github-token", repr=False)
    previous_release: str = Field("auto", alias="previous-release")
    vendor: bool = True
    platform_os: str = Field("", alias="platform-os")
    platform_arch: str = Field("", alias="platform-arch")
    output: str = "{name}-{version}.mcpb"
    # Prebuilt .mcpb files (newline-separated paths or globs in the workspace) to
    # attest instead of building `directory`: the multi-platform flow.
    bundles: str = ""
    github_attestations: bool = Field(False, alias="github-attestations")
    announce: bool = False
    announce_url: str = Field("https://registry.mpak.dev/v1/bundles/announce", alias="announce-url")
    announce_required: bool = Field(False, alias="announce-required")
    repository: str = ""
    tag: str = ""
    key: str = ""
    workflow: str = ""
    # A private Sigstore instance (and the tests' local one): release signs with its
    # Fulcio/Rekor, verify trusts its trusted root. Empty: Sigstore production.
    trust_config: str = Field("", alias="trust-config")
    # SC-02 without the OSV API (air-gapped or GHES runners, reproducible CI): offline
    # OSV databases and OpenVEX files, newline-separated paths in the workspace.
    vuln_db: str = Field("", alias="vuln-db")
    vex: str = ""
    # Verify mode: rescan the downloaded bundle (its level caps the claim's).
    rescan: bool = False

    @field_validator("min_level", mode="before")
    @classmethod
    def _empty_level(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator(
        "upload",
        "overwrite",
        "comment",
        "vendor",
        "github_attestations",
        "announce",
        "announce_required",
        "rescan",
        mode="before",
    )
    @classmethod
    def _boolean(cls, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ValueError(f"must be true or false, not {value!r}")

    @field_validator("repository")
    @classmethod
    def _owner_repo(cls, value: str) -> str:
        if value and (value.count("/") != 1 or not all(value.split("/"))):
            raise ValueError(f"must be OWNER/REPO, not {value!r}")
        return value

    @model_validator(mode="after")
    def _attestations_need_sigstore(self) -> ActionInputs:
        # GitHub stores (and `gh attestation verify` checks) Fulcio-certified
        # bundles only: a key-signed or unsigned release has nothing it accepts.
        if self.github_attestations and self.sign != "sigstore":
            raise ValueError(f"github-attestations needs sign: sigstore (not {self.sign})")
        return self


def input_names() -> list[str]:
    """The input names, as in ``action.yml``."""
    return [f.alias or name for name, f in ActionInputs.model_fields.items()]


def secret_inputs() -> tuple[str, ...]:
    """Inputs whose values are masked before anything is printed."""
    return ("github-token", "signing-key")


def read_inputs(env: Mapping[str, str]) -> ActionInputs:
    """Parse ``INPUT_*``; a bad value is a usage error naming the input (exit 2)."""
    raw: dict[str, str] = {}
    for name in input_names():
        value = env.get(env_name(name))
        if value is not None:
            # The runner passes values verbatim; surrounding blanks are never meant.
            raw[name] = value if name == "signing-key" else value.strip()
    # An empty value means "not given" for inputs with a non-empty default.
    fields = {f.alias or n: f for n, f in ActionInputs.model_fields.items()}
    given = {k: v for k, v in raw.items() if v != "" or fields[k].default in ("", None)}
    try:
        return ActionInputs.model_validate(given)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])  # empty: inputs that contradict
        message = str(first["msg"]).removeprefix("Value error, ")
        raise UsageError(f"input {where}: {message}" if where else message) from None
