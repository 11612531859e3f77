# expect: hidden-exec
import sys

runner = getattr(__builtins__, "ex" + "ec")
runner(sys.argv[1])
