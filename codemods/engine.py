"""Apply codemods to one piece of source text; no file I/O here.

Parsing is the main cost, so a codemod runs only when one of its trigger substrings occurs,
and a file none of them could touch is never parsed. The result must re-parse, otherwise
the rewrite is refused rather than written.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.codemod import CodemodContext

from codemods.base import Finding, TFMigrateCommand


class RewriteError(Exception):
    """The source cannot be rewritten: it does not parse, or the output would not."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class RewriteOutcome:
    code: str
    applied: tuple[str, ...]
    findings: tuple[Finding, ...]


def mentions_tensorflow(text: str) -> bool:
    """Cheap pre-filter: a file that never says `tensorflow` cannot import it."""
    return "tensorflow" in text


def rewrite_code(
    code: str, commands: Sequence[type[TFMigrateCommand]], filename: str = "<string>"
) -> RewriteOutcome:
    """Run `commands` in order over `code`; raise RewriteError if it cannot be parsed."""
    if not mentions_tensorflow(code):
        return RewriteOutcome(code, (), ())
    active = [c for c in commands if any(t in code for t in c.TRIGGERS)]
    if not active:  # nothing to rewrite, but a broken file must still be reported
        _check_reparses(code, "does not parse")
        return RewriteOutcome(code, (), ())
    try:
        module = cst.parse_module(code)
    except cst.ParserSyntaxError as error:
        _check_reparses(code, "does not parse")  # CPython names the line and cause better
        raise RewriteError(f"does not parse: {error.message}", error.raw_line) from None
    applied: list[str] = []
    findings: list[Finding] = []
    for command_class in active:
        command = command_class(CodemodContext(filename=filename))
        module = command.transform_module(module)
        findings.extend(command.findings)
        if command.changed:
            applied.append(command.NAME)
    new_code = module.code if applied or findings else code
    if new_code != code:
        _check_reparses(new_code, "rewritten code does not parse")
    return RewriteOutcome(new_code, tuple(applied), tuple(findings))


def _check_reparses(code: str, what: str) -> None:
    """`ast.parse` is ~10x cheaper than a LibCST parse and reports the failing line."""
    try:
        ast.parse(code)
    except SyntaxError as error:
        raise RewriteError(f"{what}: {error.msg}", error.lineno) from None
