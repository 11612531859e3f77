"""Which Python calls exercise which capability (MTF CD-02), by resolved dotted name.

Names are what :class:`~mtf_action.scan.malware.python_names.Names` resolves a
callee to, so ``import requests as r; r.get``, ``from subprocess import run as
go``, ``getattr(__import__("os"), "sys" + "tem")`` all land on these entries.
Constructing a client or server object counts: it exists to connect or listen.
"""

from __future__ import annotations

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")

NETWORK_OUT = frozenset(
    {f"{m}.{v}" for m in ("requests", "httpx", "aiohttp", "urllib3") for v in _VERBS}
    | {"requests.Session", "requests.session", "httpx.Client", "httpx.AsyncClient"}
    | {"aiohttp.ClientSession", "aiohttp.TCPConnector", "urllib3.PoolManager"}
    | {"urllib3.ProxyManager", "urllib3.HTTPConnectionPool", "urllib3.HTTPSConnectionPool"}
    | {"urllib3.connection_from_url", "urllib.request.urlopen", "urllib.request.urlretrieve"}
    | {"urllib.request.build_opener", "urllib.request.OpenerDirector", "urllib.urlopen"}
    | {"urllib2.urlopen", "http.client.HTTPConnection", "http.client.HTTPSConnection"}
    | {"socket.create_connection", "socket.socket", "socket.getaddrinfo", "socket.fromfd"}
    | {"socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"}
    | {"asyncio.open_connection", "smtplib.SMTP", "smtplib.SMTP_SSL", "smtplib.LMTP"}
    | {"ftplib.FTP", "ftplib.FTP_TLS", "telnetlib.Telnet", "poplib.POP3", "poplib.POP3_SSL"}
    | {"imaplib.IMAP4", "imaplib.IMAP4_SSL", "nntplib.NNTP", "xmlrpc.client.ServerProxy"}
    | {"websocket.create_connection", "websocket.WebSocketApp", "websockets.connect"}
    | {"websockets.client.connect", "paramiko.SSHClient", "paramiko.Transport", "pycurl.Curl"}
    | {"httplib2.Http", "dns.resolver.resolve", "dns.resolver.query", "grpc.insecure_channel"}
    | {"grpc.secure_channel", "boto3.client", "boto3.resource", "boto3.Session"}
    | {"openai.OpenAI", "openai.AsyncOpenAI", "anthropic.Anthropic", "anthropic.AsyncAnthropic"}
    | {"mcp.client.sse.sse_client", "mcp.client.streamable_http.streamablehttp_client"}
)
NETWORK_IN = frozenset(
    {"socket.create_server", "asyncio.start_server", "http.server.HTTPServer"}
    | {"http.server.ThreadingHTTPServer", "socketserver.TCPServer", "socketserver.UDPServer"}
    | {"socketserver.ThreadingTCPServer", "socketserver.ThreadingUDPServer"}
    | {"socketserver.ForkingTCPServer", "wsgiref.simple_server.make_server", "uvicorn.run"}
    | {"uvicorn.Server", "hypercorn.asyncio.serve", "aiohttp.web.run_app", "aiohttp.web.TCPSite"}
    | {
        "waitress.serve",
        "websockets.serve",
        "websockets.server.serve",
        "xmlrpc.server.SimpleXMLRPCServer",
    }
)
# FastMCP / fastmcp transports that listen on a port, and the methods that start them.
LISTENING_TRANSPORTS = frozenset({"sse", "streamable-http", "http", "streamable_http"})
LISTENING_RUNNERS = frozenset({"run_sse_async", "run_streamable_http_async", "run_http_async"})

