"""Statement lines in a tree a codemod already changed, without generating unchanged code.

Once a codemod has rewritten part of a module, the lines of its statements are no longer
those of the source. Node objects the codemod did not touch are reused as they are, so the
number of lines each one spans is still known from the parsed source (the gap between its
first line and its next sibling's). Code generation is then needed only for what changed,
with every statement of known span taken out of its block first: a function whose one call
was rewritten costs a few lines of code generation, not the whole function.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from codemods.engine.traverse import children, semantic_fields

_CLAUSES = (cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally, cst.MatchCase)
HOLDERS = (*_CLAUSES, cst.If)  # what can hold a block inside a compound statement


def suites(stmt: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The blocks of a compound statement in code order, and an `elif` as itself."""
    for child in children(stmt, semantic=True):
        if isinstance(child, (cst.IndentedBlock, cst.SimpleStatementSuite, cst.If)):
            yield child
        elif isinstance(child, _CLAUSES):
            yield from suites(child)


def spans_of(module: cst.Module, lines: dict[cst.CSTNode, int]) -> dict[cst.CSTNode, int]:
    """Lines spanned by each statement followed by a sibling, from every statement's line."""
    bodies: list[Sequence[cst.CSTNode]] = [module.body]
    for stmt in lines:
        if not isinstance(stmt, cst.SimpleStatementLine):
            bodies += [s.body for s in suites(stmt) if isinstance(s, cst.IndentedBlock)]
    spans: dict[cst.CSTNode, int] = {}
    for body in bodies:
        for first, after in zip(body, body[1:], strict=False):
            if first in lines and after in lines:
                spans[first] = lines[after] - lines[first]
    return spans


def line_count(module: cst.Module, stmt: cst.CSTNode, spans: dict[cst.CSTNode, int]) -> int:
    """Newlines in `stmt`'s code (what `code_for_node(stmt).count("\\n")` says)."""
    known = spans.get(stmt)
    if known is not None:
        return known
    shrinker = _Shrinker(spans, None)
    shrunk = shrinker.node(stmt)
    return module.code_for_node(shrunk).count("\n") + shrinker.removed


def line_of_child(
    module: cst.Module,
    parent: cst.CSTNode,
    child: cst.CSTNode,
    line: int,
    spans: dict[cst.CSTNode, int],
) -> int | None:
    """The line where `child`'s code starts, `parent`'s code starting at `line`; `child` is a
    statement in one of `parent`'s blocks, or its `elif`."""
    shrinker = _Shrinker(spans, child)
    shrunk = shrinker.node(parent)
    state = StopAt(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        provider=PositionProvider(),
    )
    state.line = line
    state.before = child
    try:
        shrunk._codegen(state)  # noqa: SLF001
    except Found:
        return state.found_line + shrinker.removed
    return None


class _Shrinker:
    """Takes statements of known span out of blocks, up to `stop` (which stays)."""

    def __init__(self, spans: dict[cst.CSTNode, int], stop: cst.CSTNode | None) -> None:
        self.spans, self.stop = spans, stop
        self.removed = 0  # lines taken out before `stop`
        self.reached = False

    def node(self, node: cst.CSTNode) -> cst.CSTNode:
        changes: dict[str, Any] = {}
        for name in semantic_fields(node):
            if self.reached:
                break
            value = getattr(node, name)
            if value is self.stop:
                self.reached = True
            elif isinstance(value, cst.IndentedBlock):
                changes[name] = self.block(value)
            elif isinstance(value, HOLDERS):
                changes[name] = self.node(value)
            elif type(value) is tuple and any(isinstance(v, HOLDERS) for v in value):
                changes[name] = tuple(
                    v if self.reached or not isinstance(v, HOLDERS) else self.node(v) for v in value
                )
        return node.with_changes(**changes) if changes else node

    def block(self, block: cst.IndentedBlock) -> cst.IndentedBlock:
        body: list[cst.BaseStatement] = []
        last = len(block.body) - 1
        for index, stmt in enumerate(block.body):
            if self.reached:
                body.append(stmt)
                continue
            if stmt is self.stop:
                self.reached = True
                body.append(stmt)
                continue
            span = self.spans.get(stmt)
            if span is not None and (index < last or body):  # an emptied block gains a `pass`
                self.removed += span
                continue
            kept = stmt if isinstance(stmt, cst.SimpleStatementLine) else self.node(stmt)
            body.append(kept)  # type: ignore[arg-type]
        return block.with_changes(body=body)


class Found(Exception):
    """The node looked for is reached: the rest of the code is not needed."""


class StopAt(PositionProvidingCodegenState):
    """PositionProvider's code generation state that stops (raises `Found`) just before
    `before` or just after `target`."""

    target: cst.CSTNode | None = None
    before: cst.CSTNode | None = None
    found_line: int = 0

    def before_codegen(self, node: cst.CSTNode) -> None:
        if node is self.before:
            self.found_line = self.line
            raise Found
        super().before_codegen(node)

    def after_codegen(self, node: cst.CSTNode) -> None:
        super().after_codegen(node)
        if node is self.target:
            raise Found

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        """LibCST's, but an enclosing node's range is not recorded once `Found` unwinds
        (it would look up the end of a child that was never generated)."""
        start = CodePosition(self.line, self.column)
        yield
        end = CodePosition(self.line, self.column)
        computed: Any = self.provider._computed  # noqa: SLF001
        start = computed[start_node].start if start_node is not None else start
        end = computed[end_node].end if end_node is not None else end
        computed[node] = CodeRange(start, end)
