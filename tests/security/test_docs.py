"""docs/security.md lists every denylisted op with its reason, so the docs cannot drift from the
code."""

from __future__ import annotations

from pathlib import Path

from migrate.security import DEFAULT_DENYLIST

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_every_denylisted_op_is_documented_with_its_reason() -> None:
    text = DOC.read_text(encoding="utf-8")
    for op, denied in DEFAULT_DENYLIST.items():
        assert f"| `{op}` | {denied.reason} |" in text, op
