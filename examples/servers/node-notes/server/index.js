// In-memory notes MCP server (stdio).
//
// Notes live only in this process's memory and are gone when it exits: no
// files, no network, no child processes. Every tool registered here must also
// be declared in ../manifest.json (MTF CD-01); the test suite compares the two.

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const MAX_NOTES = 1000; // keeps a misbehaving client from growing memory without bound
const notes = new Map(); // id -> { id, title, body, tags, created }
let nextId = 1;

const noteShape = {
  id: z.number().int(),
  title: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
  created: z.string(),
};

function asResult(payload) {
  return {
    content: [{ type: "text", text: JSON.stringify(payload, null, 2) }],
    structuredContent: payload,
  };
}

const server = new McpServer({ name: "notes", version: "1.0.0" });

server.registerTool(
  "add_note",
  {
    description: "Store a short note (title, body, optional tags) in memory for this session.",
    inputSchema: {
      title: z.string().min(1).max(200),
      body: z.string().max(10000),
      tags: z.array(z.string().min(1).max(40)).max(10).default([]),
    },
    outputSchema: noteShape,
  },
  async ({ title, body, tags }) => {
    if (notes.size >= MAX_NOTES) {
      throw new Error(`note limit reached (${MAX_NOTES}); this server keeps notes in memory only`);
    }
    const note = { id: nextId++, title, body, tags, created: new Date().toISOString() };
    notes.set(note.id, note);
    return asResult(note);
  },
);

server.registerTool(
  "list_notes",
  {
    description: "List the notes stored in this session, newest first, optionally only those with a tag.",
    inputSchema: { tag: z.string().optional() },
    outputSchema: { notes: z.array(z.object(noteShape)) },
  },
  async ({ tag }) => {
    const selected = [...notes.values()].filter((n) => tag === undefined || n.tags.includes(tag));
    return asResult({ notes: selected.reverse() });
  },
);

server.registerTool(
  "search_notes",
  {
    description: "Find notes whose title or body contains the given text (case-insensitive).",
    inputSchema: { query: z.string().min(1).max(200) },
    outputSchema: { notes: z.array(z.object(noteShape)) },
  },
  async ({ query }) => {
    const needle = query.toLowerCase();
    const found = [...notes.values()].filter(
      (n) => n.title.toLowerCase().includes(needle) || n.body.toLowerCase().includes(needle),
    );
    return asResult({ notes: found });
  },
);

await server.connect(new StdioServerTransport());
