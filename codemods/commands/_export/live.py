"""The live-session export: swap a TF1 export callee and insert the generated block once.

Where the re-traced `tf.Module` cannot be proven (see `command.py`), a `simple_save(...)` call
becomes `simple_save_tf2(...)` and a `SavedModelBuilder(...)` construction becomes
`SavedModelBuilderTF2(...)`: drop-in replacements defined by the block of plain TensorFlow in
`live_template.py`, inserted after the module's imports. A module that already holds the block
(a second run, or a second export codemod) does not get it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import libcst as cst

from codemods.analysis.names import dotted_name
from codemods.commands._export.live_template import BUILDER, SIMPLE_SAVE, live_export_source
from codemods.engine.node_index import find_all

LIVE_TF = "_live_tf"  # the block's own TensorFlow import
BLOCK_NAMES = frozenset({SIMPLE_SAVE, BUILDER, LIVE_TF})


@cache
def _block() -> cst.Module:
    return cst.parse_module(live_export_source())


def has_block(module: cst.Module) -> bool:
    """Does the module define the block's replacements at top level (an earlier insertion)?"""
    defined = {s.name.value for s in module.body if isinstance(s, (cst.ClassDef, cst.FunctionDef))}
    return {SIMPLE_SAVE, BUILDER, "LiveExportModule"} <= defined


def _is_import(statement: cst.BaseStatement) -> bool:
    """`import x` / `from x import y`, or a try/if whose every branch only imports."""
    if isinstance(statement, cst.SimpleStatementLine):
        return all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body)
    if isinstance(statement, (cst.Try, cst.If)):
        blocks: list[cst.BaseSuite] = [statement.body]
        if isinstance(statement, cst.Try):
            blocks += [h.body for h in statement.handlers]
        elif statement.orelse is not None:
            blocks.append(statement.orelse.body)
        return all(
            isinstance(block, cst.IndentedBlock) and all(_is_import(s) for s in block.body)
            for block in blocks
        )
    return False


def imports_tensorflow(module: cst.Module) -> bool:
    """Does the module import TensorFlow at top level (the block then adds no import cost)?"""
    for statement in module.body:
        if _is_import(statement):
            names = [dotted_name(a.name) for i in find_all(statement, cst.Import) for a in i.names]
            names += [
                dotted_name(i.module) for i in find_all(statement, cst.ImportFrom) if i.module
            ]
            if any(n and n.split(".")[0] == "tensorflow" for n in names):
                return True
    return False


def _is_docstring(statement: cst.BaseStatement) -> bool:
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    return isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString)


def insertion_index(body: Sequence[cst.BaseStatement]) -> int:
    """After the last import of the module's header (its leading non-def statements)."""
    index = 0
    for position, statement in enumerate(body):
        if _is_import(statement):
            index = position + 1
        elif isinstance(statement, cst.BaseCompoundStatement):
            break
        elif index == 0 and _is_docstring(statement):
            index = position + 1
    return index


def with_block(module: cst.Module) -> cst.Module:
    """`module` with the block inserted after its imports, separated by blank lines."""
    block = _block()
    body = list(module.body)
    index = insertion_index(body)
    blank = cst.EmptyLine()
    statements = list(block.body)
    statements[0] = statements[0].with_changes(leading_lines=[blank, *block.header])
    if index < len(body):
        following = body[index]
        lines = [*block.footer, blank, *following.leading_lines]
        body[index] = following.with_changes(leading_lines=lines)
        return module.with_changes(body=[*body[:index], *statements, *body[index:]])
    return module.with_changes(body=[*body, *statements], footer=[*block.footer, *module.footer])
