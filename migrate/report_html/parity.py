"""The parity page: verdict and tolerances, then each signature's outputs with their error plots."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np

from migrate.parity.compare import OutputComparison
from migrate.parity.gate import ParityReport
from migrate.report_html import plots
from migrate.report_html.page import esc, page, table, verdict

_OUTPUT_HEADERS = (
    "step",
    "output",
    "dtype",
    "shape",
    "max abs",
    "max rel",
    "mean abs",
    "mismatches",
    "atol / rtol",
    "result",
)


def _num(value: float) -> str:
    return "0" if value == 0 else f"{value:.3g}"


def _tightest(report: ParityReport) -> str:
    """The loosest requirement over all outputs: what the whole gate would need to pass."""
    floats = [c for c in report.comparisons if c.histogram is not None]
    if not floats:
        return "exact comparison only (no float outputs)"
    atol = max(c.required_atol for c in floats)
    rtol = max(c.required_rtol for c in floats)
    return (
        f"atol &ge; <b>{_num(atol)}</b> with the rtol used, or rtol &ge; <b>{_num(rtol)}</b>"
        " with the atol used"
    )


def _summary(report: ParityReport) -> str:
    failed = [c for c in report.comparisons if not c.passed]
    tolerances = sorted({(c.atol, c.rtol) for c in report.comparisons if c.histogram is not None})
    used = ", ".join(f"atol {_num(a)} rtol {_num(r)}" for a, r in tolerances) or "exact"
    rows = [
        ("reference", f'<code class="path">{esc(report.reference)}</code>'),
        ("candidate", f'<code class="path">{esc(report.candidate)}</code>'),
        ("devices", esc(f"{report.reference_device} vs {report.candidate_device}")),
        ("compared", f"{len(report.comparisons)} output(s), {len(failed)} mismatched"),
        ("tolerances", esc(used)),
        ("tightest passing", _tightest(report)),
        ("inputs", f"seed {report.seed}, batch size {report.batch_size}"),
    ]
    body = table(("", ""), [(f"<b>{esc(k)}</b>", v) for k, v in rows])
    problems = [
        f"<li><b>{esc(c.signature)} / {esc(c.output)}</b>"
        f"{'' if c.step is None else f' (step {c.step})'}: {esc(c.reason)}</li>"
        for c in failed
    ]
    problems += [f"<li>error: {esc(e)}</li>" for e in report.errors]
    problems += [
        f"<li>signature only in reference: {esc(k)}</li>" for k in report.only_in_reference
    ]
    problems += [
        f"<li>signature only in candidate: {esc(k)}</li>" for k in report.only_in_candidate
    ]
    if problems:
        body += f'<h2>Problems</h2><ul class="failures">{"".join(problems)}</ul>'
    return body


def _row(c: OutputComparison) -> list[str]:
    return [
        "-" if c.step is None else str(c.step),
        f"<code>{esc(c.output)}</code>",
        esc(c.dtype),
        esc("x".join(map(str, c.shape)) or "scalar"),
        _num(c.max_abs_error),
        _num(c.max_rel_error),
        _num(c.mean_abs_error),
        f"{c.mismatches} ({c.mismatch_fraction:.1%})",
        f"{_num(c.atol)} / {_num(c.rtol)}",
        "ok" if c.passed else f"<b>FAIL</b> {esc(c.reason)}",
    ]


def _signature(name: str, comparisons: list[OutputComparison]) -> str:
    body = f"<h3>{esc(name)}</h3>"
    bad = [not c.passed for c in comparisons]
    body += table(_OUTPUT_HEADERS, [_row(c) for c in comparisons], bad)
    figures, identical = [], []
    by_output = sorted(comparisons, key=lambda c: c.output)
    for output, group in itertools.groupby(by_output, key=lambda c: c.output):
        steps = list(group)
        worst = max(steps, key=lambda c: (not c.passed, c.max_abs_error))
        if worst.histogram is None:
            continue
        if not worst.histogram.counts and not worst.histogram.nonfinite:
            identical.append(output)
            continue
        where = "" if len(steps) == 1 else f" (step {worst.step}, the worst of {len(steps)})"
        svg = plots.error_histogram(worst.histogram, worst.atol, f"{output}{where}")
        caption = f"{name} / {output}: abs error against the tolerance"
        figures.append(f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>")
    if identical:
        names = ", ".join(f"<code>{esc(o)}</code>" for o in identical)
        body += f'<p class="muted">no difference at all in {names}: nothing to plot.</p>'
    if figures:
        body += f'<div class="plots">{"".join(figures)}</div>'
    return body


def _steps(comparisons: list[OutputComparison]) -> str:
    """One line per signature/output across the whole call sequence (stateful or warmup)."""
    stepped = [c for c in comparisons if c.step is not None]
    if len({c.step for c in stepped}) < 2:
        return ""
    series: dict[str, list[tuple[int, float]]] = {}
    for c in sorted(stepped, key=lambda c: c.step or 0):
        series.setdefault(f"{c.signature}/{c.output}", []).append((c.step or 0, c.max_abs_error))
    svg = plots.error_per_step(series, min(c.atol for c in stepped))
    caption = "max abs error of each output at each step of the call sequence"
    figure = f"<figure>{svg}<figcaption>{caption}</figcaption></figure>"
    return f'<h2>Error per step</h2><div class="plots">{figure}</div>'


def _describe(value: Any) -> tuple[str, str, str]:
    """dtype, shape and a one-line summary of one fed value."""
    if hasattr(value, "dense_shape") and hasattr(value, "values"):
        values = np.asarray(value.values)
        shape = "x".join(str(int(d)) for d in np.asarray(value.dense_shape))
        return f"sparse {values.dtype}", shape, f"{values.size} non-zero value(s)"
    array = np.asarray(value)
    shape = "x".join(map(str, array.shape)) or "scalar"
    if array.size == 0:
        return str(array.dtype), shape, "empty"
    if array.dtype.kind in "OSU":
        first = array.reshape(-1)[0]
        text = first.decode(errors="replace") if isinstance(first, bytes) else str(first)
        lengths = [len(v) if isinstance(v, (bytes, str)) else 0 for v in array.reshape(-1)]
        note = f"{array.size} string(s), {min(lengths)}-{max(lengths)} bytes; first: "
        return "string", shape, note + repr(text[:40])
    if array.dtype.kind == "b":
        return "bool", shape, f"{int(array.sum())} of {array.size} true"
    numbers = array.astype(np.float64)
    return (
        str(array.dtype),
        shape,
        f"min {_num(float(numbers.min()))}, max {_num(float(numbers.max()))},"
        f" mean {_num(float(numbers.mean()))}",
    )


def _inputs(feeds: Mapping[str, Mapping[str, Any]]) -> str:
    rows = [
        [f"<code>{esc(call)}</code>", f"<code>{esc(name)}</code>", *map(esc, _describe(value))]
        for call, inputs in feeds.items()
        for name, value in sorted(inputs.items())
    ]
    if not rows:
        return '<p class="muted">no inputs were fed.</p>'
    return table(("call", "input", "dtype", "shape", "summary"), rows)


def render_parity(report: ParityReport, title: str = "tf-migrate parity") -> str:
    """The whole parity page for one reference/candidate pair."""
    body = f"<h1>{verdict(report.passed)}{esc(title)}</h1>"
    body += f'<p class="muted">{esc(report.reference)} vs {esc(report.candidate)}</p>'
    body += _summary(report)
    body += "<h2>Outputs</h2>"
    ordered = sorted(report.comparisons, key=lambda c: (c.signature, c.step or 0, c.output))
    for name, group in itertools.groupby(ordered, key=lambda c: c.signature):
        body += _signature(name, list(group))
    if not report.comparisons:
        body += '<p class="muted">nothing was compared.</p>'
    body += _steps(report.comparisons)
    body += "<h2>Inputs used</h2>" + _inputs(report.feeds)
    return page(f"{'PASSED' if report.passed else 'FAILED'}: {title}", body)
