// expect: obfuscated-exec
const vm = require("vm");
const zlib = require("zlib");
const blob = "eJwrKMrMK9FQz0jNyclXKM8vyklRBwA6uQYq";
vm.runInThisContext(zlib.inflateSync(Buffer.from(blob, "base64")).toString());
