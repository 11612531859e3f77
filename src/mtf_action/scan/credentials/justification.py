"""What counts as a justification (MTF CD-04 and CD-05 "without justification").

The extension schema requires a ``justification`` string on every credential,
so "without justification" has to mean more than "the key is absent":

- CD-04 (scopes): the text is missing, blank, a placeholder (``TODO``, ``n/a``,
  ``required``...) or fewer than two words. Nothing checks that it is *true*; a
  reviewer reads it.
- CD-05 (token handling): the only justification field is the credential's, and
  the schema describes it as "why these scopes are needed". A scope reason does
  not justify keeping tokens on disk for a month, so CD-05 accepts it only when
  it also speaks about tokens (token, credential, refresh, session, login...) and
  about their handling (stored, persisted, disk, file, keychain, offline, expiry,
  hours or days, restarts, background...).
"""

from __future__ import annotations

import re

PLACEHOLDERS = frozenset(
    {
        "",
        "-",
        "--",
        "...",
        "?",
        "todo",
        "tbd",
        "tbc",
        "fixme",
        "xxx",
        "n/a",
        "na",
        "none",
        "null",
        "nil",
        "required",
        "needed",
        "necessary",
        "placeholder",
        "justification",
        "see readme",
        "test",
    }
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_TOKEN_NOUN = re.compile(
    r"\b(?:tokens?|credentials?|creds|refresh|sessions?|logins?|sign[- ]?ins?|grants?|auth\w*)\b",
    re.IGNORECASE,
)
_HANDLING = re.compile(
    r"\b(?:stor\w*|persist\w*|disk|files?|cach\w*|keychain|keyring|offline|lifetime|expir\w*|"
    r"long[- ]lived|hours?|days?|weeks?|months?|years?|restart\w*|reboot\w*|background|"
    r"rotat\w*|revo\w*|indefinite\w*|never|ttl|re-?auth\w*|re-?login|unattended|scheduled)\b",
    re.IGNORECASE,
)


def is_justified(text: str | None) -> bool:
    """A real justification: not blank, not a placeholder, at least two words."""
    if text is None:
        return False
    folded = " ".join(text.split()).casefold().strip(" .!:")
    if folded in PLACEHOLDERS:
        return False
    return len(_WORD.findall(folded)) >= 2


def justifies_token_handling(text: str | None) -> bool:
    """A justification that explains how tokens are kept (see the module docstring)."""
    return (
        is_justified(text)
        and text is not None
        and bool(_TOKEN_NOUN.search(text))
        and bool(_HANDLING.search(text))
    )
