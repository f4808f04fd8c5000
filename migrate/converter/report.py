"""The conversion report: what was converted, in a form both people and tools read."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from migrate.fsutil import atomic_write_text


@dataclass
class VariableEntry:
    name: str
    shape: list[int | None]
    dtype: str
    trainable: bool


@dataclass
class SignatureEntry:
    key: str
    method_name: str
    inputs: dict[str, str]
    outputs: dict[str, str]


@dataclass
class ConversionReport:
    source: str
    destination: str
    source_format: str
    tags: list[str]
    written_by: str
    variables: list[VariableEntry] = field(default_factory=list)
    signatures: list[SignatureEntry] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    rewritten_ref_variables: int = 0
    signature_origin: str = "signature_def"  # or "--signature", "inputs/outputs collections"
    warnings: list[str] = field(default_factory=list)
    parity: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def write_reports(path: Path, reports: list[ConversionReport]) -> None:
    payload = {"tool": "tf-migrate convert", "models": [report.to_dict() for report in reports]}
    atomic_write_text(Path(path), json.dumps(payload, indent=2, sort_keys=True) + "\n")
