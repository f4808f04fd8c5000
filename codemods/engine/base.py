"""What every tf-migrate codemod shares: name resolution, TODO comments, structured findings.

A site that cannot be converted safely is left unchanged; its statement gets a
`# TODO(tf-migrate): CODE: what to do` comment (added once, so reruns stay idempotent) and a
`Finding` with line:col and a stable code that the runner puts in the report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, cast

import libcst as cst
from libcst.codemod import Codemod, CodemodContext, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import CodePosition, PositionProvider

from codemods.analysis.names import AliasTable
from codemods.engine import positions
from codemods.engine.node_index import find_all, paths_to
from codemods.engine.traverse import concrete, hooks, visit

TODO_PREFIX = "# TODO(tf-migrate): "

_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)
_STATEMENT_TYPES = concrete(*_STATEMENTS)  # for the per-node checks: no ABC isinstance
_NO_DEFAULT: Any = object()
_MATCHER_ATTRS = (
    "_call_if_inside_matcher",
    "_call_if_not_inside_matcher",
    "_visit_matcher",
    "_leave_matcher",
)


@dataclass(frozen=True)
class Finding:
    """An unconvertible site: where it is, a stable code, and what the user should do."""

    line: int
    col: int
    code: str
    message: str
    cell: int | None = None  # notebooks: index of the code cell, `line` counts within it

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"line": self.line, "col": self.col, "code": self.code}
        data["message"] = self.message
        if self.cell is not None:
            data["cell"] = self.cell
        return data


class TFMigrateCommand(VisitorBasedCodemodCommand):
    """Base class: alias table per module, TODO comments attached to the enclosing statement."""

    NAME: ClassVar[str] = ""
    DESCRIPTION: str = ""
    # The runner skips parsing a file for this codemod unless one of these substrings occurs.
    TRIGGERS: ClassVar[tuple[str, ...]] = ()
    # Every TODO code this codemod can emit, with a one-line explanation (documented).
    TODO_CODES: ClassVar[dict[str, str]] = {}
    # Positions cost about three parses (a position-tracking code generation of the whole
    # module) and are only needed where a TODO is reported, so `get_metadata` resolves
    # PositionProvider on first use instead of declaring it here. Subclasses that need
    # other providers still declare them in METADATA_DEPENDENCIES as usual.
    METADATA_DEPENDENCIES = ()

    def __init__(self, context: CodemodContext) -> None:
        # LibCST's matcher-decorator machinery costs ~4x a plain traversal, and setting it up
        # introspects every method (~25 ms per instance): skip both unless this class uses
        # @m.visit / @m.leave / @m.call_if_inside decorators.
        if _uses_matcher_decorators(type(self)):
            super().__init__(context)
        else:
            Codemod.__init__(self, context)
            cst.CSTTransformer.__init__(self)
            self._extra_visit_funcs, self._extra_leave_funcs, self._matchers = {}, {}, {}
        self._decorated = bool(self._extra_visit_funcs or self._extra_leave_funcs or self._matchers)
        self._hooks = hooks(type(self))
        self.aliases = AliasTable()
        self.findings: list[Finding] = []
        self._statements: list[cst.CSTNode] = []
        self._todos: dict[cst.CSTNode, list[str]] = {}
        self._tf2: str | None = None
        self.changed = False  # set by subclasses when they rewrite a site
        self._paths: set[int] | None = None  # ids of nodes on a path to a focus node

    # -- traversal bookkeeping -------------------------------------------------------------
    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        """LibCST's driver only where matchers or attribute hooks need it (see traverse.py)."""
        return cast(cst.Module, visit(tree, self))

    def visit_Module(self, node: cst.Module) -> bool:
        self.aliases = AliasTable.from_module(node)
        return True

    def focus(self) -> Iterable[cst.CSTNode] | None:
        """The nodes this codemod's hooks act on, once `visit_Module` has planned; None: all.

        The transform then enters only the subtrees that hold one: on a typical file most
        statements are skipped instead of walked (and rebuilt) for nothing. Hooks on any other
        node must be no-ops.
        """
        return None

    def on_visit(self, node: cst.CSTNode) -> bool:
        if type(node) in _STATEMENT_TYPES:
            self._statements.append(node)
        if self._decorated:
            return super().on_visit(node)
        if self._paths is not None and id(node) not in self._paths:
            return False
        hook = self._hooks.visit(type(node))  # what CSTTransformer.on_visit does, cached
        descend = hook is None or hook(self, node) is not False
        if type(node) is cst.Module:
            focus = self.focus()
            self._paths = None if focus is None else paths_to(node, focus)
        return descend

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        if self._decorated:
            result = super().on_leave(original_node, updated_node)
        else:
            leave = self._hooks.leave(type(original_node))
            result = updated_node if leave is None else leave(self, original_node, updated_node)
        if type(original_node) in _STATEMENT_TYPES:
            self._statements.pop()
            comments = self._todos.pop(original_node, None)
            if comments and isinstance(result, _STATEMENTS):
                result = _with_comments(result, comments)
        return result

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if self._decorated or self._hooks.attributes:
            super().on_visit_attribute(node, attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        if self._decorated or self._hooks.attributes:
            super().on_leave_attribute(original_node, attribute)

    def get_metadata(self, key: Any, node: cst.CSTNode, default: Any = _NO_DEFAULT) -> Any:
        """Like LibCST's, but PositionProvider is resolved on first use (see above)."""
        if key is not PositionProvider or key in self.get_inherited_dependencies():
            if default is _NO_DEFAULT:
                return super().get_metadata(key, node)
            return super().get_metadata(key, node, default)
        if key not in self.metadata:
            wrapper = self.context.wrapper
            if wrapper is None:
                raise KeyError(
                    "PositionProvider needs a MetadataWrapper (run via transform_module)"
                )
            self.metadata = {**self.metadata, key: wrapper.resolve(key)}
        positions = self.metadata[key]
        return positions[node] if default is _NO_DEFAULT else positions.get(node, default)

    # -- helpers for subclasses ------------------------------------------------------------
    def qualify(self, node: cst.BaseExpression) -> str | None:
        return self.aliases.qualify(node)

    def todo(self, node: cst.CSTNode, code: str, message: str) -> None:
        """Flag `node` as unconvertible: a TODO on its statement, a warning, a Finding."""
        assert code in self.TODO_CODES, f"undocumented TODO code {code}"
        start = self._start(node)
        self.findings.append(Finding(start.line, start.column + 1, code, message))
        self.warn(f"{code}: {message}")
        self.add_comment(TODO_PREFIX + f"{code}: {message}")

    def _start(self, node: cst.CSTNode) -> CodePosition:
        """Where `node` starts: positions for the innermost statement holding it that starts
        its own line, else for its top-level statement, else the whole module (positions.py)."""
        wrapper = self.context.wrapper
        if wrapper is None or not self._statements or PositionProvider in self.metadata:
            return cast(CodePosition, self.get_metadata(PositionProvider, node).start)
        module = wrapper.module
        try:
            anchor, line, indents = positions.locate(module, self._statements)
        except LookupError:
            return cast(CodePosition, self.get_metadata(PositionProvider, node).start)
        # code generation of that statement only up to the node: usually a few lines
        computed = positions.start_in_statement(module, anchor, line, indents, target=node)
        found = positions.position(computed, node)
        if found is None and anchor is not self._statements[0]:
            top, line, _ = positions.locate(module, self._statements[:1])
            computed = positions.start_in_statement(module, top, line, target=node)
            found = positions.position(computed, node)
        return found if found is not None else self.get_metadata(PositionProvider, node).start

    def add_comment(self, comment: str) -> None:
        """Put a `# ...` line above the statement being visited (once; reruns stay stable)."""
        if self._statements:
            self._todos.setdefault(self._statements[-1], []).append(comment)

    def keep_comments(self, original: cst.CSTNode, replacement: cst.CSTNode) -> None:
        """Comments inside a replaced expression move above its statement, never vanish."""
        kept = {c.value for c in _comments(replacement)}
        for comment in _comments(original):
            if comment.value not in kept:
                self.add_comment(comment.value)

    def tf2(self) -> str:
        """A local name for the TF2 `tensorflow` package, importing it when none is bound."""
        if self._tf2 is None:
            handle = self.aliases.tf2_handle()
            if handle is None:
                handle = "tf" if "tf" not in self.aliases.bindings else "tf2"
                AddImportsVisitor.add_needed_import(self.context, "tensorflow", asname=handle)
            self._tf2 = handle
        return self._tf2

    def tf2_attr(self, dotted: str) -> cst.Attribute:
        """`tf.train.Checkpoint`-style expression rooted at the TF2 handle."""
        expr = cst.parse_expression(f"{self.tf2()}.{dotted}")
        assert isinstance(expr, cst.Attribute)
        return expr


@cache
def _uses_matcher_decorators(cls: type) -> bool:
    """Whether a method of `cls` (below LibCST's own classes) carries a matcher decorator."""
    own = cls.__mro__[: cls.__mro__.index(VisitorBasedCodemodCommand)]
    return any(hasattr(f, a) for k in own for f in vars(k).values() for a in _MATCHER_ATTRS)


def _comments(node: cst.CSTNode) -> list[cst.Comment]:
    return find_all(node, cst.Comment)


def _with_comments(stmt: cst.CSTNode, comments: list[str]) -> cst.CSTNode:
    assert isinstance(stmt, _STATEMENTS)
    existing = {line.comment.value for line in stmt.leading_lines if line.comment is not None}
    added = [
        cst.EmptyLine(comment=cst.Comment(text))
        for text in dict.fromkeys(comments)
        if text not in existing
    ]
    if not added:
        return stmt
    return stmt.with_changes(leading_lines=[*stmt.leading_lines, *added])
