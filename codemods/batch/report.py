"""Batch outcome: exit code bits, the one-line summary and the JSON report (with its schema)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from codemods.analysis.api_sites import APIS, totals
from codemods.batch.atomic import atomic_write_text
from codemods.batch.runner import FileResult

EXIT_FINDINGS = 1  # --check found files to change, or unconvertible sites were found
EXIT_FAILED = 2  # some file could not be read, decoded or parsed

REPORT_VERSION = 2  # 2: per-API call sites found/converted ("apis", per file and in all)

_SITES = {
    "type": "object",
    "propertyNames": {"enum": list(APIS)},
    "additionalProperties": {
        "type": "object",
        "required": ["found", "converted"],
        "additionalProperties": False,
        "properties": {
            "found": {"type": "integer", "minimum": 1},
            "converted": {"type": "integer", "minimum": 0},
        },
    },
}

REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "exit_code", "summary", "apis", "files"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": REPORT_VERSION},
        "exit_code": {"type": "integer", "minimum": 0, "maximum": 3},
        "summary": {
            "type": "object",
            "required": ["files", "changed", "unchanged", "skipped", "failed", "warnings"],
            "additionalProperties": {"type": "integer", "minimum": 0},
        },
        "apis": _SITES,
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "path",
                    "status",
                    "codemods",
                    "apis",
                    "warnings",
                    "reason",
                    "error_line",
                ],
                "additionalProperties": False,
                "properties": {
                    "path": {"type": "string"},
                    "status": {"enum": ["changed", "unchanged", "skipped", "failed"]},
                    "codemods": {"type": "array", "items": {"type": "string"}},
                    "apis": _SITES,
                    "reason": {"type": ["string", "null"]},
                    "error_line": {"type": ["integer", "null"]},
                    "warnings": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["line", "col", "code", "message"],
                            "additionalProperties": False,
                            "properties": {
                                "line": {"type": "integer", "minimum": 1},
                                "col": {"type": "integer", "minimum": 1},
                                "code": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$"},
                                "message": {"type": "string"},
                                "cell": {"type": "integer", "minimum": 0},
                            },
                        },
                    },
                },
            },
        },
    },
}


def exit_code(results: Sequence[FileResult], check: bool) -> int:
    """Bit 1: changes needed under --check, or TODO sites found. Bit 2: a file failed."""
    code = 0
    if any(r.findings for r in results) or (check and any(r.status == "changed" for r in results)):
        code |= EXIT_FINDINGS
    if any(r.status == "failed" for r in results):
        code |= EXIT_FAILED
    return code


def summary(results: Sequence[FileResult], check: bool, wrote: bool) -> str:
    """One line of file counts, then one line per TF1 API found: sites converted / found."""
    counts = Counter(r.status for r in results)
    verb = "would change" if check or not wrote else "changed"
    warnings = sum(len(r.findings) for r in results)
    lines = [
        f"{len(results)} files: {counts['changed']} {verb}, {counts['unchanged']} unchanged, "
        f"{counts['skipped']} skipped, {counts['failed']} failed; {warnings} TODO sites"
    ]
    for api, (found, done) in totals(r.api_sites for r in results).items():
        lines.append(f"  {api:<25} {done:>5} / {found:<5} converted ({100 * done / found:.0f} %)")
    return "\n".join(lines)


def _sites(sites: Sequence[tuple[str, int, int]]) -> dict[str, dict[str, int]]:
    return {api: {"found": found, "converted": done} for api, found, done in sites}


def build_report(results: Sequence[FileResult], code: int) -> dict[str, Any]:
    counts = Counter(r.status for r in results)
    return {
        "version": REPORT_VERSION,
        "exit_code": code,
        "summary": {
            "files": len(results),
            **{s: counts[s] for s in ("changed", "unchanged", "skipped", "failed")},
            "warnings": sum(len(r.findings) for r in results),
        },
        "apis": {
            api: {"found": found, "converted": done}
            for api, (found, done) in totals(r.api_sites for r in results).items()
        },
        "files": [
            {
                "path": r.path,
                "status": r.status,
                "codemods": list(r.codemods),
                "apis": _sites(r.api_sites),
                "warnings": [f.as_dict() for f in r.findings],
                "reason": r.reason,
                "error_line": r.error_line,
            }
            for r in results
        ],
    }


def write_report(path: Path, results: Sequence[FileResult], code: int) -> None:
    atomic_write_text(path, json.dumps(build_report(results, code), indent=2) + "\n")
