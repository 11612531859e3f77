// CQ-04 fixture: TypeScript SDK handlers; `expect:` on the registration line.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const server = new McpServer({ name: "x", version: "1.0.0" });
const shape = { q: z.string().max(100) };

server.tool("ping", async () => ({ content: [] }));
server.tool("search", "Search notes", { q: z.string() }, async ({ q }) => ({ content: [] }));
server.tool("shared", shape, async ({ q }) => ({ content: [] }));
server.registerTool("add", { inputSchema: { title: z.string() } }, async (a) => ({ content: [] }));
server.registerTool("obj", { inputSchema: z.object({ n: z.number() }).strict() }, async (a) => a);
server.registerTool("none", { description: "no input" }, async () => ({ content: [] }));
server.registerTool("loose", { inputSchema: { blob: z.any(), n: z.number() } }, async (a) => a); // expect: partial-input-validation
server.registerTool("anything", { inputSchema: z.unknown() }, async (a) => a); // expect: no-input-validation

const low = new Server({ name: "low", version: "1" }, { capabilities: { tools: {} } });
low.setRequestHandler(CallToolRequestSchema, async (request) => { // expect: no-input-validation
  const args = request.params.arguments as { q: string };
  return { content: [{ type: "text", text: args.q }] };
});

const ArgsSchema = z.object({ q: z.string() });
const low2 = new Server({ name: "low2", version: "1" }, { capabilities: { tools: {} } });
low2.setRequestHandler(CallToolRequestSchema, async (request) => {
  const args = ArgsSchema.parse(request.params.arguments);
  return { content: [{ type: "text", text: args.q }] };
});

function handle(request: unknown) {
  const ok = validate(request);
  return ok;
}
const validate = ajv.compile(schema);
const low3 = new Server({ name: "low3", version: "1" }, { capabilities: { tools: {} } });
low3.setRequestHandler(CallToolRequestSchema, async (request) => handle(request));
