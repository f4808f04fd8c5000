"""Per-output comparison with numpy.testing.assert_allclose semantics.

An element passes when |candidate - reference| <= atol + rtol * |reference|. Besides
pass/fail we keep the statistics a CI log needs, and the tightest tolerances that would pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Tolerance:
    atol: float = 1e-5
    rtol: float = 1e-5
    equal_nan: bool = False


HISTOGRAM_BINS = 40


@dataclass(frozen=True)
class ErrorHistogram:
    """|candidate - reference| binned at compare time, so a report can plot it without arrays.

    Bins are log-spaced over the non-zero finite errors; exact zeros and NaN/inf are counted apart.
    """

    edges: tuple[float, ...] = ()
    counts: tuple[int, ...] = ()
    zeros: int = 0
    nonfinite: int = 0
    tolerance_at_max: float = 0.0  # atol + rtol * max|reference|: the loosest per-element bound

    @classmethod
    def of(cls, diff: np.ndarray, magnitude: np.ndarray, tol: Tolerance) -> ErrorHistogram:
        finite = diff[np.isfinite(diff)]
        positive = finite[finite > 0]
        widest = float(magnitude.max()) if magnitude.size else 0.0
        edges: tuple[float, ...] = ()
        counts: tuple[int, ...] = ()
        if positive.size:
            # Span the tolerance too, so bars and the tolerance line share one readable axis.
            low = min(float(positive.min()), tol.atol or float(positive.min()))
            high = max(float(positive.max()), tol.atol + tol.rtol * widest)
            if high <= low:
                low, high = low / 2, high * 2
            bins = np.geomspace(low, high, HISTOGRAM_BINS + 1)
            binned, bin_edges = np.histogram(positive, bins=bins)
            edges = tuple(float(e) for e in bin_edges)
            counts = tuple(int(n) for n in binned)
        return cls(
            edges=edges,
            counts=counts,
            zeros=int(finite.size - positive.size),
            nonfinite=int(diff.size - finite.size),
            tolerance_at_max=tol.atol + tol.rtol * widest,
        )


@dataclass
class OutputComparison:
    signature: str
    output: str
    passed: bool
    reason: str = ""
    dtype: str = ""
    shape: list[int] = field(default_factory=list)
    atol: float = 0.0
    rtol: float = 0.0
    max_abs_error: float = 0.0
    mean_abs_error: float = 0.0
    max_rel_error: float = 0.0
    mismatches: int = 0
    mismatch_fraction: float = 0.0
    required_atol: float = 0.0  # tightest atol that passes with this rtol
    required_rtol: float = 0.0  # tightest rtol that passes with this atol
    bit_exact: bool = False
    step: int | None = None  # position in a call sequence
    histogram: ErrorHistogram | None = None  # float outputs only; not part of the JSON report


def _is_exact_kind(array: np.ndarray) -> bool:
    return array.dtype.kind in "biuOSUb?"


def compare(
    signature: str, output: str, reference: Any, candidate: Any, tol: Tolerance
) -> OutputComparison:
    ref, cand = np.asarray(reference), np.asarray(candidate)
    result = OutputComparison(
        signature,
        output,
        False,
        dtype=str(ref.dtype),
        shape=list(ref.shape),
        atol=tol.atol,
        rtol=tol.rtol,
    )
    if ref.dtype != cand.dtype:
        result.reason = f"dtype differs: reference {ref.dtype}, candidate {cand.dtype}"
        return result
    if ref.shape != cand.shape:
        result.reason = f"shape differs: reference {list(ref.shape)}, candidate {list(cand.shape)}"
        return result
    if _is_exact_kind(ref):
        equal = ref == cand
        result.mismatches = int(np.size(equal) - np.count_nonzero(equal))
        result.mismatch_fraction = result.mismatches / max(ref.size, 1)
        result.bit_exact = result.passed = result.mismatches == 0
        result.atol = result.rtol = 0.0
        if not result.passed:
            result.reason = (
                f"{result.mismatches} of {ref.size} values differ"
                f" (exact match required for {ref.dtype})"
            )
        return result
    return _compare_float(ref, cand, tol, result)


def _compare_float(
    ref: np.ndarray, cand: np.ndarray, tol: Tolerance, result: OutputComparison
) -> OutputComparison:
    ref64, cand64 = ref.astype(np.float64), cand.astype(np.float64)
    both_nan = np.isnan(ref64) & np.isnan(cand64)
    diff = np.abs(cand64 - ref64)
    if tol.equal_nan:
        diff = np.where(both_nan, 0.0, diff)
    diff = np.where(np.isnan(diff), np.inf, diff)
    magnitude = np.abs(np.where(np.isnan(ref64), 0.0, ref64))  # NaN must never widen the tolerance
    bad = diff > tol.atol + tol.rtol * magnitude
    result.mismatches = int(np.count_nonzero(bad))
    result.mismatch_fraction = result.mismatches / max(ref.size, 1)
    result.passed = result.mismatches == 0
    result.bit_exact = bool(np.array_equal(ref, cand, equal_nan=tol.equal_nan))
    result.histogram = ErrorHistogram.of(diff, magnitude, tol)
    if ref.size:
        result.max_abs_error = float(diff.max())
        result.mean_abs_error = float(diff.mean())
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(magnitude > 0, diff / magnitude, np.where(diff > 0, np.inf, 0.0))
        result.max_rel_error = float(rel.max())
        result.required_atol = float(np.maximum(diff - tol.rtol * magnitude, 0.0).max())
        result.required_rtol = (
            float(rel_needed.max())
            if (rel_needed := _rtol_needed(diff, magnitude, tol.atol)).size
            else 0.0
        )
    if not result.passed:
        result.reason = (
            f"{result.mismatches} of {ref.size} values outside atol={tol.atol:g} rtol={tol.rtol:g};"
            f" max abs error {result.max_abs_error:.3g}"
        )
    return result


def _rtol_needed(diff: np.ndarray, magnitude: np.ndarray, atol: float) -> np.ndarray:
    excess = np.maximum(diff - atol, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(excess > 0, np.where(magnitude > 0, excess / magnitude, np.inf), 0.0)
