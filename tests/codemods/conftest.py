"""Shared paths for codemod tests: corpus cases live in `corpus/code/<codemod>/<case>/`."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "code"


def corpus_cases(pattern: str = "*") -> list[Path]:
    """Case directories (any codemod group) whose name matches `pattern`, sorted by name."""
    return sorted((p for p in CORPUS.glob(f"*/{pattern}") if p.is_dir()), key=lambda p: p.name)


def corpus_case(name: str) -> Path:
    """The one case directory called `name`."""
    (found,) = corpus_cases(name)
    return found
