# expect: none
# One variable from the environment as an API credential: what every MCP server does.
import os
import subprocess

import httpx

API = "https://api.example.com/v1"


def search(q: str) -> dict:
    headers = {"Authorization": f"Bearer {os.environ['ACME_TOKEN']}"}
    key = os.environ.get("ACME_KEY", "")
    r = httpx.post(API + "/search", json={"q": q, "key": key}, headers=headers)
    return r.json()


def git_status() -> str:
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"
    return subprocess.run(["git", "status"], env=env, capture_output=True, text=True).stdout


def has_proxy() -> bool:
    return "HTTPS_PROXY" in os.environ
