"""Python MCP tool handlers and their input validation (MTF CQ-04).

Handlers are found in three registration styles:

- FastMCP (``mcp.server.fastmcp`` and the ``fastmcp`` package): functions decorated
  ``@<server>.tool`` / ``@<server>.tool(...)`` or passed to ``<server>.add_tool(fn)``.
  FastMCP builds a pydantic model from the parameter annotations and validates
  every call against it, so an annotated parameter *is* validated -- unless the
  annotation admits anything (``Any``, ``object``, bare ``dict``/``list``/``Mapping``,
  ``dict[str, Any]``) or there is none. A loosely typed parameter still counts
  when the body passes it to ``Model.model_validate()`` / ``TypeAdapter.validate_python()``
  / ``jsonschema.validate()`` / ``Model(**param)``. The injected ``Context`` is no input.
- Low-level ``@<server>.call_tool()``: ``arguments`` is a plain dict. Validated when
  the handler (or a module function it hands ``arguments`` to) runs one of the
  validation calls above on it. Without that, the SDK's own check of the tool's
  declared ``inputSchema`` (``validate_input``, default on since mcp 1.10) is only
  a partial answer: a JSON Schema check, no typed model at the handler entry.
"""

from __future__ import annotations

import ast

from mtf_action.scan.static.handlers import Handler, Validation
from mtf_action.scan.static.py_names import PyNames

_LOOSE = frozenset({"Any", "object", "dict", "Dict", "list", "List", "Mapping", "MutableMapping"})
_LOOSE |= {"set", "Set", "tuple", "Tuple", "Sequence", "Iterable", "JsonValue"}
_WRAPPERS = frozenset({"Optional", "Annotated", "Required", "NotRequired", "ReadOnly"})
_VALIDATORS = frozenset(
    {"model_validate", "model_validate_json", "parse_obj", "parse_raw", "validate_python"}
    | {"validate_json", "validate", "validate_call", "from_dict", "structure"}
)
_INJECTED = ("Context",)  # FastMCP passes the request context, not tool input

Function = ast.FunctionDef | ast.AsyncFunctionDef


def _leaf(names: PyNames, node: ast.expr) -> str:
    return (names.qualname(node) or "").rsplit(".", 1)[-1]


def annotation_typed(names: PyNames, node: ast.expr | None, depth: int = 0) -> bool:
    """Whether an annotation pins a concrete type pydantic can enforce."""
    if node is None or depth > 12:
        return False
    if isinstance(node, ast.Constant):
        if node.value is None:
            return True
        if isinstance(node.value, str):  # "Model" forward reference
            try:
                return annotation_typed(names, ast.parse(node.value, mode="eval").body, depth + 1)
            except SyntaxError:
                return False
        return False
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return annotation_typed(names, node.left, depth + 1) and annotation_typed(
            names, node.right, depth + 1
        )
    if isinstance(node, ast.Subscript):
        base = _leaf(names, node.value)
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if base == "Literal":
            return True
        if base in _WRAPPERS:
            return annotation_typed(names, args[0], depth + 1)
        return all(annotation_typed(names, a, depth + 1) for a in args)
    if isinstance(node, ast.Name | ast.Attribute):
        return _leaf(names, node) not in _LOOSE
    return False


def _params(fn: Function) -> list[ast.arg]:
    a = fn.args
    params = [*a.posonlyargs, *a.args, *a.kwonlyargs]
    if params and params[0].arg in ("self", "cls"):
        params = params[1:]
    return params


def _validated_names(names: PyNames, body: ast.AST) -> set[str]:
    """Names handed to a validation call anywhere in ``body``."""
    found: set[str] = set()
    for node in ast.walk(body):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func
        leaf = callee.attr if isinstance(callee, ast.Attribute) else _leaf(names, callee)
        # Model(**arguments): a class called with the dict unpacked into fields
        star = leaf[:1].isupper() and any(k.arg is None for k in node.keywords)
        if leaf in _VALIDATORS or star:
            for arg in (*node.args, *(k.value for k in node.keywords)):
                found.update(n.id for n in ast.walk(arg) if isinstance(n, ast.Name))
    return found


