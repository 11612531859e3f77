"""What makes a path sensitive, a variable secret and a program a shell (MTF CD-02).

Paths and names are matched on a *rendering* of the expression that builds
them: constant pieces as written, the user's home directory as ``~``
(``Path.home()``, ``os.homedir()``, ``$HOME``) and anything unknown as ``*``.
So ``os.path.join(os.path.expanduser("~"), ".ss" + "h", name)`` renders as
``~/.ssh/*`` and ``os.getenv(f"{vendor}_TOKEN")`` as ``*_TOKEN``: a computed
spelling does not hide the sensitive part when a constant piece carries it.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

UNKNOWN = "*"
HOME = "~"

# MTF CD-02 names ~/.ssh, ~/.aws and ~/.config; the rest are the other credential
# stores an MCP server has no business reading without saying so: cloud and
# registry credentials, key rings and keychains, browser profiles, shell
# history, wallets, and the MCP client configurations that hold other servers' tokens.
_ANYWHERE = (
    r"\.ssh|\.aws|\.azure|\.gnupg|\.kube|\.docker|\.password-store|\.local/share/keyrings"
    r"|id_rsa|id_dsa|id_ecdsa|id_ed25519|authorized_keys|\.netrc|_netrc|\.npmrc|\.pypirc"
    r"|\.git-credentials|\.bash_history|\.zsh_history|wallet\.dat|\.electrum|\.ethereum"
    r"|keychains?|[^/]*\.keychain(?:-db)?|login data|\.mozilla|google/chrome|chromium"
    r"|bravesoftware|microsoft/edge"
    r"|claude_desktop_config\.json|\.cursor|microsoft/credentials|microsoft/protect"
)
_SENSITIVE = re.compile(
    rf"(?i)(?:^|/)(?:{_ANYWHERE})(?:/|$)"
    r"|^(?:~|/home/[^/]+|/users/[^/]+|/root)/(?:\.config|library/application support)(?:/|$)"
    r"|^/etc/(?:passwd|shadow|sudoers|gshadow)$|^/etc/ssh(?:/|$)"
)
_SECRET_NAME = re.compile(
    r"^AWS_|^AZURE_CLIENT_SECRET|^GOOGLE_APPLICATION_CREDENTIALS$"
    r"|(?:^|_)(?:TOKEN|KEY|SECRET|APIKEY|PAT)$|(?:^|_)SECRET_|PASSWORD|PASSWD|PASSPHRASE"
    r"|CREDENTIAL|PRIVATE_KEY|(?:^|_)API_?KEY"
)
SHELLS = frozenset(
    {"sh", "bash", "zsh", "dash", "ksh", "csh", "tcsh", "fish", "ash", "busybox"}
    | {"cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh", "pwsh.exe"}
)


def normalise_path(rendered: str) -> str:
    """Backslashes to slashes, ``$HOME``-style spellings to ``~``, no ``./`` or doubled ``/``."""
    text = rendered.replace("\\", "/")
    for home in ("$HOME", "${HOME}", "%USERPROFILE%", "%HOMEPATH%", "$env:USERPROFILE"):
        text = text.replace(home, HOME)
    text = re.sub(r"/{2,}", "/", text)
    return text.replace("/./", "/")


def is_sensitive_path(rendered: str | None) -> bool:
    """A rendered path that points into a credential store (see module docstring)."""
    if not rendered:
        return False
    return _SENSITIVE.search(normalise_path(rendered)) is not None


def is_secret_name(name: str | None) -> bool:
    """An environment variable name that looks like it holds a secret (``AWS_*``, ``*_TOKEN``)."""
    if not name or name.strip(UNKNOWN) == "":
        return False
    return _SECRET_NAME.search(name.upper()) is not None


def program_name(command: str) -> str:
    """``/usr/bin/bash`` -> ``bash``; ``C:\\Windows\\cmd.exe`` -> ``cmd.exe`` (lower case)."""
    return PurePosixPath(command.replace("\\", "/")).name.lower()


def is_shell(command: str | None) -> bool:
    return command is not None and program_name(command) in SHELLS
