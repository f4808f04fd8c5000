"""What every tf-migrate codemod shares: name resolution, TODO comments, structured findings.

A site that cannot be converted safely is left unchanged; its statement gets a
`# TODO(tf-migrate): CODE: what to do` comment (added once, so reruns stay idempotent) and a
`Finding` with line:col and a stable code that the runner puts in the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import PositionProvider

from codemods.names import AliasTable

TODO_PREFIX = "# TODO(tf-migrate): "

_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)


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
    DESCRIPTION: ClassVar[str] = ""
    # The runner skips parsing a file for this codemod unless one of these substrings occurs.
    TRIGGERS: ClassVar[tuple[str, ...]] = ()
    # Every TODO code this codemod can emit, with a one-line explanation (documented).
    TODO_CODES: ClassVar[dict[str, str]] = {}
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context: CodemodContext) -> None:
        super().__init__(context)
        self.aliases = AliasTable()
        self.findings: list[Finding] = []
        self._statements: list[cst.CSTNode] = []
        self._todos: dict[cst.CSTNode, list[str]] = {}
        self._tf2: str | None = None
        self.changed = False  # set by subclasses when they rewrite a site

    # -- traversal bookkeeping -------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        self.aliases = AliasTable.from_module(node)
        return True

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, _STATEMENTS):
            self._statements.append(node)
        return super().on_visit(node)

    def on_leave(
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        result = super().on_leave(original_node, updated_node)
        if isinstance(original_node, _STATEMENTS):
            self._statements.pop()
            comments = self._todos.pop(original_node, None)
            if comments and isinstance(result, _STATEMENTS):
                result = _with_comments(result, comments)
        return result

    # -- helpers for subclasses ------------------------------------------------------------
    def qualify(self, node: cst.BaseExpression) -> str | None:
        return self.aliases.qualify(node)

    def todo(self, node: cst.CSTNode, code: str, message: str) -> None:
        """Flag `node` as unconvertible: a TODO on its statement, a warning, a Finding."""
        assert code in self.TODO_CODES, f"undocumented TODO code {code}"
        start = self.get_metadata(PositionProvider, node).start
        self.findings.append(Finding(start.line, start.column + 1, code, message))
        self.warn(f"{code}: {message}")
        self.add_comment(TODO_PREFIX + f"{code}: {message}")

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


def _comments(node: cst.CSTNode) -> list[cst.Comment]:
    return [c for c in m.findall(node, m.Comment()) if isinstance(c, cst.Comment)]


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
