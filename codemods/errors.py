"""The one error a codemods caller must handle: bad user input to a rewrite.

`codemods` never imports `migrate`; the CLI maps this error onto its own exit code 2.
"""

from __future__ import annotations

from pathlib import Path


class CodemodError(Exception):
    """A failure the user can act on (unknown codemod, missing path): what, where, the fix."""

    def __init__(
        self, message: str, *, path: str | Path | None = None, fix: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.fix = fix
