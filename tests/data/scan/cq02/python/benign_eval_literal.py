# expect: none
import ast
import importlib

print(eval("1 + 1"))
value = ast.literal_eval("[1, 2, 3]")
json_mod = importlib.import_module("json")
code = compile("x = 1", "<config>", "exec")
exec(code)
