"""The action's inputs, event and workflow commands (no subprocess)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import yaml

from mtf_action.action.event import Event, EventPayload, decide_mode, load_event
from mtf_action.action.inputs import ActionInputs, env_name, input_names, read_inputs
from mtf_action.action.outputs import Workflow, command, escape_data, escape_property, mask_lines
from mtf_action.errors import InvalidInputError, UsageError

REPO_ROOT = Path(__file__).resolve().parents[2]


def _action() -> dict[str, object]:
    data = yaml.safe_load((REPO_ROOT / "action.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_env_name_keeps_hyphens() -> None:
    assert env_name("output-dir") == "INPUT_OUTPUT-DIR"
    assert env_name("github-token") == "INPUT_GITHUB-TOKEN"


def test_action_yml_declares_exactly_the_model_inputs_with_the_same_defaults() -> None:
    declared = _action()["inputs"]
    assert isinstance(declared, dict)
    assert sorted(declared) == sorted(input_names())
    defaults = ActionInputs().model_dump(by_alias=True)
    for name, spec in declared.items():
        model_default = defaults[name]
        if isinstance(model_default, bool):
            model_default = str(model_default).lower()
        assert spec["default"] == ("" if model_default is None else str(model_default)), name


def test_action_yml_is_a_docker_action_pinned_by_digest_with_the_documented_outputs() -> None:
    action = _action()
    runs = action["runs"]
    assert isinstance(runs, dict) and runs["using"] == "docker"
    assert re.fullmatch(r"docker://ghcr\.io/mtf/attest@sha256:[0-9a-f]{64}", runs["image"])
    outputs = action["outputs"]
    assert isinstance(outputs, dict)
    for name in ("bundle-path", "bundle-sha256", "bundle-size", "level", "claim-path",
                 "provenance-path", "sbom-path", "sarif-path", "uploaded"):  # fmt: skip
        assert name in outputs


def test_inputs_as_the_runner_passes_them() -> None:
    env = {
        env_name(n): v for n, v in ActionInputs().model_dump(by_alias=True).items() if v is not None
    }
    env = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in env.items()}
    env |= {"INPUT_OUTPUT-DIR": "out", "INPUT_UPLOAD": "False", "INPUT_MIN-LEVEL": "2",
            "INPUT_SIGN": "none", "INPUT_MIN-LEVEL ": "ignored"}  # fmt: skip
    inputs = read_inputs(env)
    assert inputs.output_dir == "out"
    assert inputs.upload is False
    assert inputs.min_level == 2
    assert inputs.sign == "none"
    assert read_inputs({}).min_level is None
    assert read_inputs({"INPUT_MODE": ""}).mode == "auto"  # empty means "not given"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("INPUT_UPLOAD", "yes", "input upload: must be true or false"),
        ("INPUT_SIGN", "gpg", "input sign:"),
        ("INPUT_MIN-LEVEL", "5", "input min-level:"),
        ("INPUT_REPOSITORY", "justone", "input repository: must be OWNER/REPO"),
    ],
)
def test_bad_inputs_are_usage_errors_naming_the_input(name: str, value: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        read_inputs({name: value})


@pytest.mark.parametrize("sign", ["key", "none"])
def test_github_attestations_need_keyless_signing(sign: str) -> None:
    env = {"INPUT_GITHUB-ATTESTATIONS": "true", "INPUT_SIGN": sign}
    with pytest.raises(UsageError) as raised:
        read_inputs(env)
    assert str(raised.value) == f"github-attestations needs sign: sigstore (not {sign})"
    assert read_inputs({**env, "INPUT_SIGN": "sigstore"}).github_attestations is True


def test_secret_values_are_not_shown_in_repr_or_errors() -> None:
    inputs = read_inputs({"INPUT_GITHUB-TOKEN": "ghs_secretvalue", "INPUT_SIGNING-KEY": "PEM"})
    assert "ghs_secretvalue" not in repr(inputs)


def test_escaping_of_workflow_commands() -> None:
    assert escape_data("50% a\r\nb") == "50%25 a%0D%0Ab"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = command("error", "bad: x,\ny", {"file": "src/a,b.py", "line": 3, "title": None})
    assert line == "::error file=src/a%2Cb.py,line=3::bad: x,%0Ay"


def test_masks_cover_every_line_of_a_pem() -> None:
    pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA\n-----END PRIVATE KEY-----\n"
    lines = mask_lines(pem)
    assert "::add-mask::MC4CAQAwBQYDK2VwBCIEIA" in lines
    assert mask_lines("tok") == ["::add-mask::tok"]


def test_outputs_use_a_random_heredoc_delimiter(tmp_path: Path) -> None:
    out = tmp_path / "output"
    wf = Workflow({"GITHUB_OUTPUT": str(out)}, io.StringIO())
    wf.set_output("level", "2")
    wf.set_output("multi", "a\nlevel<<EOF\nb")
    text = out.read_text()
    blocks = re.findall(
        r"^([\w-]+)<<(ghadelimiter_[0-9a-f]{32})\n(.*?)\n\2$", text, re.DOTALL | re.MULTILINE
    )
    assert [(n, v) for n, _, v in blocks] == [("level", "2"), ("multi", "a\nlevel<<EOF\nb")]
    assert blocks[0][1] != blocks[1][1]


def _event(tmp_path: Path, name: str, payload: dict[str, object]) -> Event:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    return load_event({"GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": str(path)})


def test_auto_mode_from_events(tmp_path: Path) -> None:
    release = _event(tmp_path, "release", {"action": "published", "release": {"tag_name": "v1"}})
    assert decide_mode("auto", release) == "release" and release.tag == "v1"
    push = _event(tmp_path, "push", {"ref": "refs/tags/v2.0.0"})
    assert decide_mode("auto", push) == "release" and push.tag == "v2.0.0"
    pr = {"number": 7, "pull_request": {"number": 7, "head": {"ref": "f", "sha": "a"},
                                         "base": {"ref": "main", "sha": "b"}}}  # fmt: skip
    assert decide_mode("auto", _event(tmp_path, "pull_request", pr)) == "pull-request"
    with pytest.raises(UsageError, match="mode auto cannot tell"):
        decide_mode("auto", _event(tmp_path, "push", {"ref": "refs/heads/main"}))
    with pytest.raises(UsageError, match="pull_request_target"):
        decide_mode("auto", _event(tmp_path, "pull_request_target", pr))
    with pytest.raises(UsageError, match="needs a pull_request event"):
        decide_mode("pull-request", Event("push", EventPayload()))


def test_unreadable_event_payload_is_invalid_input(tmp_path: Path) -> None:
    bad = tmp_path / "event.json"
    bad.write_text("{not json")
    with pytest.raises(InvalidInputError, match=r"event\.json: the event payload is not JSON"):
        load_event({"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(bad)})