# Openers: the mode (or flags) argument decides read or write.
OPENERS = {  # name -> index of the mode argument
    "open": 1, "io.open": 1, "codecs.open": 1, "gzip.open": 1, "bz2.open": 1,
    "lzma.open": 1, "tarfile.open": 1, "zipfile.ZipFile": 1, "shelve.open": 1,
    "dbm.open": 1, "os.open": 1, "aiofiles.open": 1, "fileinput.input": -1,
}  # fmt: skip
FS_READ = frozenset(
    {f"os.{f}" for f in ("listdir", "scandir", "walk", "fwalk", "stat", "lstat", "access")}
    | {f"os.{f}" for f in ("readlink", "statvfs")}
    | {f"os.path.{f}" for f in ("exists", "lexists", "isfile", "isdir", "islink", "getsize")}
    | {f"os.path.{f}" for f in ("getmtime", "getatime", "getctime", "samefile")}
    | {"glob.glob", "glob.iglob", "linecache.getline", "shutil.disk_usage", "shutil.which"}
    | {"dotenv.dotenv_values", "filecmp.cmp", "filecmp.dircmp"}
)
FS_WRITE = frozenset(
    {f"os.{f}" for f in ("remove", "unlink", "rmdir", "removedirs", "mkdir", "makedirs")}
    | {f"os.{f}" for f in ("rename", "renames", "replace", "chmod", "chown", "lchown")}
    | {f"os.{f}" for f in ("link", "symlink", "truncate", "utime", "mkfifo", "mknod")}
    | {f"shutil.{f}" for f in ("copy", "copy2", "copyfile", "copytree", "move", "rmtree")}
    | {f"shutil.{f}" for f in ("make_archive", "unpack_archive", "chown", "copymode")}
    | {f"tempfile.{f}" for f in ("mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile")}
    | {"tempfile.TemporaryDirectory", "tempfile.SpooledTemporaryFile", "sqlite3.connect"}
)
# pathlib methods; the distinctive ones count on any receiver in a module importing pathlib.
PATH_READ = frozenset({"read_text", "read_bytes", "iterdir", "rglob", "glob", "exists"})
PATH_READ |= {"is_file", "is_dir", "stat", "lstat", "readlink", "samefile", "walk", "owner"}
PATH_WRITE = frozenset({"write_text", "write_bytes", "mkdir", "touch", "unlink", "rmdir"})
PATH_WRITE |= {"rename", "replace", "chmod", "lchmod", "symlink_to", "hardlink_to"}
PATH_DISTINCTIVE = frozenset({"read_text", "read_bytes", "write_text", "write_bytes", "iterdir"})
PATH_DISTINCTIVE |= {"rglob", "mkdir", "touch", "unlink", "rmdir", "symlink_to", "hardlink_to"}
PATH_MAKERS = frozenset(
    {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath"}
    | {"pathlib.Path.home", "pathlib.Path.cwd", "anyio.Path", "aiopath.AsyncPath"}
)

ENV_READ_CALLS = frozenset({"os.getenv", "os.getenvb", "os.environ.get", "os.environb.get"})
ENV_WRITE_CALLS = frozenset(
    {"os.putenv", "os.unsetenv", "os.environ.setdefault", "os.environ.pop"}
    | {"os.environ.update", "os.environ.clear", "os.environ.popitem", "dotenv.load_dotenv"}
)
ENV_ALL_CALLS = frozenset({"os.environ.copy", "os.environ.items", "os.environ.keys"})
ENV_ALL_CALLS |= {"os.environ.values", "os.environ.__iter__"}
ENVIRON = frozenset({"os.environ", "os.environb"})
SETTINGS_BASES = frozenset({"pydantic_settings.BaseSettings", "pydantic.BaseSettings"})

# Process spawning: how the program is given.
SHELL_SPAWN = frozenset(
    {"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput"}
    | {"asyncio.create_subprocess_shell", "commands.getoutput", "pexpect.run"}
)
ARGV_SPAWN = {  # name -> index of the program argument
    "subprocess.run": 0, "subprocess.Popen": 0, "subprocess.call": 0,
    "subprocess.check_call": 0, "subprocess.check_output": 0,
    "asyncio.create_subprocess_exec": 0, "pty.spawn": 0, "pexpect.spawn": 0,
    "os.posix_spawn": 0, "os.posix_spawnp": 0, "webbrowser.open": -1,
    **{f"os.exec{s}": 0 for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")},
    **{f"os.spawn{s}": 1 for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")},
}  # fmt: skip
PYTHON_SPAWN = frozenset(
    {"multiprocessing.Process", "multiprocessing.Pool", "os.fork", "os.forkpty", "pty.fork"}
    | {"concurrent.futures.ProcessPoolExecutor", "multiprocessing.get_context"}
)
INTERPRETERS = frozenset({"python", "python3", "node", "perl", "ruby", "php", "deno", "bun"})
INLINE_CODE_FLAGS = frozenset({"-c", "-e", "--eval", "-p", "--print", "-r"})

NATIVE_MODULES = frozenset({"ctypes", "_ctypes", "cffi", "_cffi_backend"})
NATIVE_CALLS = frozenset(
    {"importlib.machinery.ExtensionFileLoader", "imp.load_dynamic", "_imp.create_dynamic"}
)
IMPORTERS = frozenset({"__import__", "importlib.import_module", "importlib.__import__"})
# getattr(<one of these>, <computed>) can reach any capability of the module.
RISKY_MODULES = frozenset({"os", "subprocess", "socket", "ctypes", "builtins", "shutil", "pty"})
RISKY_MODULES |= {"importlib", "requests", "httpx", "urllib", "http", "posix", "nt"}
