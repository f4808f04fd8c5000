"""Scan many paths: per-model results, unreadable models as errors, exit code as bits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.errors import MigrateError
from migrate.reader import locate_some
from migrate.security.model import ModelScan, scan_model


@dataclass
class ScanRun:
    models: list[ModelScan] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line message)

    @property
    def exit_code(self) -> int:
        """0 clean, 1 findings, 2 unreadable input; both: 3 (bits, like `rewrite --check`)."""
        return (1 if any(not m.clean for m in self.models) else 0) | (2 if self.errors else 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "tool": "tf-migrate scan",
            "clean": self.exit_code == 0,
            "exit_code": self.exit_code,
            "models": [m.to_json() for m in self.models],
            "errors": [{"path": p, "message": m} for p, m in self.errors],
        }


def scan_paths(paths: Iterable[Path], allow_ops: frozenset[str] = frozenset()) -> ScanRun:
    """Scan every model at or under each path. A path that is not a model at all raises;
    inside a searched tree an unreadable model is recorded and the others still scanned."""
    run = ScanRun()
    for path in paths:
        refs, tree = locate_some(Path(path), "scan")
        for ref in refs:
            try:
                run.models.append(scan_model(ref, allow_ops))
            except MigrateError as error:
                if not tree and len(refs) == 1:
                    raise
                run.errors.append((str(ref.path), str(error)))
    return run
