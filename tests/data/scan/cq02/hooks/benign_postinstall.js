// A typical prebuilt-binary fetcher (esbuild / sharp style): downloads over HTTPS, runs nothing.
const https = require("https");
const fs = require("fs");

https.get("https://registry.npmjs.org/@acme/native-linux-x64/-/native-1.0.0.tgz", (res) => {
  res.pipe(fs.createWriteStream("native.tgz"));
});
