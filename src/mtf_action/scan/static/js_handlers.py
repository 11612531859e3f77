"""JavaScript/TypeScript MCP tool handlers and their input validation (MTF CQ-04).

Registration styles of the official TypeScript SDK and FastMCP-TS:

- ``server.tool(name, [description], shape, [annotations], handler)``: the SDK
  wraps the zod shape in ``z.object`` and parses every call's arguments with it;
  ``server.tool(name, [description], handler)`` takes no input at all.
- ``server.registerTool(name, { inputSchema }, handler)``: the same for
  ``inputSchema`` (a zod shape or object); none means no input.
- FastMCP-TS ``server.addTool({ name, parameters, execute })``: ``parameters`` is a
  Standard Schema (zod, valibot, ArkType) the framework validates.
- Low-level ``server.setRequestHandler(CallToolRequestSchema, handler)``: the
  arguments arrive unchecked; validated only when the handler (or a function of
  the same file it calls) runs a schema check: zod ``parse``/``safeParse``,
  io-ts ``decode``, TypeBox ``Value.Check``/``Parse``, an ajv ``validate`` or a
  function made by ``ajv.compile``.

A zod field declared ``z.any()`` or ``z.unknown()`` accepts anything: such a tool
is only partially validated.
"""

from __future__ import annotations

from tree_sitter import Node

from mtf_action.scan.js.parse import JsTree
from mtf_action.scan.static.handlers import Handler, Validation
from mtf_action.scan.static.js_names import JsNames
from mtf_action.scan.static.js_syntax import unwrap

_FUNCTIONS = frozenset({"arrow_function", "function_expression", "function", "identifier"})
_CHECKS = frozenset(
    {"parse", "safeParse", "parseAsync", "safeParseAsync", "decode", "validate", "Check"}
    | {"Parse", "Decode", "Assert", "assert", "is", "validateSync", "assertValid"}
)
_ANYTHING = frozenset({"any", "unknown"})


