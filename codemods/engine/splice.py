"""The rewritten module's code, copying the source text of the statements nobody replaced.

`Module.code` generates every node of the tree; on a real file a codemod usually replaces a
few statements in a few long functions. LibCST's round trip is exact (a parsed module's code
is its source), so a statement that is still the very node the parser built has exactly the
source text between its first line and the next statement's (leading comments included):
that text is copied, and only the replaced statements are generated. Inside a replaced
statement, an unchanged statement of a block is copied the same way when its block is still
indented as in the source (a codemod that wrapped it in a new `with` re-indents it: then it is
generated). Anything this cannot place exactly (a carriage return in the source, statement
lines `ast` cannot map, a module without its trailing newline) takes `Module.code`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import libcst as cst
from libcst._nodes.internal import CodegenState, visit_required

from codemods.engine import positions
from codemods.engine.line_spans import HOLDERS
from codemods.engine.traverse import semantic_fields

_NEWLINE = re.compile("\n")


def module_code(new: cst.Module, original: cst.Module, source: str) -> str:
    """`new.code`, where `original` is `cst.parse_module(source)` and `new` a rewrite of it."""
    if new is original:
        return source
    regions = _regions(original, source)
    if regions is None or not new.has_trailing_newline:
        return new.code
    head, by_statement, tail = regions
    parts = [head if _same(new.header, original.header) else _lines(new, new.header)]
    inner = _InnerText(source)
    for stmt in new.body:
        text = by_statement.get(id(stmt))
        parts.append(text if text is not None else new.code_for_node(inner.node(stmt)))
    parts.append(tail if _same(new.footer, original.footer) else _lines(new, new.footer))
    return "".join(parts)


def _regions(original: cst.Module, source: str) -> tuple[str, dict[int, str], str] | None:
    """The source's header text, each top-level statement's text (by node id), footer text."""
    if "\r" in source or not original.body or not original.has_trailing_newline:
        return None
    lines = positions.source_statement_lines(original)
    if lines is None:
        return None
    offsets = [0, *(m.end() for m in _NEWLINE.finditer(source))]  # line n starts at [n - 1]
    head = _lines(original, original.header)
    tail = _lines(original, original.footer)
    end = len(source) - len(tail)
    starts: list[int] = []
    for stmt in original.body:
        line = lines.get(stmt)
        if line is None or line > len(offsets):
            return None
        starts.append(offsets[line - 1])
    if (
        starts[0] != len(head)
        or source[end:] != tail
        or any(a > b for a, b in zip(starts, [*starts[1:], end], strict=True))
    ):
        return None
    texts = {
        id(stmt): source[start:stop]
        for stmt, start, stop in zip(original.body, starts, [*starts[1:], end], strict=True)
    }
    return head, texts, tail


def _same(a: Sequence[cst.EmptyLine], b: Sequence[cst.EmptyLine]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def _lines(module: cst.Module, lines: Sequence[cst.EmptyLine]) -> str:
    return "".join(module.code_for_node(line) for line in lines)


class _InnerText:
    """Swaps the unchanged statements inside a replaced statement for their source text."""

    def __init__(self, source: str) -> None:
        self.source = source
        parsed = positions.parsed_source()
        self.lines, self.spans = (parsed.all_lines(), parsed.all_spans()) if parsed else ({}, {})
        self.offsets: list[int] | None = None

    def node(self, node: cst.CSTNode) -> Any:
        if not self.spans:
            return node
        changes: dict[str, Any] = {}
        for name in semantic_fields(node):
            value = getattr(node, name)
            if isinstance(value, cst.IndentedBlock):
                changes[name] = self.block(value)
            elif isinstance(value, HOLDERS):
                changes[name] = self.node(value)
            elif type(value) is tuple and any(isinstance(v, HOLDERS) for v in value):
                changes[name] = tuple(self.node(v) if isinstance(v, HOLDERS) else v for v in value)
        return node.with_changes(**changes) if changes else node

    def block(self, block: cst.IndentedBlock) -> cst.IndentedBlock:
        body: list[cst.BaseStatement] = []
        for stmt in block.body:
            verbatim = self.verbatim(stmt)
            if verbatim is not None:
                body.append(verbatim)
            elif isinstance(stmt, cst.SimpleStatementLine):
                body.append(stmt)
            else:
                body.append(self.node(stmt))
        return block.with_changes(body=body)

    def verbatim(self, stmt: cst.BaseStatement) -> _Verbatim | None:
        span, first = self.spans.get(stmt), self.lines.get(stmt)
        if span is None or first is None:
            return None
        if self.offsets is None:
            self.offsets = [0, *(m.end() for m in _NEWLINE.finditer(self.source))]
        if first + span > len(self.offsets):
            return None
        code_line = first + len(getattr(stmt, "leading_lines", ()))
        line = self.source[self.offsets[code_line - 1] : self.offsets[code_line]]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        text = self.source[self.offsets[first - 1] : self.offsets[first - 1 + span]]
        return _Verbatim(original=stmt, text=text, indent=indent)


@dataclass(frozen=True)
class _Verbatim(cst.BaseStatement):
    """A statement's source text, used while generating code only: it is the original node's
    code when its block is indented as in the source, which the code generation checks."""

    original: cst.BaseStatement
    text: str
    indent: str

    def _visit_and_replace_children(self, visitor: cst.CSTVisitorT) -> _Verbatim:
        return self.with_changes(original=visit_required(self, "original", self.original, visitor))

    def _codegen_impl(self, state: CodegenState) -> None:
        if "".join(state.indent_tokens) == self.indent:
            state.add_token(self.text)
        else:
            self.original._codegen(state)  # noqa: SLF001
