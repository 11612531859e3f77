"""A Rekor v1 transparency log: REST API, Merkle tree, signed entry timestamps, checkpoints.

Endpoints (Rekor's OpenAPI `rekor.yaml`): ``POST /api/v1/log/entries`` (201, or 409 for an
entry already in the log), ``GET /api/v1/log/entries/{uuid}``,
``GET /api/v1/log/entries?logIndex=N``, ``POST /api/v1/log/entries/retrieve``,
``GET /api/v1/log`` and ``GET /api/v1/log/publicKey``. An entry answer is keyed by its UUID
(tree id as 16 hex digits + the hex leaf hash) and holds ``body`` (base64 canonical entry),
``integratedTime``, ``logID`` (hex SHA-256 of the log key's SPKI), ``logIndex`` and
``verification = {signedEntryTimestamp, inclusionProof{checkpoint, hashes, logIndex,
rootHash, treeSize}}`` with hex hashes.

Signed entry timestamp: ECDSA-SHA256 by the log key over the RFC 8785 JSON of
``{"body", "integratedTime", "logID", "logIndex"}``.

Checkpoint (a signed note, transparency-dev/formats `log/README.md`):

    <origin>\\n<tree size>\\n<base64 root hash>\\n
    \\n
    \\u2014 <name> <base64(key hint (first 4 bytes of the log id) || DER signature)>\\n

where origin is ``<hostname> - <tree id>``, the signature covers the note text up to and
including its last newline, and name is the hostname.
"""

from __future__ import annotations

import base64
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import rfc8785
from cryptography.hazmat.primitives.asymmetric import ec

from .keys import key_id, public_pem, sign
from .merkle import MerkleTree, leaf_hash
from .rekor_entries import canonical_body
from .server import HttpError, Request, Response

_ENTRY_PATH = re.compile(r"^/api/v1/log/entries/([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$")


@dataclass(frozen=True)
class LogEntry:
    body: bytes  # the canonical entry: the Merkle leaf
    integrated_time: int
    log_index: int


class RekorLog:
    def __init__(self, key: ec.EllipticCurvePrivateKey, hostname: str, tree_id: int) -> None:
        self.key = key
        self.hostname = hostname
        self.tree_id = tree_id
        self.log_id = key_id(key.public_key())
        self._tree = MerkleTree()
        self._entries: list[LogEntry] = []
        self._by_leaf: dict[bytes, int] = {}
        self._lock = threading.Lock()  # append + proof must see the same tree

    # -- HTTP ---------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        method, path = request.method, request.path.rstrip("/")
        if (method, path) == ("POST", "/api/v1/log/entries"):
            return self._create(request.json())
        if (method, path) == ("GET", "/api/v1/log/entries"):
            return self._get_by_index(request.query.get("logIndex", [""])[0])
        if (method, path) == ("POST", "/api/v1/log/entries/retrieve"):
            return self._retrieve(request.json())
        if (method, path) == ("GET", "/api/v1/log"):
            return Response.json(200, self._log_info())
        if (method, path) == ("GET", "/api/v1/log/publicKey"):
            return Response(200, public_pem(self.key.public_key()), "application/x-pem-file")
        if method == "GET" and (match := _ENTRY_PATH.match(path)):
            index = self._by_leaf.get(bytes.fromhex(match.group(1)[-64:]))
            if index is None:
                raise HttpError(404, "entry not found")
            return Response.json(200, self._answer(index))
        raise HttpError(404, f"no such endpoint: {request.method} {request.path}")

    def _create(self, proposed: Any) -> Response:
        body = canonical_body(proposed)
        with self._lock:
            existing = self._by_leaf.get(leaf_hash(body))
            if existing is not None:
                uuid = self._uuid(self._entries[existing])
                return Response.json(
                    409,
                    {
                        "code": 409,
                        "message": f"an equivalent entry already exists in the "
                        f"transparency log with UUID {uuid}",
                    },
                    headers={"Location": f"/api/v1/log/entries/{uuid}"},
                )
            index = self._tree.append(body)
            entry = LogEntry(body, int(time.time()), index)
            self._entries.append(entry)
            self._by_leaf[leaf_hash(body)] = index
            answer = self._answer(index)
        uuid = next(iter(answer))
        return Response.json(
            201, answer, headers={"Location": f"/api/v1/log/entries/{uuid}", "ETag": uuid}
        )

    def _get_by_index(self, raw: str) -> Response:
        if not raw.isdigit() or int(raw) >= len(self._entries):
            raise HttpError(404, "entry not found")
        return Response.json(200, self._answer(int(raw)))

    def _retrieve(self, query: Any) -> Response:
        """Search by ``entryUUIDs``, ``logIndexes`` or proposed ``entries``: a list of answers."""
        if not isinstance(query, dict):
            raise HttpError(400, "the search must be a JSON object")
        leaves = [bytes.fromhex(str(uuid)[-64:]) for uuid in query.get("entryUUIDs", [])]
        leaves += [leaf_hash(canonical_body(p)) for p in query.get("entries", [])]
        indexes = [self._by_leaf.get(leaf, -1) for leaf in leaves]
        indexes += [int(i) for i in query.get("logIndexes", [])]
        found = [self._answer(i) for i in indexes if 0 <= i < len(self._entries)]
        return Response.json(200, found)

    # -- the answer for one entry ---------------------------------------------------------
    def _uuid(self, entry: LogEntry) -> str:
        return f"{self.tree_id:016x}{leaf_hash(entry.body).hex()}"

    def _answer(self, index: int) -> dict[str, Any]:
        entry = self._entries[index]
        proof = self._tree.inclusion_proof(index)
        body_b64 = base64.b64encode(entry.body).decode()
        set_payload: dict[str, str | int] = {
            "body": body_b64,
            "integratedTime": entry.integrated_time,
            "logID": self.log_id.hex(),
            "logIndex": entry.log_index,
        }
        set_signature = sign(self.key, rfc8785.dumps(set_payload))
        return {
            self._uuid(entry): {
                **set_payload,
                "verification": {
                    "signedEntryTimestamp": base64.b64encode(set_signature).decode(),
                    "inclusionProof": {
                        "checkpoint": self.checkpoint(proof.tree_size, proof.root),
                        "hashes": [h.hex() for h in proof.hashes],
                        "logIndex": proof.index,
                        "rootHash": proof.root.hex(),
                        "treeSize": proof.tree_size,
                    },
                },
            }
        }

    def checkpoint(self, tree_size: int, root: bytes) -> str:
        """The signed note for a tree head (format in the module docstring)."""
        note = f"{self.hostname} - {self.tree_id}\n{tree_size}\n{base64.b64encode(root).decode()}\n"
        signature = sign(self.key, note.encode())
        stamp = base64.b64encode(self.log_id[:4] + signature).decode()
        return f"{note}\n\u2014 {self.hostname} {stamp}\n"

    def _log_info(self) -> dict[str, Any]:
        size = self._tree.size
        root = self._tree.root(size)
        return {
            "rootHash": root.hex(),
            "treeSize": size,
            "signedTreeHead": self.checkpoint(size, root),
            "treeID": str(self.tree_id),
            "inactiveShards": [],
        }


def error_body(status: int, message: str) -> object:
    return {"code": status, "message": message}
