"""`CodemodTest`: before/after tests that run a codemod the way `tf-migrate rewrite` does.

LibCST's own `CodemodTest` calls `transform_module` directly; the CLI goes through
`engine.rewrite_code`, which adds trigger pre-filtering, focused traversal, positions, the
top-level import adder and the re-parse check. Tests built on this base take that path.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import ClassVar

from codemods import RewriteOutcome, TFMigrateCommand, rewrite_code

_CONTINUED = re.compile(r"\\\n[ \t]*")


def fixture(code: str) -> str:
    """Dedented `code` without leading/trailing blank lines, ending in one newline.

    A line ending in a backslash continues on the next one, whose indentation is dropped: long
    expected lines stay readable under the 100-column limit.
    """
    return _CONTINUED.sub("", textwrap.dedent(code)).strip("\n") + "\n"


class CodemodTest:
    """Subclass, set `TRANSFORM`, and call `assertCodemod(before, after)`."""

    TRANSFORM: ClassVar[type[TFMigrateCommand]]

    @staticmethod
    def make_fixture_data(code: str) -> str:
        return fixture(code)

    def rewrite(self, code: str) -> RewriteOutcome:
        """`code` (dedented) through `rewrite_code` with this test's codemod only."""
        return rewrite_code(fixture(code), (self.TRANSFORM,), "test.py")

    def assertCodemod(  # noqa: N802  (the LibCST name, so tests read the same)
        self, before: str, after: str, expected_warnings: Sequence[str] | None = None
    ) -> None:
        """The rewrite of `before` is `after`; findings render as `expected_warnings`."""
        outcome = self.rewrite(before)
        assert outcome.code == fixture(after)
        if expected_warnings is not None:
            assert [f"{f.code}: {f.message}" for f in outcome.findings] == list(expected_warnings)
        if outcome.code != fixture(before):
            assert self.TRANSFORM.NAME in outcome.applied or outcome.findings
