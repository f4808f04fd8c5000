"""Apply codemods to one piece of source text; no file I/O here.

Parsing is the main cost, so a codemod runs only when one of its trigger substrings occurs,
and a file none of them could touch is never parsed. The result must re-parse, otherwise
the rewrite is refused rather than written.

Each codemod runs as LibCST's `Codemod.transform_module` would run it, minus costs that
buy nothing here (measured by `benchmarks.rewrite_throughput`): the defensive deep copy
`MetadataWrapper` makes of the tree (parsed nodes are already unique; after a codemod
changed the tree, `unique_nodes` copies only nodes it reused), and full walks for
`AddImportsVisitor`, which only ever reads leading imports and edits top-level import
statements, and the scope analysis of `RemoveImportsVisitor` (`unused_imports`). Codemods
that ask for multiple passes keep LibCST's own path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import MetadataWrapper

from codemods.engine import positions, python_ast
from codemods.engine.base import Finding, TFMigrateCommand
from codemods.engine.node_index import unique_nodes
from codemods.engine.splice import module_code
from codemods.engine.unused_imports import remove_queued_imports


class RewriteError(Exception):
    """The source cannot be rewritten: it does not parse, or the output would not."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class RewriteOutcome:
    code: str
    applied: tuple[str, ...]
    findings: tuple[Finding, ...]


def mentions_tensorflow(text: str) -> bool:
    """Cheap pre-filter: a file that never says `tensorflow` cannot import it."""
    return "tensorflow" in text


def rewrite_code(
    code: str, commands: Sequence[type[TFMigrateCommand]], filename: str = "<string>"
) -> RewriteOutcome:
    """Run `commands` in order over `code`; raise RewriteError if it cannot be parsed."""
    if not mentions_tensorflow(code):
        return RewriteOutcome(code, (), ())
    active = [c for c in commands if any(t in code for t in c.TRIGGERS)]
    if not active:  # nothing to rewrite, but a broken file must still be reported
        _check_reparses(code, "does not parse")
        return RewriteOutcome(code, (), ())
    try:
        module = cst.parse_module(code)
    except cst.ParserSyntaxError as error:
        _check_reparses(code, "does not parse")  # CPython names the line and cause better
        raise RewriteError(f"does not parse: {error.message}", error.raw_line) from None
    positions.remember_source(module, code)
    parsed = module
    applied: list[str] = []
    findings: list[Finding] = []
    for index, command_class in enumerate(active):
        command = command_class(CodemodContext(filename=filename))
        result = _transform(command, module)
        findings.extend(command.findings)
        if command.changed:
            applied.append(command.NAME)
        if command.changed or command.findings or command.context.scratch:
            last = index == len(active) - 1  # only a next codemod needs unique nodes
            module = result if last else unique_nodes(result)
    new_code = module_code(module, parsed, code) if applied or findings else code
    if new_code != code:
        _check_reparses(new_code, "rewritten code does not parse")
    return RewriteOutcome(new_code, tuple(applied), tuple(findings))


def _transform(command: TFMigrateCommand, module: cst.Module) -> cst.Module:
    """`command.transform_module(module)` without the copy: every node of `module` is unique."""
    if command.should_allow_multiple_passes():
        return command.transform_module(module)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    outer = command.context
    with command.resolve(wrapper):  # what Codemod._handle_metadata_reference does
        command.context = replace(outer, wrapper=wrapper)
        try:
            tree = command.transform_module_impl(wrapper.module)
        finally:
            command.context = replace(command.context, wrapper=outer.wrapper)
    # What CodemodCommand.transform_module runs afterwards, in the same order.
    if AddImportsVisitor.CONTEXT_KEY in command.context.scratch:
        adder = _TopLevelAddImports(command.context)
        with adder.resolve(MetadataWrapper(tree, unsafe_skip_copy=True)):
            tree = tree.visit(adder)
    if RemoveImportsVisitor.CONTEXT_KEY in command.context.scratch:
        tree = remove_queued_imports(command.context, tree)
    return tree


class _TopLevelAddImports(AddImportsVisitor):
    """AddImportsVisitor that walks only the module's top-level statements.

    It only edits the Module (inserting imports) and top-level `from` imports it gathered
    itself; descending into function bodies and expressions visits nodes it never touches.
    It declares no metadata and keys nothing by node identity, so it needs no tree copy.
    """

    def visit_Module(self, node: cst.Module) -> None:
        # LibCST gathers the imports already present by walking the whole module, but only
        # reads the leading run of import lines (after an optional docstring): walk just those.
        body = list(node.body[:1])
        for stmt in node.body[1:]:
            if not (
                isinstance(stmt, cst.SimpleStatementLine)
                and isinstance(stmt.body[0], (cst.Import, cst.ImportFrom))
            ):
                break
            body.append(stmt)
        super().visit_Module(node.with_changes(body=body))

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Module):
            return super().on_visit(node)
        return isinstance(node, cst.SimpleStatementLine)  # reach top-level ImportFrom nodes


def _check_reparses(code: str, what: str) -> None:
    """`ast.parse` is cheaper than a LibCST parse and reports the failing line."""
    try:
        python_ast.parse(code)
    except SyntaxError as error:
        raise RewriteError(f"{what}: {error.msg}", error.lineno) from None
