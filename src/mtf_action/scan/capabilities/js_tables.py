"""Which JavaScript/TypeScript calls exercise which capability (MTF CD-02).

Keys are what :class:`~mtf_action.scan.malware.js_names.JsNames` resolves a
callee to (``child_process.exec`` however it was imported or spelled), after
:func:`canonical` maps ``fs/promises``, ``fs-extra`` and ``graceful-fs`` onto ``fs``.
"""

from __future__ import annotations

_FS_ALIASES: tuple[tuple[str, str], ...] = (
    ("fs/promises.", "fs.promises."),
    ("fs-extra.", "fs."),
    ("graceful-fs.", "fs."),
    ("fs-extra/esm.", "fs."),
)


def canonical(name: str) -> str:
    for prefix, replacement in _FS_ALIASES:
        if name.startswith(prefix):
            return replacement + name[len(prefix) :]
    if name.startswith(("~Bun.", "~Deno.")):
        return name[1:]  # runtime globals the name table does not know
    return name


NET_OUT = frozenset(
    {"fetch", "XMLHttpRequest", "WebSocket", "EventSource", "navigator.sendBeacon"}
    | {f"{m}.{f}" for m in ("http", "https") for f in ("request", "get", "Agent")}
    | {"http2.connect", "net.connect", "net.createConnection", "net.Socket", "tls.connect"}
    | {"dgram.createSocket", "Deno.connect", "Bun.connect"}
    | {
        f"dns.{f}"
        for f in ("lookup", "resolve", "resolve4", "resolve6", "resolveTxt", "resolveAny")
    }
    | {f"dns.promises.{f}" for f in ("lookup", "resolve", "resolve4", "resolveTxt")}
)
# Client libraries: any call into them is a request (or makes a client for one).
NET_OUT_MODULES = frozenset(
    {"axios", "got", "node-fetch", "cross-fetch", "isomorphic-fetch", "undici", "ky"}
    | {"superagent", "needle", "request", "ws", "socket.io-client", "openai", "ofetch"}
    | {"@anthropic-ai/sdk", "phin", "bent", "make-fetch-happen", "ssh2", "nodemailer"}
)
NET_IN = frozenset(
    {f"{m}.createServer" for m in ("http", "https", "http2", "net", "tls")}
    | {"http2.createSecureServer", "ws.WebSocketServer", "ws.Server", "@hono/node-server.serve"}
    | {"Bun.serve", "Deno.serve", "Deno.listen", "express", "fastify", "koa"}
)
NET_IN_SUFFIXES = (".SSEServerTransport", ".StreamableHTTPServerTransport")
NET_OUT_SUFFIXES = (
    ".SSEClientTransport",
    ".StreamableHTTPClientTransport",
    ".WebSocketClientTransport",
)
# A .listen(...) in a script using one of these opens a port.
SERVER_MODULES = frozenset(
    {"express", "fastify", "koa", "http", "https", "http2", "net", "tls", "dgram", "hono"}
    | {"@hono/node-server", "@hapi/hapi", "restify", "polka", "connect"}
)

_RW = ("", "Sync")
FS_READ = frozenset(
    f"{f}{s}"
    for f in (
        *("readFile", "readdir", "stat", "lstat", "exists", "access", "readlink", "opendir"),
        *("realpath", "readJson", "pathExists", "glob", "statfs"),
    )
    for s in _RW
) | {"createReadStream", "watch", "watchFile", "readJSON"}
FS_WRITE = frozenset(
    f"{f}{s}"
    for f in (
        *("writeFile", "appendFile", "mkdir", "mkdtemp", "rm", "rmdir", "unlink", "rename"),
        *("copyFile", "cp", "chmod", "chown", "lchown", "symlink", "link", "truncate", "utimes"),
        *("outputFile", "outputJson", "writeJson", "remove", "emptyDir", "ensureDir"),
        *("ensureFile", "copy", "move", "mkdirp", "mkdirs", "writeJSON", "outputJSON"),
    )
    for s in _RW
) | {"createWriteStream"}
FS_OPEN = frozenset({"open", "openSync"})
FS_RUNTIME_READ = frozenset({"Bun.file", "Deno.readTextFile", "Deno.readFile", "Deno.readDir"})
FS_RUNTIME_WRITE = frozenset({"Bun.write", "Deno.writeTextFile", "Deno.writeFile", "Deno.remove"})
FS_RUNTIME_WRITE |= {"Deno.mkdir"}

SHELL_RUNNERS = frozenset(
    {"child_process.exec", "child_process.execSync", "shelljs.exec", "zx.$", "execa.$"}
    | {"execa.execaCommand", "execa.execaCommandSync", "Bun.$"}
)
ARGV_RUNNERS = frozenset(
    {f"child_process.{f}" for f in ("spawn", "spawnSync", "execFile", "execFileSync")}
    | {"execa", "execa.execa", "execa.execaSync", "cross-spawn", "cross-spawn.sync"}
    | {"node-pty.spawn", "Bun.spawn", "Bun.spawnSync", "Deno.Command", "Deno.run"}
)
NODE_RUNNERS = frozenset({"child_process.fork", "execa.execaNode"})

NATIVE_CALLS = frozenset({"process.dlopen", "process.binding", "process._linkedBinding"})
NATIVE_MODULES = frozenset({"bindings", "node-gyp-build", "ffi-napi", "ffi", "koffi"})
NATIVE_MODULES |= {"ref-napi", "node-ffi", "node-addon-api", "prebuild-install"}
LOADERS = frozenset({"require", "import", "module.require"})
# obj[<computed>] on these can reach any of their capabilities.
RISKY_MODULES = frozenset({"child_process", "fs", "fs.promises", "net", "http", "https", "tls"})
RISKY_MODULES |= {"dgram", "vm", "process", "os", "worker_threads", "module"}