class _Finder:
    def __init__(self, path: str, tree: JsTree, names: JsNames) -> None:
        self.path, self.tree, self.names = path, tree, names
        self.functions: dict[str, Node] = {}
        for node in tree.walk():
            if node.type == "function_declaration":
                name = node.child_by_field_name("name")
                if name is not None:
                    self.functions[tree.text(name)] = node

    def handler(
        self, node: Node, tool: str, style: str, validation: Validation, detail: str
    ) -> Handler:
        return Handler(tool, self.path, JsTree.line(node), style, validation, detail)

    def run(self) -> list[Handler]:
        found: list[Handler] = []
        for node in self.tree.walk():
            if node.type != "call_expression":
                continue
            callee, args = (
                node.child_by_field_name("function"),
                node.child_by_field_name("arguments"),
            )
            if callee is None or args is None or args.type != "arguments":
                continue
            method = self.names.member_name(unwrap(callee))
            arguments = [a for a in args.named_children if a.type != "comment"]
            if method == "tool" and len(arguments) >= 2 and arguments[-1].type in _FUNCTIONS:
                found.append(self._tool(node, arguments))
            elif method == "registerTool" and len(arguments) >= 2:
                style = "McpServer.registerTool"
                found.append(self._config(node, arguments[0], arguments[1], "inputSchema", style))
            elif method == "addTool" and arguments and unwrap(arguments[0]).type == "object":
                style = "FastMCP addTool"
                found.append(self._config(node, None, arguments[0], "parameters", style))
            elif method == "setRequestHandler" and len(arguments) >= 2:
                schema = self.tree.text(arguments[0])
                if schema.endswith("CallToolRequestSchema"):
                    found.append(self._lowlevel(node, arguments[1]))
        return found

    # -- styles ---------------------------------------------------------------------
    def _tool(self, node: Node, arguments: list[Node]) -> Handler:
        name = self._name(arguments[0])
        middle = arguments[1:-1]
        if middle and self.names.static_string(middle[0]) is not None:
            middle = middle[1:]  # the description
        if not middle:
            return self.handler(node, name, "McpServer.tool", Validation.TYPED, "takes no input")
        return self._schema(node, name, "McpServer.tool", middle[0])

    def _config(
        self, node: Node, name_node: Node | None, config_node: Node, key: str, style: str
    ) -> Handler:
        config = self._resolve(config_node)
        if name_node is None:
            name_node = self._property(config, "name") if config.type == "object" else None
        name = self._name(name_node) if name_node is not None else "?"
        if config.type != "object":
            return self.handler(
                node,
                name,
                style,
                Validation.TYPED,
                "configuration built elsewhere; the SDK checks input against its schema",
            )
        schema = self._property(config, key)
        if schema is None:
            return self.handler(node, name, style, Validation.TYPED, "takes no input")
        return self._schema(node, name, style, schema)

    def _schema(self, node: Node, name: str, style: str, schema: Node) -> Handler:
        schema = self._resolve(schema)
        if self._accepts_anything(schema):
            return self.handler(node, name, style, Validation.NONE, "input schema accepts anything")
        shape = schema
        if schema.type == "call_expression":  # z.object({...}) (possibly .strict())
            inner = [n for n in self.tree.walk(schema) if n.type == "object"]
            shape = inner[0] if inner else schema
        loose = [
            self.tree.text(key)
            for key, value in self._pairs(shape)
            if self._accepts_anything(self._resolve(value))
        ]
        if loose:
            return self.handler(
                node,
                name,
                style,
                Validation.PARTIAL,
                "fields accepting anything: " + ", ".join(loose),
            )
        return self.handler(node, name, style, Validation.TYPED, "zod / standard schema")

    def _lowlevel(self, node: Node, handler: Node) -> Handler:
        style = "Server.setRequestHandler(CallToolRequestSchema)"
        body = self._resolve(handler)
        if handler.type == "identifier" and self.tree.text(handler) in self.functions:
            body = self.functions[self.tree.text(handler)]
        if self._validates(body, hops=2):
            return self.handler(
                node, "CallTool", style, Validation.TYPED, "arguments are schema-checked"
            )
        return self.handler(
            node, "CallTool", style, Validation.NONE, "request.params.arguments is used unchecked"
        )

    # -- helpers --------------------------------------------------------------------
    def _validates(self, body: Node, hops: int) -> bool:
        for call in (n for n in self.tree.walk(body) if n.type == "call_expression"):
            callee = call.child_by_field_name("function")
            if callee is None:
                continue
            callee = unwrap(callee)
            method = self.names.member_name(callee) if callee.type != "identifier" else None
            if method in _CHECKS and self.tree.text(callee) != "JSON.parse":
                return True
            if callee.type == "identifier":
                ident = self.tree.text(callee)
                init = self.names.constant(ident)
                if init is not None and init.type == "call_expression":  # ajv.compile(schema)
                    made_by = init.child_by_field_name("function")
                    if made_by is not None and self.names.member_name(made_by) in (
                        "compile",
                        "Compile",
                    ):
                        return True
                if (
                    hops
                    and ident in self.functions
                    and self._validates(self.functions[ident], hops - 1)
                ):
                    return True
        return False

    def _accepts_anything(self, node: Node) -> bool:
        # z.any(), z.unknown().optional(): the innermost call of the chain decides
        while node.type == "call_expression":
            callee = node.child_by_field_name("function")
            if callee is None or callee.type != "member_expression":
                return False
            obj = callee.child_by_field_name("object")
            if obj is not None and obj.type == "call_expression":
                node = obj
                continue
            return self.names.member_name(callee) in _ANYTHING
        return False

    def _pairs(self, obj: Node) -> list[tuple[Node, Node]]:
        pairs = []
        for pair in obj.named_children:
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            if pair.type == "pair" and key is not None and value is not None:
                pairs.append((key, value))
        return pairs

    def _property(self, obj: Node, key: str) -> Node | None:
        for name, value in self._pairs(obj):
            if self.tree.text(name).strip("'\"") == key:
                return value
        for child in obj.named_children:  # { inputSchema } shorthand
            if child.type == "shorthand_property_identifier" and self.tree.text(child) == key:
                return child
        return None

    def _resolve(self, node: Node) -> Node:
        node = unwrap(node)
        for _ in range(4):
            if node.type not in ("identifier", "shorthand_property_identifier"):
                break
            init = self.names.constant(self.tree.text(node))
            if init is None:
                break
            node = unwrap(init)
        return node

    def _name(self, node: Node) -> str:
        return self.names.static_string(node) or "?"


def js_handlers(path: str, tree: JsTree, names: JsNames) -> list[Handler]:
    return _Finder(path, tree, names).run()
