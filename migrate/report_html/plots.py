"""Inline SVG plots drawn by matplotlib's SVG backend: vector output, no JavaScript, no fonts.

Text becomes paths (`svg.fonttype: path`), so the page needs no font files, and a fixed hash
salt keeps element ids stable between runs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from migrate.parity.compare import ErrorHistogram

_STYLE: dict[Any, Any] = {"svg.fonttype": "path", "svg.hashsalt": "tf-migrate", "font.size": 8.0}
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_SIZE = (6.4, 2.4)  # inches at 72 dpi in SVG: about 460 x 175 px; legend on the right


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    with rc_context(_STYLE):
        FigureCanvasSVG(figure)  # attaches itself: no Agg, no GUI backend is ever chosen
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prolog and DOCTYPE: it sits inside HTML
    return _METADATA.sub("", text, count=1)  # the RDF block only names matplotlib's site


def error_histogram(histogram: ErrorHistogram, atol: float, title: str) -> str:
    """Counts of |candidate - reference| on a log axis, with atol and the loosest bound marked."""
    with rc_context(_STYLE):
        figure = Figure(figsize=_SIZE, layout="constrained")
        axes = figure.add_subplot()
        edges, counts = histogram.edges, histogram.counts
        if counts:
            axes.stairs(counts, edges, fill=True, color="#4a78c2", label="|cand - ref|")
            axes.set_xscale("log")
            lines = [value for value in (atol, histogram.tolerance_at_max) if value > 0]
            low = min([edges[0], *lines]) / 2
            high = max([edges[-1], *lines]) * 2
            axes.set_xlim(low, high)
            if atol > 0:
                axes.axvline(atol, color="#c62828", linewidth=1.5, label=f"atol {atol:.2g}")
            if histogram.tolerance_at_max > atol:
                axes.axvline(
                    histogram.tolerance_at_max,
                    color="#c62828",
                    linestyle="--",
                    linewidth=1,
                    label=f"atol + rtol*max|ref|\n{histogram.tolerance_at_max:.2g}",
                )
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        else:
            axes.text(0.5, 0.5, "every value identical", ha="center", va="center")
            axes.set_xticks([])
        extra = f"; {histogram.zeros} exact" if histogram.zeros else ""
        extra += f"; {histogram.nonfinite} NaN/inf" if histogram.nonfinite else ""
        axes.set_title(f"{title}{extra}", loc="left")
        axes.set_xlabel("absolute error")
        axes.set_ylabel("elements")
        return _svg(figure)


def error_per_step(series: Mapping[str, Sequence[tuple[int, float]]], atol: float) -> str:
    """Max abs error of each output at each step of a stateful or warmup call sequence."""
    with rc_context(_STYLE):
        figure = Figure(figsize=_SIZE, layout="constrained")
        axes = figure.add_subplot()
        positive = [error for points in series.values() for _, error in points if error > 0]
        for name, points in series.items():
            steps = [step for step, _ in points]
            errors = [error for _, error in points]
            axes.plot(steps, errors, marker="o", markersize=3, linewidth=1.2, label=name)
        if positive:
            axes.set_yscale("symlog", linthresh=min(positive + [atol or 1.0]) / 10)
        axes.set_ylim(bottom=0, top=max(positive + [atol]) * 2 or 1.0)
        if atol > 0:
            axes.axhline(atol, color="#c62828", linewidth=1, label=f"atol {atol:.2g}")
        axes.set_xlabel("step")
        axes.set_ylabel("max abs error")
        axes.set_title("error per step", loc="left")
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=7)
        return _svg(figure)
