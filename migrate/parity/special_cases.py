"""The parity table's companion: one row per special case (inferred shape, keep_prob fed 1.0,
batch retry, both sides rejecting an input, non-deterministic output, legacy rewrite), so a
reader sees why an output was compared the way it was."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text


def render(cases: list[dict[str, str]], console: Console) -> None:
    """One line per case, wrapped at words (a folded table column would break names at 80)."""
    if not cases:
        return
    console.print(Text("special cases", style="bold"))
    for case in cases:
        line = Text("  ")
        line.append(f"{case['signature']} / {case['output']}", style="cyan")
        line.append(f" [{case['kind']}] {case['detail']}")
        console.print(line)
