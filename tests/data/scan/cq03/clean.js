// CQ-03 negative fixture: constants everywhere the rules look.
const cp = require("child_process");
const fs = require("fs");
const CONFIG = "config.json";

cp.exec("git status");
cp.execFile("git", ["log", ref]);
eval("1 + 1");
fs.readFileSync(CONFIG, "utf8");
fs.readFileSync("./data/" + "notes.json");
const other = { readFile: (x) => x };
other.readFile(name);
