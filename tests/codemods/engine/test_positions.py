"""Statement lines from `ast` must equal what code generation (and PositionProvider) says."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from codemods.engine import positions
from codemods.engine.traverse import children
from tests.codemods.conftest import CORPUS, ROOT

REAL = ROOT.parent / "shared" / "tf1_code" / "files"
NESTED = """class A:
    # a comment
    @dec
    def f(self):
        if a:
            x = 1; y = (2 +
                3)
        elif b:  # trailing
            try:
                pass
            except E:
                z = [i for i in
                     range(3)]
            finally:
                w = 1
        else:
            for i in x: y = i
            with a as b:
              q = 1
    async def g(self):
        async with a: pass
        match x:
            case 1:
                v = 2
def h():
\tif x:
\t\treturn [1,
\t\t\t2]
"""
TRICKY = '''#!/usr/bin/env python
# header comment

"""doc"""
import a; import b
x = (1 +
     2)  # continued

# before a decorator
@dec
# between decorators
@other(
    1,
)
def f():
    return """
    multi
    line"""
y = 1 \\
    + 2
class C: pass
if x:
    pass
else:
    pass
'''


@pytest.mark.parametrize("path", [None, *sorted(CORPUS.parent.rglob("*.py"))], ids=str)
def test_ast_lines_match_code_generation(path: Path | None) -> None:
    code = TRICKY if path is None else path.read_text(encoding="utf-8")
    module = cst.parse_module(code)
    from_ast = positions._lines_from_ast(module, code)  # noqa: SLF001
    assert from_ast is not None
    assert from_ast == positions._lines_from_codegen(module)  # noqa: SLF001


def test_node_start_matches_position_provider() -> None:
    module = cst.parse_module(TRICKY)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    expected = wrapper.resolve(PositionProvider)
    positions.remember_source(module, TRICKY)
    lines = positions.statement_lines(module)
    for top in module.body:
        computed = positions.start_in_statement(module, top, lines[top])
        for node in computed:
            assert positions.position(computed, node) == expected[node].start


def test_lines_of_a_changed_tree_reuse_counts_and_stay_exact() -> None:
    module = cst.parse_module(TRICKY)
    positions.remember_source(module, TRICKY)
    positions.statement_lines(module)
    grown = cst.parse_statement("z = [\n    1,\n    2,\n]\n")
    changed = module.with_changes(body=[*module.body[:2], grown, *module.body[3:]])
    lines = positions.statement_lines(changed)
    fresh = changed.deep_clone()  # new node objects: nothing known about them, all generated
    expected = positions._lines_from_codegen(fresh)  # noqa: SLF001
    assert [lines[s] for s in changed.body] == [expected[s] for s in fresh.body]
    assert lines[changed.body[3]] == lines[grown] + 4  # the statements after it moved down


def _chains(node: cst.CSTNode, chain: list[cst.CSTNode]) -> list[list[cst.CSTNode]]:
    """Every chain of enclosing statements, top-level first, as the transform keeps them."""
    if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        chain = [*chain, node]
    found = [chain] if chain and chain[-1] is node else []
    for child in children(node, semantic=True):
        found += _chains(child, chain)
    return found


def _real_sources() -> list[Path]:
    real = sorted(REAL.glob("*.py")) if REAL.is_dir() else []
    return [*sorted(CORPUS.rglob("before.py")), *real]


@pytest.mark.parametrize("path", [None, *_real_sources()], ids=str)
def test_inner_statement_positions_match_position_provider(path: Path | None) -> None:
    """Position tracking from the innermost statement, with the line from `ast` and the
    block's indentation, gives every node exactly PositionProvider's start."""
    code = NESTED if path is None else path.read_text(encoding="utf-8", errors="replace")
    try:
        module = cst.parse_module(code)
    except cst.ParserSyntaxError:
        pytest.skip("LibCST cannot parse it; rewrite reports it as failed")
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    positions.remember_source(module, code)
    inner = 0
    for chain in _chains(module, []):
        anchor, line, indents = positions.locate(module, chain)
        inner += anchor is not chain[0]
        computed = positions.start_in_statement(module, anchor, line, indents)
        assert chain[-1] in computed or anchor is not chain[-1]
        for node, found in computed.items():
            assert found.start == expected[node].start, (type(node).__name__, line)
        for node in children(chain[-1], semantic=True)[:3]:  # code generation stops after it
            stopped = positions.start_in_statement(module, anchor, line, indents, target=node)
            assert stopped[node].start == expected[node].start
    if path is None:
        assert inner > 10  # the nested statements were located without their top-level one


class _GrowOne(cst.CSTTransformer):
    """Replaces the `which`-th statement nested in a block by one spanning three lines."""

    def __init__(self, which: int) -> None:
        super().__init__()
        self.which, self.seen, self.depth = which, 0, 0

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.depth += 1

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        self.depth -= 1
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement:
        if self.depth == 0:
            return updated_node
        self.seen += 1
        return (
            cst.parse_statement("z = [\n    1,\n    2]\n")
            if self.seen == self.which
            else updated_node
        )


@pytest.mark.parametrize("path", [None, *sorted(CORPUS.rglob("before.py"))], ids=str)
def test_positions_in_a_changed_tree_match_position_provider(path: Path | None) -> None:
    """After a codemod grew one nested statement, lines come from the source's spans of the
    unchanged statements plus code generation of the changed parts: still exact."""
    from codemods.engine.traverse import visit  # noqa: PLC0415

    code = NESTED if path is None else path.read_text(encoding="utf-8")
    module = cst.parse_module(code)
    positions.remember_source(module, code)
    positions.statement_lines(module)
    changed = visit(module, _GrowOne(2))
    if changed is module:
        pytest.skip("no nested statement to grow")
    expected = MetadataWrapper(changed, unsafe_skip_copy=True).resolve(PositionProvider)
    for chain in _chains(changed, []):
        anchor, line, indents = positions.locate(changed, chain)
        computed = positions.start_in_statement(changed, anchor, line, indents)
        for node, found in computed.items():
            assert found.start == expected[node].start, (type(node).__name__, line)
