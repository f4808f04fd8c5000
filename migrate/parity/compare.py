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
            result.reason = f"{result.mismatches} of {ref.size} values differ (exact match required for {ref.dtype})"
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
