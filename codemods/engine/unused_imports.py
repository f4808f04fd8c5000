"""Drop the imports a codemod queued with `RemoveImportsVisitor.remove_unused_import`.

LibCST's `RemoveImportsVisitor.transform_module` copies the tree and runs full scope analysis
to learn which of the queued imports are still used; on a long real file that cost several
times the parse (issue 16's benchmark: 3.4 s of 3.6 s on a 2,000-line test file). Here the
question is answered conservatively from one fast walk: an import stays when its local name
occurs anywhere else in the module as a `Name` that can read a variable (not `x.name` or a
`name=` keyword; a local that shadows it counts as a use) or inside any string (`__all__`,
string annotations). The removal itself is LibCST's own `leave_Import` /
`leave_ImportFrom` (comma and comment handling unchanged), driven over import statements only.
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import RemoveImportsVisitor

from codemods.engine.traverse import visit


def remove_queued_imports(context: CodemodContext, tree: cst.Module) -> cst.Module:
    """`RemoveImportsVisitor(context).transform_module(tree)`, minus the scope analysis."""
    remover = _QueuedImports(context)
    if not remover.unused_module_imports and not remover.unused_obj_imports:
        return tree
    used = _NamesInUse()
    visit(tree, used)
    queued = _QueuedAliases(remover, used)
    visit(tree, queued)
    if not queued.unused:
        return tree
    remover.unused = queued.unused
    result: cst.Module = visit(tree, remover)
    return result


class _QueuedImports(RemoveImportsVisitor):
    """LibCST's edits, with the unused aliases decided beforehand (`unused`)."""

    def __init__(self, context: CodemodContext) -> None:
        super().__init__(context)
        self.unused: dict[cst.ImportAlias, cst.Import | cst.ImportFrom] = {}

    def visit_Module(self, node: cst.Module) -> None:
        self._unused_imports = self.unused

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in node.body)


class NameReads(cst.CSTVisitor):
    """Base for visitors of the names that can read a variable: import statements are not
    entered, and `x.name` / `name=` Name nodes are skipped (`read` is not called for them).
    Subclasses add to `skip` (ids of Name nodes) for other non-reads."""

    def __init__(self) -> None:
        super().__init__()
        self.skip: set[int] = set()

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.skip.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.skip.add(id(node.keyword))

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self.skip:
            self.read(node)

    def read(self, node: cst.Name) -> None:
        """A Name that may read a variable."""


class _NamesInUse(NameReads):
    """Every identifier outside import statements that may read a variable, and every
    string's text."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.strings: list[str] = []

    def read(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.strings.append(node.value)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self.strings.append(node.value)

    def mentions(self, name: str) -> bool:
        return name in self.names or any(name in text for text in self.strings)


class _QueuedAliases(cst.CSTVisitor):
    """The queued aliases whose local name nothing else mentions."""

    def __init__(self, remover: _QueuedImports, used: _NamesInUse) -> None:
        super().__init__()
        self.remover, self.used = remover, used
        self.unused: dict[cst.ImportAlias, cst.Import | cst.ImportFrom] = {}

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in node.body)

    def visit_Import(self, node: cst.Import) -> bool:
        modules = self.remover.unused_module_imports
        for alias in node.names:
            name = alias.evaluated_name
            if name in modules and alias.evaluated_alias == modules[name]:
                self._check(alias, node)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if isinstance(node.names, cst.ImportStar) or node.module is None or node.relative:
            return False
        module = cst.Module([]).code_for_node(node.module)
        wanted = self.remover.unused_obj_imports.get(module, set())
        for alias in node.names:
            if (alias.evaluated_name, alias.evaluated_alias) in wanted:
                self._check(alias, node)
        return False

    def _check(self, alias: cst.ImportAlias, node: cst.Import | cst.ImportFrom) -> None:
        local = alias.evaluated_alias or alias.evaluated_name.split(".")[0]
        if not self.used.mentions(local):
            self.unused[alias] = node
