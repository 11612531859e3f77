"""The permissions a manifest declares and what each covers (MTF 4.3.2, CD-02).

The spec lists the values, not their meaning; this module fixes it:

- ``filesystem``: ``read`` covers reading and listing, ``write`` adds creating,
  changing and deleting, ``full`` adds credential stores (``~/.ssh``, ``~/.aws``,
  ``~/.config``, keychains...): a user who consents to "read files" has not
  consented to having their SSH keys read, so only ``full`` declares that.
- ``network``: ``outbound`` (connections, requests, DNS) and ``inbound`` (listening
  on a port) are separate; ``full`` is both.
- ``environment``: ``write`` includes ``read``. Secret-like variables are covered
  by ``read`` (declaring which credentials a server needs is CD-04's business).
- ``subprocess``: ``restricted`` covers fixed programs started without a shell;
  a shell, a program chosen at run time or an interpreter fed inline code
  (``python -c``) needs ``full``.
- ``native``: ``required``.

A missing category means ``none`` (the MTF extension schema's default).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mtf_action.scan.capabilities.model import (
    FULL,
    INBOUND,
    OUTBOUND,
    READ,
    REQUIRED,
    RESTRICTED,
    WRITE,
    Category,
    Use,
)

VALUES: dict[Category, tuple[str, ...]] = {
    Category.FILESYSTEM: ("none", READ, WRITE, FULL),
    Category.NETWORK: ("none", OUTBOUND, INBOUND, FULL),
    Category.ENVIRONMENT: ("none", READ, WRITE),
    Category.SUBPROCESS: ("none", RESTRICTED, FULL),
    Category.NATIVE: ("none", REQUIRED),
}


@dataclass(frozen=True)
class Declared:
    values: dict[Category, str]
    present: bool  # the manifest has a permissions object
    invalid: dict[str, object] = field(default_factory=dict)  # category -> unusable value


def declared_permissions(extension: dict[str, Any]) -> Declared:
    """The declaration in ``_meta["org.mpaktrust"]``; unknown values count as ``none``."""
    raw = extension.get("permissions")
    block = raw if isinstance(raw, dict) else {}
    values: dict[Category, str] = {}
    invalid: dict[str, object] = {}
    for category, allowed in VALUES.items():
        value = block.get(category.value, "none")
        if value in allowed:
            values[category] = str(value)
        else:
            values[category] = "none"
            invalid[category.value] = value
    return Declared(values, isinstance(raw, dict), invalid)


def needed(use: Use) -> str:
    """The weakest declaration of the use's category that covers it."""
    if use.category is Category.FILESYSTEM and use.sensitive:
        return FULL
    return use.access


def covers(declared: str, use: Use) -> bool:
    want = needed(use)
    if declared in (want, FULL):
        return True
    # write includes read (filesystem, environment); nothing else is implied
    return want == READ and declared == WRITE


def minimal_declaration(category: Category, uses: Iterable[Use]) -> str:
    """The weakest value of ``category`` covering every use (for remediation text)."""
    wanted = {needed(u) for u in uses if u.category is category}
    if not wanted:
        return "none"
    if category is Category.NETWORK and {OUTBOUND, INBOUND} <= wanted:
        return FULL
    order = VALUES[category]
    return max(wanted, key=lambda v: order.index(v) if v in order else len(order))
