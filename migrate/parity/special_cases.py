"""The parity table's companion: one row per special case (inferred shape, keep_prob fed 1.0,
batch retry, both sides rejecting an input, non-deterministic output, legacy rewrite), so a
reader sees why an output was compared the way it was."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table


def render(cases: list[dict[str, str]], console: Console) -> None:
    if not cases:
        return
    table = Table(title="special cases", show_lines=False)
    for column in ("signature", "output", "case", "what parity did"):
        table.add_column(column, overflow="fold")
    for case in cases:
        table.add_row(case["signature"], case["output"], case["kind"], case["detail"])
    console.print(table)
