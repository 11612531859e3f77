# expect: obfuscated-exec
from base64 import b64decode as d
from marshal import loads as ld

payload = ld(d("4wAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="))
exec(payload)