def _decorated_tool(names: PyNames, fn: Function) -> tuple[str, ast.expr] | None:
    for deco in fn.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        if isinstance(target, ast.Attribute) and target.attr in ("tool", "call_tool"):
            return target.attr, deco
        qualname = names.qualname(target) or ""
        if qualname.endswith(".tool") and qualname.split(".")[0] in ("mcp", "fastmcp"):
            return "tool", deco
    return None


def _tool_name(fn: Function, deco: ast.expr) -> str:
    if isinstance(deco, ast.Call):
        for kw in deco.keywords:
            if kw.arg == "name" and isinstance(kw.value, ast.Constant):
                return str(kw.value.value)
        if deco.args and isinstance(deco.args[0], ast.Constant):
            return str(deco.args[0].value)
    return fn.name


def _injected(names: PyNames, param: ast.arg) -> bool:
    node = param.annotation
    if isinstance(node, ast.Subscript):  # Context[ServerSession, ...]
        node = node.value
    return node is not None and _leaf(names, node) in _INJECTED


def fastmcp_validation(names: PyNames, fn: Function) -> tuple[Validation, str]:
    params = [p for p in _params(fn) if not _injected(names, p)]
    inputs = [p.arg for p in params] + [
        f"*{v.arg}" for v in (fn.args.vararg, fn.args.kwarg) if v is not None
    ]
    typed = {p.arg for p in params if annotation_typed(names, p.annotation)}
    checked = _validated_names(names, fn)
    loose = [p for p in inputs if p not in typed and p.lstrip("*") not in checked]
    if not loose:
        in_body = [p for p in inputs if p not in typed]
        return Validation.TYPED, f"{len(typed)} typed parameter(s)" + (
            f"; validated in the body: {', '.join(in_body)}" if in_body else ""
        )
    if len(loose) == len(inputs):
        return Validation.NONE, "no parameter has a concrete type: " + ", ".join(loose)
    return Validation.PARTIAL, "untyped parameter(s): " + ", ".join(loose)


def lowlevel_validation(
    names: PyNames, fn: Function, deco: ast.expr, functions: dict[str, Function]
) -> tuple[Validation, str]:
    params = _params(fn)
    arguments = params[1].arg if len(params) > 1 else "arguments"
    if arguments in _validated_names(names, fn):
        return Validation.TYPED, f"`{arguments}` is validated in the handler"
    for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call)):
        callee = functions.get(call.func.id) if isinstance(call.func, ast.Name) else None
        passed = any(isinstance(a, ast.Name) and a.id == arguments for a in call.args)
        if callee is not None and passed and _validated_names(names, callee):
            return Validation.TYPED, f"`{arguments}` is validated in {callee.name}()"
    sdk_check = not (
        isinstance(deco, ast.Call)
        and any(
            k.arg == "validate_input" and isinstance(k.value, ast.Constant) and not k.value.value
            for k in deco.keywords
        )
    )
    if sdk_check:
        return Validation.PARTIAL, (
            "only the SDK's JSON Schema check of the declared inputSchema; "
            f"`{arguments}` reaches the handler as an untyped dict"
        )
    return Validation.NONE, f"validate_input=False and `{arguments}` is never validated"


def python_handlers(path: str, tree: ast.Module, names: PyNames) -> list[Handler]:
    defined = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    functions = {fn.name: fn for fn in defined}  # for add_tool(fn) and one-hop lookups
    found: list[Handler] = []
    for fn in defined:
        tool = _decorated_tool(names, fn)
        if tool is None:
            continue
        kind, deco = tool
        if kind == "call_tool":
            validation, detail = lowlevel_validation(names, fn, deco, functions)
            found.append(Handler(fn.name, path, fn.lineno, "Server.call_tool", validation, detail))
        else:
            validation, detail = fastmcp_validation(names, fn)
            name = _tool_name(fn, deco)
            found.append(Handler(name, path, fn.lineno, "FastMCP @tool", validation, detail))
    for node in ast.walk(tree):  # mcp.add_tool(fn) / Tool.from_function(fn)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("add_tool", "from_function")
            and node.args
            and isinstance(node.args[0], ast.Name)
            and (added := functions.get(node.args[0].id)) is not None
        ):
            validation, detail = fastmcp_validation(names, added)
            found.append(
                Handler(added.name, path, added.lineno, "FastMCP add_tool", validation, detail)
            )
    return found
