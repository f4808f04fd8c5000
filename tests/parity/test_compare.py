"""Tolerance maths: numpy.testing.assert_allclose semantics plus the statistics CI needs."""

from __future__ import annotations

import numpy as np
import pytest

from migrate.parity.compare import Tolerance, compare


def test_within_tolerance_passes_with_statistics() -> None:
    ref = np.array([1.0, 2.0, 4.0], dtype=np.float32)
    result = compare("s", "y", ref, ref + np.float32(1e-6), Tolerance(atol=1e-5, rtol=0))
    assert result.passed and not result.bit_exact
    assert result.max_abs_error == pytest.approx(1e-6, rel=0.2)
    assert result.required_atol == pytest.approx(result.max_abs_error)


def test_mismatch_reports_count_and_tightest_tolerance() -> None:
    ref = np.array([1.0, 2.0, 4.0])
    cand = np.array([1.0, 2.1, 4.0])
    result = compare("s", "y", ref, cand, Tolerance(atol=1e-3, rtol=0))
    assert not result.passed and result.mismatches == 1
    assert result.mismatch_fraction == pytest.approx(1 / 3)
    assert result.required_atol == pytest.approx(0.1)
    assert result.required_rtol == pytest.approx((0.1 - 1e-3) / 2.0)
    assert compare("s", "y", ref, cand, Tolerance(atol=result.required_atol + 1e-12, rtol=0)).passed


def test_integer_bool_and_string_need_exact_match() -> None:
    assert not compare(
        "s", "ids", np.array([1, 2]), np.array([1, 3]), Tolerance(atol=10, rtol=10)
    ).passed
    assert compare("s", "ok", np.array([True]), np.array([True]), Tolerance()).bit_exact
    strings = np.array([b"a", b"b"], dtype=object)
    assert not compare("s", "w", strings, np.array([b"a", b"c"], dtype=object), Tolerance()).passed


def test_dtype_and_shape_differences_fail() -> None:
    assert (
        "dtype"
        in compare("s", "y", np.zeros(2, np.float32), np.zeros(2, np.float64), Tolerance()).reason
    )
    assert "shape" in compare("s", "y", np.zeros(2), np.zeros(3), Tolerance()).reason


def test_nan_equality_is_an_option() -> None:
    ref = np.array([np.nan, 1.0])
    assert not compare("s", "y", ref, ref.copy(), Tolerance()).passed
    assert compare("s", "y", ref, ref.copy(), Tolerance(equal_nan=True)).passed


def test_histogram_of_abs_error_is_binned_at_compare_time() -> None:
    """The HTML report's histogram: bounded bins over |cand - ref|, exact and NaN counted apart."""
    from migrate.parity.compare import HISTOGRAM_BINS

    reference = np.zeros(1000, np.float32)
    candidate = reference.copy()
    candidate[:600] += np.float32(1e-3)
    candidate[600:700] = np.nan
    result = compare("s", "y", reference, candidate, Tolerance(1e-5, 1e-5))
    histogram = result.histogram
    assert histogram is not None
    assert len(histogram.counts) == HISTOGRAM_BINS and len(histogram.edges) == HISTOGRAM_BINS + 1
    assert sum(histogram.counts) == 600 and histogram.zeros == 300 and histogram.nonfinite == 100
    assert histogram.edges[0] <= 1e-5 < 1e-3 <= histogram.edges[-1]  # the tolerance is on the axis
    assert compare("s", "n", np.arange(3), np.arange(3), Tolerance()).histogram is None


def test_json_report_keeps_its_schema_without_the_histogram() -> None:
    from migrate.parity.gate import ParityReport
    from migrate.parity.report import to_dict

    report = ParityReport("r", "c", seed=0, batch_size=2)
    report.comparisons.append(compare("s", "y", np.ones(4), np.ones(4) * 2, Tolerance()))
    assert "histogram" not in to_dict(report)["outputs"][0]
