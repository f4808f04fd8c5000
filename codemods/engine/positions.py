"""Where a node starts, without LibCST's whole-module PositionProvider.

A TODO needs the line:col of one node. PositionProvider runs a position-tracking code
generation of the whole module (~3 parses). Here the first line of every statement comes from
the stdlib `ast` of the source the module was parsed from (C speed, one parse per file, shared
by every codemod), mapped onto LibCST's statements in order; for a tree a codemod already
changed, top-level lines come from plain code generation of the new statements only.
Position tracking then runs over the innermost statement that holds the node and starts its
own line, from that line and with its block's indentation, which yields exactly what
PositionProvider would: a TODO in a long function no longer code-generates the function.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

import libcst as cst
from libcst.metadata import CodePosition, PositionProvider

from codemods.engine import python_ast
from codemods.engine.line_spans import Found, StopAt, line_count, line_of_child, spans_of, suites


class _Parsed:
    """The last parsed module, its source, and (lazily) the `ast` statements of each of its
    top-level statements and the first line of every statement inside one."""

    def __init__(self, module: cst.Module, code: str) -> None:
        self.module = module
        self.code = code
        self.tops: dict[cst.CSTNode, tuple[int, list[ast.stmt]]] | None = None
        self.inner: dict[cst.CSTNode, dict[cst.CSTNode, int] | None] = {}
        self.lines: dict[cst.CSTNode, int] | None = None
        self.spans: dict[cst.CSTNode, int] | None = None

    def top_statements(self) -> dict[cst.CSTNode, tuple[int, list[ast.stmt]]] | None:
        if self.tops is None:
            self.tops = _tops_from_ast(self.module, self.code) or {}
        return self.tops or None

    def inner_lines(self, top: cst.CSTNode) -> dict[cst.CSTNode, int] | None:
        """First line of every statement inside top-level statement `top` (None: unknown)."""
        if top not in self.inner:
            tops = self.top_statements()
            found = tops.get(top) if tops else None
            self.inner[top] = None if found is None else _inner_from_ast(top, found[1])
        return self.inner[top]

    def all_lines(self) -> dict[cst.CSTNode, int]:
        """First line of every statement of the module whose line `ast` gives."""
        if self.lines is None:
            self.lines = {}
            for top, (line, _) in (self.top_statements() or {}).items():
                self.lines[top] = line
                self.lines.update(self.inner_lines(top) or {})
        return self.lines

    def all_spans(self) -> dict[cst.CSTNode, int]:
        """Lines spanned by each statement of the module that has a next sibling."""
        if self.spans is None:
            self.spans = spans_of(self.module, self.all_lines())
        return self.spans


_SOURCE: list[_Parsed] = []  # the last parsed module
_LINES: list[tuple[cst.Module, dict[cst.CSTNode, int]]] = []  # last module's statement lines
_COUNTS: dict[cst.CSTNode, int] = {}  # top-level statement -> lines it spans (last module seen)
_COMPOUND = frozenset(
    {"If", "For", "While", "Try", "TryStar", "With", "FunctionDef", "ClassDef", "Match"}
)


def remember_source(module: cst.Module, code: str) -> None:
    """`module` is `cst.parse_module(code)`: its statement lines can come from `ast`."""
    _SOURCE[:] = [_Parsed(module, code)]
    _COUNTS.clear()


def parsed_source() -> _Parsed | None:
    """The statement lines of the module `remember_source` was last given."""
    return _SOURCE[0] if _SOURCE else None


def source_statement_lines(module: cst.Module) -> dict[cst.CSTNode, int] | None:
    """First line of each top-level statement of `module`, the tree `remember_source` was
    given (None for another tree, or where `ast` and LibCST disagree on the statements)."""
    parsed = _SOURCE[0] if _SOURCE else None
    tops = parsed.top_statements() if parsed is not None and parsed.module is module else None
    return None if tops is None else {stmt: line for stmt, (line, _) in tops.items()}


def statement_lines(module: cst.Module) -> dict[cst.CSTNode, int]:
    """First line (leading blank/comment lines included) of each top-level statement."""
    if _LINES and _LINES[0][0] is module:
        return _LINES[0][1]
    lines = None
    parsed = _SOURCE[0] if _SOURCE else None
    tops = parsed.top_statements() if parsed is not None else None
    if parsed is not None and parsed.module is module and tops is not None:
        lines = {stmt: line for stmt, (line, _) in tops.items()}
    elif parsed is not None and not _COUNTS and tops is not None:
        # a codemod changed the parsed tree: count the parsed statements' lines first
        _remember_counts(parsed.module, {stmt: line for stmt, (line, _) in tops.items()})
    if lines is None:
        lines = _lines_from_codegen(module)
    _LINES[:] = [(module, lines)]
    _remember_counts(module, lines)
    return lines


def locate(module: cst.Module, chain: Sequence[cst.CSTNode]) -> tuple[cst.CSTNode, int, list[str]]:
    """Where to start position tracking for a node inside `chain`, the statements that
    enclose it (top-level first): the innermost one that starts its own line in a block,
    the line its code generation starts at, and the indentation of its block.

    Inside a statement the codemods left unchanged, lines come from the parsed source; in one
    they changed, from code generation of the changed parts (`line_spans`). Falls back to the
    top-level statement when `ast` and LibCST disagree on the statements."""
    top = chain[0]
    top_line = statement_lines(module).get(top)
    if top_line is None:
        raise LookupError("not a top-level statement of the module")
    anchor, indents = _anchor(module, chain)
    if anchor is top or not _SOURCE:
        return top, top_line, []
    parsed = _SOURCE[0]
    known = parsed.all_lines()
    line = top_line
    for parent, child in zip(chain, chain[1:], strict=False):
        if parent in known and anchor in known:  # unchanged: offsets as in the source
            return anchor, line + known[anchor] - known[parent], indents
        found = line_of_child(module, parent, child, line, parsed.all_spans())
        if found is None:
            break
        line = found
        if child is anchor:
            return anchor, line, indents
    return top, top_line, []


def start_in_statement(
    module: cst.Module,
    top: cst.CSTNode,
    line: int,
    indents: Sequence[str] = (),
    target: cst.CSTNode | None = None,
) -> dict[cst.CSTNode, Any]:
    """Positions of the nodes of statement `top`, whose code starts at `line` (its leading
    lines included) inside blocks indented by `indents`; with a `target`, code generation
    stops once the target's position is known (a TODO on a `with` line does not generate
    the block below it)."""
    provider = PositionProvider()
    state = StopAt(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        provider=provider,
    )
    state.line = line
    state.indent_tokens = list(indents)
    state.target = target
    try:
        top._codegen(state)  # noqa: SLF001
    except Found:
        pass
    return dict(provider._computed)  # noqa: SLF001


def position(positions: dict[cst.CSTNode, Any], node: cst.CSTNode) -> CodePosition | None:
    found = positions.get(node)
    return found.start if found is not None else None


def _remember_counts(module: cst.Module, lines: dict[cst.CSTNode, int]) -> None:
    """Line spans of each statement, so a codemod's next version of the tree, which
    shares most statements with this one, needs code generation only for the new ones."""
    counts: dict[cst.CSTNode, int] = {}
    for stmt, after in zip(module.body, module.body[1:], strict=False):
        counts[stmt] = lines[after] - lines[stmt]
    _COUNTS.clear()
    _COUNTS.update(counts)


def _lines_from_codegen(module: cst.Module) -> dict[cst.CSTNode, int]:
    lines: dict[cst.CSTNode, int] = {}
    line = 1
    for header in module.header:
        line += module.code_for_node(header).count("\n")
    spans = _SOURCE[0].all_spans() if _SOURCE else {}
    for stmt in module.body:
        lines[stmt] = line
        count = _COUNTS.get(stmt)
        line += count if count is not None else line_count(module, stmt, spans)
    return lines


def _lines_from_ast(module: cst.Module, code: str) -> dict[cst.CSTNode, int] | None:
    tops = _tops_from_ast(module, code)
    return None if tops is None else {stmt: line for stmt, (line, _) in tops.items()}


def _tops_from_ast(
    module: cst.Module, code: str
) -> dict[cst.CSTNode, tuple[int, list[ast.stmt]]] | None:
    """LibCST's top-level statements map onto `ast`'s in order: a simple-statement line
    holds one ast statement per `;`-separated part, a compound statement is one."""
    try:
        body = python_ast.parse(code).body
    except (SyntaxError, ValueError):
        return None
    tops: dict[cst.CSTNode, tuple[int, list[ast.stmt]]] = {}
    index = 0
    for stmt in module.body:
        if index >= len(body):
            return None
        size = len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
        tops[stmt] = (
            _first_line(body[index]) - len(stmt.leading_lines),
            body[index : index + size],
        )
        index += size
    return tops if index == len(body) else None


def _first_line(stmt: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(stmt, "decorator_list", None) or []
    return min([stmt.lineno, *(d.lineno for d in decorators)])


def _inner_from_ast(top: cst.CSTNode, body: list[ast.stmt]) -> dict[cst.CSTNode, int] | None:
    """Both trees' statements in preorder line up one to one (LibCST's simple-statement lines
    and suites hold one `ast` statement per small statement): each LibCST statement's first
    line is its `ast` statement's, minus its leading blank and comment lines."""
    units: list[tuple[cst.CSTNode | None, int]] = []
    _cst_units(top, units)
    stmts: list[ast.stmt] = []
    for stmt in body:
        _ast_units(stmt, stmts)
    lines: dict[cst.CSTNode, int] = {}
    index = 0
    for node, size in units:
        if index + size > len(stmts):
            return None
        if node is not None:
            found = stmts[index]
            name = type(found).__name__.removeprefix("Async")
            compound = not isinstance(node, cst.SimpleStatementLine)
            if (name == type(node).__name__) != compound or (not compound and name in _COMPOUND):
                return None
            leading = getattr(node, "leading_lines", ())
            lines[node] = _first_line(found) - len(leading)
        index += size
    return lines if index == len(stmts) else None


