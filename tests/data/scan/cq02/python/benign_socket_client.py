# expect: none
# A socket client and a subprocess in one module, not wired together.
import socket
import subprocess


def ping(host: str) -> bool:
    with socket.create_connection((host, 80), timeout=2) as s:
        s.sendall(b"HEAD / HTTP/1.0\r\n\r\n")
        return bool(s.recv(16))


def version() -> str:
    return subprocess.check_output(["python", "--version"], text=True)
