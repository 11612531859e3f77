// CQ-05 positive fixture (JavaScript): every line marked `expect:` must produce that rule.
import cpDefault, { exec as run, execSync } from "node:child_process";
import * as cpNs from "child_process";
const cp = require("child_process");
const { exec: destructured } = require("child_" + "process");
const viaMember = require(`child_process`).exec;
const { createRequire } = require("node:module");
const req = createRequire(import.meta.url);
const sneaky = req("child_process");
const mod = "child_process";
const dynamic = await import(mod);

cp.exec(command); // expect: child-process-exec
cp.execSync("ls"); // expect: child-process-exec
run(command); // expect: child-process-exec
execSync(command); // expect: child-process-exec
cpDefault.exec(command); // expect: child-process-exec
cpNs.exec(command); // expect: child-process-exec
destructured(command); // expect: child-process-exec
viaMember(command); // expect: child-process-exec
sneaky.exec(command); // expect: child-process-exec
dynamic.exec(command); // expect: child-process-exec
cp["ex" + "ec"](command); // expect: child-process-exec
cp.spawn("sh", ["-c", command], { shell: true }); // expect: child-process-exec
eval(code); // expect: eval
globalThis.eval(code); // expect: eval
(0, eval)(code); // expect: eval
window["eval"](code); // expect: eval
new Function("a", body); // expect: function-constructor
Function(body)(); // expect: function-constructor
setTimeout("tick()", 10); // expect: timer-string
setInterval("tick" + "()", 10); // expect: timer-string
db.query(`SELECT * FROM notes WHERE id = ${id}`); // expect: sql-template
const lowered = `select * from notes where tag = '${tag}'`; // expect: sql-template
db.execute(lowered);
pool.query("DELETE FROM notes WHERE id = " + id); // expect: sql-template
const report = `UPDATE notes SET title = '${title}'`; // expect: sql-template
element.innerHTML = `<b>${title}</b>`; // expect: inner-html
element.outerHTML += markup; // expect: inner-html
element.insertAdjacentHTML("beforeend", markup); // expect: inner-html
document.write(markup); // expect: inner-html
const plugin = require(pluginName); // expect: dynamic-lookup
const later = await import(specifier); // expect: dynamic-lookup
cp[method](command); // expect: dynamic-lookup
