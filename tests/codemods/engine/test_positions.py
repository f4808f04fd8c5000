"""Statement lines from `ast` must equal what code generation (and PositionProvider) says."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from codemods.engine import positions
from tests.codemods.conftest import CORPUS

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
