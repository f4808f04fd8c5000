"""`module_code` must equal `Module.code` for every tree a rewrite produces.

It copies source text for statements the codemods left alone; any disagreement with LibCST's
own code generation would change what `rewrite` writes.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from codemods.commands.registry import CODEMODS
from codemods.engine import positions, rewrite, splice
from codemods.engine.splice import module_code
from tests.codemods.conftest import CORPUS

SOURCES = sorted(CORPUS.rglob("before.py"))


def _rewritten(source: str, new_tree: cst.Module) -> str:
    original = cst.parse_module(source)
    positions.remember_source(original, source)
    return module_code(new_tree, original, source)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_rewrite_equals_libcst_codegen(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def checked(new: cst.Module, original: cst.Module, source: str) -> str:
        code = module_code(new, original, source)
        assert code == new.code
        return code

    monkeypatch.setattr(rewrite, "module_code", checked)
    rewrite.rewrite_code(path.read_text(encoding="utf-8"), tuple(CODEMODS.values()))


SOURCE = """# header comment
import tensorflow as tf


def train(sess):
    x = 1  # kept
    # a comment above y
    y = 2
    if x:
        z = 3
        w = 4
    else:
        z = 5
        w = 6
    try:
        a = 7
        b = 8
    except ValueError:
        c = 9
        d = 10
    return y


class Model:
    def save(self):
        p = 1
        q = 2
# footer
"""


class _Rename(cst.CSTTransformer):
    """Changes `return y` only: everything else in `train` must be copied from the source."""

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        return updated_node.with_changes(value=cst.Name("renamed"))


class _Wrap(cst.CSTTransformer):
    """Moves `train`'s body into `with g:`: the reused statements are one level deeper."""

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if original_node.name.value != "train":
            return updated_node
        inner = cst.With(
            items=[cst.WithItem(cst.Name("g"))],
            body=cst.IndentedBlock(body=list(updated_node.body.body)),
        )
        return updated_node.with_changes(body=cst.IndentedBlock(body=[inner]))


@pytest.mark.parametrize("transformer", [_Rename, _Wrap])
def test_changed_statements_are_generated_and_the_rest_copied(
    transformer: type[cst.CSTTransformer],
) -> None:
    new = cst.parse_module(SOURCE).visit(transformer())
    assert _rewritten(SOURCE, new) == new.code


def test_reindented_statements_are_not_copied_with_their_old_indentation() -> None:
    new = cst.parse_module(SOURCE).visit(_Wrap())
    code = _rewritten(SOURCE, new)
    assert "        x = 1  # kept\n" in code and "\n    x = 1" not in code


@pytest.mark.parametrize(
    "source",
    [SOURCE.replace("\n", "\r\n"), SOURCE.rstrip("\n"), "x = 1\n", "# only a comment\n"],
    ids=["crlf", "no-trailing-newline", "one-line", "no-statement"],
)
def test_sources_it_cannot_place_fall_back_to_libcst(source: str) -> None:
    new = cst.parse_module(source).visit(_Rename())
    new = new.with_changes(body=[*new.body, cst.parse_statement("added = 1\n")])
    assert _rewritten(source, new) == new.code


def test_the_copy_path_is_taken() -> None:
    """Unchanged top-level statements and block statements become source text."""
    original = cst.parse_module(SOURCE)
    positions.remember_source(original, SOURCE)
    regions = splice._regions(original, SOURCE)  # noqa: SLF001
    assert regions is not None
    head, texts, tail = regions
    assert head == "# header comment\n" and tail == "# footer\n"
    assert texts[id(original.body[0])] == "import tensorflow as tf\n"
    train = original.body[1]
    swapped = splice._InnerText(SOURCE).node(train)  # noqa: SLF001
    kinds = [type(s).__name__ for s in swapped.body.body]
    assert kinds[:4] == ["_Verbatim"] * 4  # x, y (with its comment), if, try; not the last
    assert swapped.body.body[1].text == "    # a comment above y\n    y = 2\n"
