# expect: hidden-exec
def run(src):
    __import__("builtins").exec(src)
