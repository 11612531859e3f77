// expect: none
// A typical MCP server: one credential from the environment, an API call, a child process
// with a constant command, base64 for data, not code.
import { execFile } from "node:child_process";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";

const token = process.env.ACME_TOKEN ?? "";
const base = process.env["ACME_URL"] || "https://api.example.com";

export async function search(q: string): Promise<unknown> {
  const r = await fetch(`${base}/search?q=${encodeURIComponent(q)}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return r.json();
}

export function decodeAttachment(b64: string): string {
  return Buffer.from(b64, "base64").toString("utf8");
}

export function gitLog(cb: (out: string) => void): void {
  execFile("git", ["log", "-1"], { env: { ...process.env, GIT_PAGER: "" } }, (_e, out) => cb(out));
}

class Cache {
  #store = new Map<string, string>();
  get = (k: string) => this.#store?.get(k);
}
setTimeout(() => new Cache(), 10);
new McpServer({ name: "demo", version: "1.0.0" });
