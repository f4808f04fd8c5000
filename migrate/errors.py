"""One error hierarchy for every user-facing failure.

Each error renders as a single line that names the file and the fix; the CLI turns it into
exit code 2 (or the error's own code). Nothing else in the package calls `sys.exit`.
"""

from __future__ import annotations

import re
from pathlib import Path

_NOISE = re.compile(
    r"^(Graph execution error:?|Detected at node|File \"|\[\[|Node:|Stack trace"
    r"|\(\d+\) |0 successful|\d+ derived errors)"
)


class MigrateError(Exception):
    """A failure the user can act on: what went wrong, where, and how to fix it."""

    exit_code: int = 2

    def __init__(self, message: str, *, path: str | Path | None = None, fix: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.fix = fix

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        if self.fix:
            text += f" Fix: {self.fix}"
        return " ".join(text.split())  # always one line


class InputError(MigrateError):
    """A missing, unreadable or malformed input file or directory."""


class TagError(MigrateError):
    """The requested MetaGraphDef tag-set does not exist, or one must be chosen."""


class SignatureError(MigrateError):
    """A signature or tensor name is unknown or cannot be built."""


class OutputExistsError(MigrateError):
    """The destination exists and --force was not given."""


class ConversionError(MigrateError):
    """The graph could not be rewritten or exported."""


class DeviceError(MigrateError):
    """A requested device (e.g. a GPU) is not available."""


class UnsafeModelError(MigrateError):
    """The model contains operations or paths that are refused by default."""

    exit_code = 1


class ParityError(MigrateError):
    """Outputs differ between the TF1 original and the TF2 result."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        fix: str | None = None,
        details: object = None,
    ):
        super().__init__(message, path=path, fix=fix)
        self.details = details


def tf_error_line(error: BaseException) -> str:
    """The line of a TensorFlow error that says what went wrong.

    TF's messages open with "Graph execution error:" and a Python stack of where the node was
    built; the cause ("Table not initialized.", "Key b not found in checkpoint") comes after.
    """
    text = getattr(error, "message", None) or str(error)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    useful = [line for line in lines if not _NOISE.match(line)]
    chosen = (useful or lines or [type(error).__name__])[0]
    return re.sub(r"\{\{function_node [^}]*\}\}\s*", "", chosen)
