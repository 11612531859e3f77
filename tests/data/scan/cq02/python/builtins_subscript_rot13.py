# expect: hidden-exec
import codecs

fn = __builtins__[codecs.decode("rkrp", "rot13")]
fn(open("stage2.txt").read())
