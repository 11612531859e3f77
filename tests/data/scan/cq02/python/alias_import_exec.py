# expect: obfuscated-exec
import base64 as b
import zlib as z

blob = "eJwrKMrMK9FQz0jNyclXKM8vyklRBwA6uQYq"
code = z.decompress(b.b64decode(blob)).decode()
eval(compile(code, "<x>", "exec"))
