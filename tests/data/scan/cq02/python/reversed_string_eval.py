# expect: obfuscated-exec
src = ")'dekcah'(tnirp"
eval(src[::-1])
