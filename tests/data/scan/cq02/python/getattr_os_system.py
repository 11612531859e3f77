# expect: hidden-exec
import os


def go(cmd):
    getattr(os, "sys" + "tem")(cmd)