def _cst_units(stmt: cst.CSTNode, out: list[tuple[cst.CSTNode | None, int]]) -> None:
    """(statement, ast statements it holds itself) in preorder; None for a suite's line."""
    if isinstance(stmt, cst.SimpleStatementLine):
        out.append((stmt, len(stmt.body)))
        return
    out.append((stmt, 1))
    for suite in suites(stmt):
        if isinstance(suite, cst.SimpleStatementSuite):
            out.append((None, len(suite.body)))
        elif isinstance(suite, cst.IndentedBlock):
            for inner in suite.body:
                _cst_units(inner, out)
        else:  # an `elif`
            _cst_units(suite, out)


def _ast_units(stmt: ast.stmt, out: list[ast.stmt]) -> None:
    out.append(stmt)
    for child in ast.iter_child_nodes(stmt):
        if isinstance(child, ast.stmt):
            _ast_units(child, out)
        elif isinstance(child, (ast.excepthandler, ast.match_case)):
            for sub in ast.iter_child_nodes(child):
                if isinstance(sub, ast.stmt):
                    _ast_units(sub, out)


def _anchor(module: cst.Module, chain: Sequence[cst.CSTNode]) -> tuple[cst.CSTNode, list[str]]:
    """The innermost statement of `chain` in a block body, and the blocks' indentation."""
    anchor, indents, levels = chain[0], [], []
    for parent, child in zip(chain, chain[1:], strict=False):
        block = next(
            (
                s
                for s in suites(parent)
                if isinstance(s, cst.IndentedBlock) and any(b is child for b in s.body)
            ),
            None,
        )
        if block is not None:
            if isinstance(parent, cst.Match):  # its cases are indented, then their blocks
                levels.append(module.default_indent if parent.indent is None else parent.indent)
            levels.append(module.default_indent if block.indent is None else block.indent)
            anchor, indents = child, list(levels)
        elif not any(s is child for s in suites(parent)):
            break  # not a chain of enclosing statements: stop at what is known
    return anchor, indents
