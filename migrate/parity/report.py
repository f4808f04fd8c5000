"""Parity reports for people (rich table + PASSED/FAILED line) and tools (JSON, JUnit XML)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from migrate.fsutil import atomic_write_bytes, atomic_write_text
from migrate.parity import special_cases
from migrate.parity.gate import ParityReport

SCHEMA_VERSION = 1


def to_dict(report: ParityReport) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "reference": report.reference,
        "candidate": report.candidate,
        "reference_device": report.reference_device,
        "candidate_device": report.candidate_device,
        "seed": report.seed,
        "batch_size": report.batch_size,
        "passed": report.passed,
        "compared": len(report.comparisons),
        "only_in_reference": report.only_in_reference,
        "only_in_candidate": report.only_in_candidate,
        "errors": report.errors,
        "outputs": [asdict(c) for c in report.comparisons],
        "special_cases": report.special_cases,  # issue 17
    }


def summary_line(report: ParityReport) -> str:
    failed = sum(not c.passed for c in report.comparisons)
    verdict = "PASSED" if report.passed else "FAILED"
    extra = f", {len(report.errors)} error(s)" if report.errors else ""
    return f"{verdict}: {len(report.comparisons)} output(s) compared, {failed} mismatched{extra}"


def render(report: ParityReport, console: Console) -> None:
    table = Table(title=f"parity: {report.reference} vs {report.candidate}", show_lines=False)
    for column in (
        "signature",
        "output",
        "dtype",
        "shape",
        "max abs",
        "max rel",
        "mismatch",
        "need atol",
        "result",
    ):
        table.add_column(column, overflow="fold")
    for c in report.comparisons:
        name = c.signature if c.step is None else f"{c.step}:{c.signature}"
        table.add_row(
            name,
            c.output,
            c.dtype,
            str(c.shape),
            f"{c.max_abs_error:.3g}",
            f"{c.max_rel_error:.3g}",
            f"{c.mismatches} ({c.mismatch_fraction:.1%})",
            f"{c.required_atol:.3g}",
            "[green]ok[/]" if c.passed else f"[red]FAIL[/] {c.reason}",
        )
    console.print(table)
    special_cases.render(report.special_cases, console)  # issue 17
    for key in report.only_in_reference:
        console.print(f"[yellow]signature only in reference:[/] {key}")
    for key in report.only_in_candidate:
        console.print(f"[yellow]signature only in candidate:[/] {key}")
    for error in report.errors:
        console.print(f"[red]error:[/] {error}", highlight=False)
    style = "bold green" if report.passed else "bold red"
    console.print(f"[{style}]{summary_line(report)}[/]", highlight=False)


def write_json(report: ParityReport, path: Path) -> None:
    atomic_write_text(Path(path), json.dumps(to_dict(report), indent=2, sort_keys=True) + "\n")


def write_junit(report: ParityReport, path: Path) -> None:
    """One testcase per signature/output; failures carry the statistics."""
    suite = ET.Element(
        "testsuite",
        name="tf-migrate parity",
        tests=str(len(report.comparisons) + len(report.errors)),
    )
    failures = 0
    for c in report.comparisons:
        name = c.output if c.step is None else f"step{c.step}/{c.output}"
        case = ET.SubElement(suite, "testcase", classname=c.signature, name=name)
        if not c.passed:
            failures += 1
            failure = ET.SubElement(case, "failure", message=c.reason)
            failure.text = json.dumps(asdict(c), indent=1)
    for index, error in enumerate(report.errors):
        case = ET.SubElement(suite, "testcase", classname="parity", name=f"error{index}")
        ET.SubElement(case, "error", message=error)
    suite.set("failures", str(failures))
    suite.set("errors", str(len(report.errors)))
    atomic_write_bytes(Path(path), ET.tostring(suite, encoding="utf-8", xml_declaration=True))
