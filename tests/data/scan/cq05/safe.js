// CQ-05 negative fixture: safe spellings of the same operations; nothing may fire.
import { execFile, spawn } from "node:child_process";
import { z } from "zod";

execFile("git", ["status"]);
spawn("ls", ["-l", dir]);
spawn("ls", ["-l"], { shell: false });
const parsed = JSON.parse(text);
const fn = new Function("return 1");
setTimeout(() => tick(), 10);
setInterval(tick, 10);
db.query("SELECT * FROM notes WHERE id = $1", [id]);
db.query(sql`SELECT * FROM notes WHERE id = ${id}`);
const message = `Select a file from ${dir}`;
const label = "select" + name;
element.textContent = title;
element.innerHTML = "<b>static</b>";
const re = /exec/;
const obj = { exec: (x) => x };
obj.exec(command);
const shape = z.object({ q: z.string() });
const config = require("./config.json");
const lazy = await import("./lazy.js");
const table = { a: 1 };
table[key]();
const command = require(`./commands/${name}`);
const helper = require("../lib/" + name);
connection.execute(queued || fallback);
