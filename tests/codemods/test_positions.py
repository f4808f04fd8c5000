"""Statement lines from `ast` must equal what code generation (and PositionProvider) says."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from codemods import positions

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

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


@pytest.mark.parametrize("path", [None, *sorted(CORPUS.rglob("*.py"))], ids=str)
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
