"""An append-only RFC 6962 Merkle tree, as Rekor v1 (Trillian) keeps its log.

RFC 6962 section 2.1: a leaf hash is SHA-256(0x00 || leaf), an interior node is
SHA-256(0x01 || left || right), and a tree of n > 1 leaves splits at k, the largest power of
two below n: MTH(D[0:n]) = node(MTH(D[0:k]), MTH(D[k:n])). The audit path PATH(m, D[0:n]) lists
the sibling hashes from the leaf up to the root, which is the order sigstore-python's
`_internal/merkle.py` walks (inner part first, then the right border).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split_point(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _root(hashes: list[bytes]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()  # MTH({}) is the hash of the empty string
    if len(hashes) == 1:
        return hashes[0]
    k = _split_point(len(hashes))
    return node_hash(_root(hashes[:k]), _root(hashes[k:]))


def _path(index: int, hashes: list[bytes]) -> list[bytes]:
    if len(hashes) <= 1:
        return []
    k = _split_point(len(hashes))
    if index < k:
        return [*_path(index, hashes[:k]), _root(hashes[k:])]
    return [*_path(index - k, hashes[k:]), _root(hashes[:k])]


@dataclass(frozen=True)
class InclusionProof:
    """An entry's audit path against the tree of ``tree_size`` leaves whose root is ``root``."""

    index: int
    tree_size: int
    root: bytes
    hashes: list[bytes]


class MerkleTree:
    """Leaf hashes only (the leaves themselves live with the log); thread-safe appends."""

    def __init__(self) -> None:
        self._leaves: list[bytes] = []
        self._lock = threading.Lock()

    def append(self, leaf: bytes) -> int:
        """Add a leaf and return its index."""
        with self._lock:
            self._leaves.append(leaf_hash(leaf))
            return len(self._leaves) - 1

    @property
    def size(self) -> int:
        with self._lock:
            return len(self._leaves)

    def root(self, tree_size: int | None = None) -> bytes:
        with self._lock:
            leaves = self._leaves[: self._size_or_all(tree_size)]
        return _root(leaves)

    def inclusion_proof(self, index: int, tree_size: int | None = None) -> InclusionProof:
        """PATH(index, D[0:tree_size]) with the root it leads to (default: the whole tree)."""
        with self._lock:
            leaves = self._leaves[: self._size_or_all(tree_size)]
        if not 0 <= index < len(leaves):
            raise IndexError(f"leaf {index} is not in a tree of size {len(leaves)}")
        return InclusionProof(index, len(leaves), _root(leaves), _path(index, leaves))

    def _size_or_all(self, tree_size: int | None) -> int:
        if tree_size is None:
            return len(self._leaves)
        if not 0 <= tree_size <= len(self._leaves):
            raise IndexError(f"tree size {tree_size} exceeds the log ({len(self._leaves)})")
        return tree_size
