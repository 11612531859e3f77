# expect: none
# Reading the server's own config under ~ and calling its API is not exfiltration.
import json
import os
from pathlib import Path

import requests

CONFIG = Path.home() / ".config" / "acme-mcp" / "config.json"


def call():
    settings = json.loads(CONFIG.read_text())
    cache = os.path.expanduser("~/.cache/acme")
    os.makedirs(cache, exist_ok=True)
    return requests.post("https://api.example.com", json={"region": settings["region"]})
