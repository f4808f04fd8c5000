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
