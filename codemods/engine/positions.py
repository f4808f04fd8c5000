"""Where a node starts, without LibCST's whole-module PositionProvider.

A TODO needs the line:col of one node. PositionProvider runs a position-tracking code
generation of the whole module (~3 parses). Here the first line of every top-level statement
comes from the stdlib `ast` of the source the module was parsed from (C speed, one parse per
file, shared by every codemod) or, for a tree a codemod already changed, from plain code
generation; position tracking then runs over the one statement holding the node, starting
at that line, which yields exactly what PositionProvider would.
"""

from __future__ import annotations

import ast
from typing import Any

import libcst as cst
from libcst.metadata import CodePosition, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

_SOURCE: list[tuple[cst.Module, str]] = []  # the last parsed module and its source
_LINES: list[tuple[cst.Module, dict[cst.CSTNode, int]]] = []  # last module's statement lines
_COUNTS: dict[cst.CSTNode, int] = {}  # top-level statement -> lines it spans (last module seen)


def remember_source(module: cst.Module, code: str) -> None:
    """`module` is `cst.parse_module(code)`: its statement lines can come from `ast`."""
    _SOURCE[:] = [(module, code)]
    _COUNTS.clear()


def statement_lines(module: cst.Module) -> dict[cst.CSTNode, int]:
    """First line (leading blank/comment lines included) of each top-level statement."""
    if _LINES and _LINES[0][0] is module:
        return _LINES[0][1]
    lines = None
    if _SOURCE and _SOURCE[0][0] is module:
        lines = _lines_from_ast(module, _SOURCE[0][1])
    elif _SOURCE and not _COUNTS:  # a codemod changed the parsed tree: count its statements first
        parsed, code = _SOURCE[0]
        known = _lines_from_ast(parsed, code)
        if known is not None:
            _remember_counts(parsed, known)
    if lines is None:
        lines = _lines_from_codegen(module)
    _LINES[:] = [(module, lines)]
    _remember_counts(module, lines)
    return lines


def _remember_counts(module: cst.Module, lines: dict[cst.CSTNode, int]) -> None:
    """Line spans of each statement, so a codemod's next version of the tree, which
    shares most statements with this one, needs code generation only for the new ones."""
    counts: dict[cst.CSTNode, int] = {}
    for stmt, after in zip(module.body, module.body[1:], strict=False):
        counts[stmt] = lines[after] - lines[stmt]
    _COUNTS.clear()
    _COUNTS.update(counts)


def start_in_statement(module: cst.Module, top: cst.CSTNode, line: int) -> dict[cst.CSTNode, Any]:
    """Positions of every node of top-level statement `top`, which starts at `line`."""
    provider = PositionProvider()
    state = PositionProvidingCodegenState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        provider=provider,
    )
    state.line = line
    top._codegen(state)  # noqa: SLF001
    return dict(provider._computed)  # noqa: SLF001


def position(positions: dict[cst.CSTNode, Any], node: cst.CSTNode) -> CodePosition | None:
    found = positions.get(node)
    return found.start if found is not None else None


def _lines_from_codegen(module: cst.Module) -> dict[cst.CSTNode, int]:
    lines: dict[cst.CSTNode, int] = {}
    line = 1
    for header in module.header:
        line += module.code_for_node(header).count("\n")
    for stmt in module.body:
        lines[stmt] = line
        count = _COUNTS.get(stmt)
        line += count if count is not None else module.code_for_node(stmt).count("\n")
    return lines


def _lines_from_ast(module: cst.Module, code: str) -> dict[cst.CSTNode, int] | None:
    """LibCST's top-level statements map onto `ast`'s in order: a simple-statement line
    holds one ast statement per `;`-separated part, a compound statement is one."""
    try:
        body = ast.parse(code).body
    except (SyntaxError, ValueError):
        return None
    lines: dict[cst.CSTNode, int] = {}
    index = 0
    for stmt in module.body:
        if index >= len(body):
            return None
        first = body[index]
        decorators = getattr(first, "decorator_list", None) or []
        start = min([first.lineno, *(d.lineno for d in decorators)])
        lines[stmt] = start - len(stmt.leading_lines)
        index += len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
    return lines if index == len(body) else None
