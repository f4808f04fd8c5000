"""The model reader sits below security, and security below inspect: no import cycle between them.

Read from the source (every import, also inside functions), so a lazy import cannot hide a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

MIGRATE = Path(__file__).resolve().parents[2] / "migrate"


def _imported_packages(package: str) -> set[str]:
    found: set[str] = set()
    for path in (MIGRATE / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            found |= {
                name.split(".")[1]
                for name in names
                if name.startswith("migrate.") and name.split(".")[1] != package
            }
    return found


def test_reader_imports_only_errors() -> None:
    assert _imported_packages("reader") == {"errors"}


def test_security_does_not_import_inspect_or_converter() -> None:
    assert _imported_packages("security") <= {"errors", "reader"}


def test_graph_analyses_import_only_errors() -> None:
    assert _imported_packages("graphs") <= {"errors"}


def test_inspect_uses_reader_security_and_graph_analyses_only() -> None:
    assert _imported_packages("inspect") <= {"errors", "reader", "security", "graphs"}
