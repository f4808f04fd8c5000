"""Every corpus/code case: expected output, idempotent, re-parses, TODOs match findings."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from codemods.commands._export.live_template import LIVE_MARKER, live_export_source
from codemods.commands.registry import CODEMODS
from codemods.engine.rewrite import rewrite_code
from tests.codemods.conftest import corpus_cases

CASES = [p for p in corpus_cases() if (p / "before.py").is_file()]
TODO = re.compile(r"# TODO\(tf-migrate\): ([A-Z_]+):")


def test_corpus_is_not_empty() -> None:
    """The corpus exists, so the parametrised tests below are not vacuous."""
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path) -> None:
    """before.py rewrites to after.py; rewriting after.py changes nothing; both parse."""
    before = (case / "before.py").read_text()
    expected = (case / "after.py").read_text().replace(LIVE_MARKER, live_export_source(), 1)
    first = rewrite_code(before, tuple(CODEMODS.values()))
    assert first.code == expected
    ast.parse(first.code)
    second = rewrite_code(first.code, tuple(CODEMODS.values()))
    assert second.code == first.code, "second run changed the file"
    assert sorted(f.code for f in first.findings) == sorted(TODO.findall(expected))
    assert sorted(f.code for f in second.findings) == sorted(f.code for f in first.findings)
    if case.name.startswith("noop_"):
        assert expected == before
    else:
        assert expected != before
