// CQ-03 positive fixture (eslint-plugin-security equivalents).
const cp = require("node:child_process");
const { readFile } = require("fs");
import { promises as fsp, writeFileSync } from "node:fs";
import fse from "fs-extra";

cp.exec(`git log ${ref}`); // expect: detect-child-process
cp.execSync("ls " + dir); // expect: detect-child-process
eval(code); // expect: detect-eval-with-expression
readFile(name, "utf8", cb); // expect: detect-non-literal-fs-filename
fsp.readFile(path.join(base, name)); // expect: detect-non-literal-fs-filename
writeFileSync(target, data); // expect: detect-non-literal-fs-filename
fse.copyFile("a.txt", dest); // expect: detect-non-literal-fs-filename
