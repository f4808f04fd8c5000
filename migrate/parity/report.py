"""Parity reports for people (rich table + PASSED/FAILED line) and tools (JSON, JUnit XML)."""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from migrate.fsutil import atomic_write_bytes, atomic_write_text
from migrate.parity import special_cases
from migrate.parity.compare import OutputComparison
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
        "outputs": [output_fields(c) for c in report.comparisons],
        "special_cases": report.special_cases,
    }


def output_fields(c: OutputComparison) -> dict[str, Any]:
    """The JSON/JUnit view of one comparison (the histogram is for the HTML report only)."""
    fields = asdict(c)
    del fields["histogram"]
    return fields


def summary_line(report: ParityReport) -> str:
    failed = sum(not c.passed for c in report.comparisons)
    verdict = "PASSED" if report.passed else "FAILED"
    extra = f", {len(report.errors)} error(s)" if report.errors else ""
    return f"{verdict}: {len(report.comparisons)} output(s) compared, {failed} mismatched{extra}"


_SHORT_DTYPES = {"float": "f", "bfloat": "bf", "uint": "u", "int": "i", "complex": "c"}
_NUMBER_WIDTH = 7  # "1.2e-05"


def short_dtype(dtype: str) -> str:
    """float32 -> f32, int64 -> i64, bfloat16 -> bf16; others (bool, object) unchanged."""
    for long, short in _SHORT_DTYPES.items():
        if dtype.startswith(long) and dtype[len(long) :].isdigit():
            return short + dtype[len(long) :]
    return "str" if dtype in ("object", "string") else dtype


def short_shape(shape: list[int]) -> str:
    return "x".join(str(d) for d in shape) if shape else "scalar"


def compact(value: float) -> str:
    """Two significant digits, at most seven characters: 0, 3.1e-06, 0.25, inf."""
    return "0" if value == 0 else f"{value:.2g}"


def _group(c: OutputComparison) -> str:
    return c.signature if c.step is None else f"step {c.step}: {c.signature}"


_HEADERS = ("output", "dtype", "shape", "max abs", "max rel", "need atol", "bad", "result")


def _cells(c: OutputComparison) -> tuple[str, ...]:
    return (
        "  " + c.output,
        short_dtype(c.dtype),
        short_shape(c.shape),
        compact(c.max_abs_error),
        compact(c.max_rel_error),
        compact(c.required_atol),
        str(c.mismatches),
        "[green]ok[/]" if c.passed else "[bold red]FAIL[/]",
    )


def _table(widths: list[int], header: bool) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, show_header=header)
    for index, (name, width) in enumerate(zip(_HEADERS, widths, strict=True)):
        right = 3 <= index <= 6
        table.add_column(name, width=width, justify="right" if right else "left", overflow="fold")
    return table


def render(report: ParityReport, console: Console) -> None:
    """A header, then each signature on its own line above its outputs: names are never folded."""
    console.print(f"parity: {report.reference}", highlight=False, soft_wrap=True)
    console.print(f"    vs: {report.candidate}", highlight=False, soft_wrap=True)
    rows = [(_group(c), _cells(c)) for c in report.comparisons]
    widths = [len(h) for h in _HEADERS]
    widths[-1] = len("result")
    for _, cells in rows:
        widths = [
            max(w, len(Text.from_markup(cell).plain)) for w, cell in zip(widths, cells, strict=True)
        ]
    console.print(_table(widths, header=True))
    for group, group_rows in itertools.groupby(rows, key=lambda row: row[0]):
        console.print(Text(group, style="bold cyan"), soft_wrap=True)
        table = _table(widths, header=False)
        for _, cells in group_rows:
            table.add_row(*cells)
        console.print(table)
    for c in report.comparisons:
        if not c.passed:
            console.print(f"[red]FAIL[/] {_group(c)} / {c.output}: {c.reason}", highlight=False)
    special_cases.render(report.special_cases, console)
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
            failure.text = json.dumps(output_fields(c), indent=1)
    for index, error in enumerate(report.errors):
        case = ET.SubElement(suite, "testcase", classname="parity", name=f"error{index}")
        ET.SubElement(case, "error", message=error)
    suite.set("failures", str(failures))
    suite.set("errors", str(len(report.errors)))
    atomic_write_bytes(Path(path), ET.tostring(suite, encoding="utf-8", xml_declaration=True))
