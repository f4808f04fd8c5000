"""One stdlib `ast` parse per text, shared by everyone who asks about it.

A rewritten file's source is parsed with `ast` for TODO positions and for the per-API site
count, and its output to prove it still parses and to count sites again: four parses of two
texts. On the real-code benchmark an `ast.parse` is not cheap (~40 % of a LibCST parse), so the
last two texts' results are kept (trees are only read, never changed).
"""

from __future__ import annotations

import ast

_RECENT: list[tuple[str, ast.Module | Exception]] = []  # newest last, at most two
_FAILURES = (SyntaxError, ValueError, RecursionError)  # what `ast.parse` raises on bad input


def parse(code: str) -> ast.Module:
    """`ast.parse(code)`, or the same error it raised for this text."""
    for text, result in _RECENT:
        if text is code or text == code:
            if isinstance(result, Exception):
                raise result
            return result
    try:
        found: ast.Module | Exception = ast.parse(code)
    except _FAILURES as error:
        found = error
    _RECENT[:] = [*_RECENT[-1:], (code, found)]
    if isinstance(found, Exception):
        raise found
    return found
