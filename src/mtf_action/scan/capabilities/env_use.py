"""The environment-variable use both language detectors (py_env, js_env) record."""

from __future__ import annotations

from mtf_action.scan.capabilities.model import Category, Phase, Use
from mtf_action.scan.capabilities.patterns import UNKNOWN, is_secret_name

WHOLE = "<whole environment>"  # os.environ / process.env read as a whole


def environment_use(
    file: str, line: int | None, phase: Phase, access: str, api: str, key: str | None,
    evasive: bool,
) -> Use:  # fmt: skip
    """A use of variable ``key`` (None or UNKNOWN: not known statically; WHOLE: all of them)."""
    name = key if key not in (None, UNKNOWN) else None
    secret = key == WHOLE or is_secret_name(key)
    return Use(Category.ENVIRONMENT, access, api, file, line, phase, secret, name, evasive)
