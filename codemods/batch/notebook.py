"""Rewrite the code cells of a Jupyter notebook, leaving everything else byte-for-byte alone.

Cells are joined into one module (imports usually live in the first cell and are used in
later ones), separated by marker comments, and split back afterwards. IPython syntax that is
not Python (`%magic`, `%%cell magic`, `!shell`, `x = !cmd`, `obj?`) is masked with a `pass`
placeholder before parsing and restored afterwards, so it survives untouched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from codemods.engine.base import Finding
from codemods.engine.rewrite import RewriteError, RewriteOutcome

_MARKER = "# <tf-migrate-cell {}>"
_MARKER_RE = re.compile(r"^# <tf-migrate-cell (\d+)>\n", re.MULTILINE)
_MASK = "pass  # <tf-migrate-magic {}>"
_MASK_RE = re.compile(r"^[ \t]*pass  # <tf-migrate-magic (\d+)>$", re.MULTILINE)
_MAGIC_LINE = re.compile(r"^\s*(?:[%!?]|[\w.,\s]+=\s*[%!]|[\w.]+\?{1,2}\s*$)")
# Cell magics whose body is still Python; any other cell magic hides the whole cell.
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})


@dataclass(frozen=True)
class _Masked:
    code: str
    originals: list[str]


def _mask_cell(source: str, originals: list[str]) -> str:
    lines = source.splitlines()
    if lines and lines[0].startswith("%%"):
        magic = lines[0][2:].split(maxsplit=1)[0] if lines[0][2:].strip() else ""
        if magic not in _PYTHON_CELL_MAGICS:
            originals.append(source)
            return _MASK.format(len(originals) - 1) + "\n"
    out: list[str] = []
    for line in lines:
        if _MAGIC_LINE.search(line):
            indent = line[: len(line) - len(line.lstrip())]
            originals.append(line)
            out.append(indent + _MASK.format(len(originals) - 1))
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _unmask(code: str, originals: list[str]) -> str:
    seen: list[int] = []

    def restore(match: re.Match[str]) -> str:
        seen.append(int(match.group(1)))
        return originals[int(match.group(1))]

    text = _MASK_RE.sub(restore, code)
    if sorted(seen) != list(range(len(originals))):
        raise RewriteError("a masked IPython line was lost during the rewrite", None)
    return text


def rewrite_notebook(
    text: str, rewrite: Callable[[str], RewriteOutcome]
) -> tuple[str, RewriteOutcome]:
    """Rewrite a notebook's JSON text; return new JSON text and the combined outcome."""
    try:
        notebook: dict[str, Any] = json.loads(text)
        cells = [c for c in notebook["cells"] if c.get("cell_type") == "code"]
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
        raise RewriteError(f"not a notebook: {error}", getattr(error, "lineno", None)) from None
    originals: list[str] = []
    sources = [_source_text(cell) for cell in cells]
    parts = [f"{_MARKER.format(i)}\n{_mask_cell(s, originals)}" for i, s in enumerate(sources)]
    joined = "".join(parts)
    outcome = rewrite(joined)
    if outcome.code == joined:
        return text, replace(outcome, findings=_locate(outcome.findings, joined))
    new_sources = _split(_unmask(outcome.code, originals), len(cells))
    for cell, old, new in zip(cells, sources, new_sources, strict=False):
        if not old.endswith("\n"):
            new = new[:-1] if new.endswith("\n") else new
        if new != old:
            cell["source"] = (
                new.splitlines(keepends=True) if isinstance(cell["source"], list) else new
            )
    return _dump(notebook, text), replace(outcome, findings=_locate(outcome.findings, joined))


def _source_text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _split(code: str, count: int) -> list[str]:
    pieces = _MARKER_RE.split(code)
    head, rest = pieces[0], pieces[1:]
    indices = [int(i) for i in rest[0::2]]
    if indices != list(range(count)):
        raise RewriteError("cell boundaries were lost during the rewrite", None)
    bodies = list(rest[1::2])
    if head and bodies:  # anything inserted above the first marker (imports) joins cell 0
        bodies[0] = head + bodies[0]
    return bodies


def _locate(findings: tuple[Finding, ...], joined: str) -> tuple[Finding, ...]:
    """Turn module line numbers into (cell, line within cell)."""
    starts = [joined.count("\n", 0, m.end()) + 1 for m in _MARKER_RE.finditer(joined)]
    located: list[Finding] = []
    for finding in findings:
        cell = max((i for i, start in enumerate(starts) if start <= finding.line), default=0)
        line = finding.line - starts[cell] + 1 if starts else finding.line
        located.append(replace(finding, cell=cell, line=max(line, 1)))
    return tuple(located)


def _dump(notebook: dict[str, Any], original: str) -> str:
    """Serialise like the original: same indent, non-ASCII kept, trailing newline kept."""
    match = re.match(r"\{\r?\n([ \t]+)", original)
    indent = len(match.group(1)) if match else 1
    text = json.dumps(notebook, indent=indent, ensure_ascii=False)
    return text + "\n" if original.endswith("\n") else text
