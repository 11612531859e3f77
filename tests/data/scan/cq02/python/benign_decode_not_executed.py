# expect: none
# Decoding is not executing: images, tokens and payloads are decoded all the time.
import base64
import zlib


def thumbnail(data: str) -> bytes:
    raw = base64.b64decode(data)
    return zlib.decompress(raw)


def parse_token(tok: str) -> dict:
    import json

    return json.loads(base64.urlsafe_b64decode(tok + "=="))
