"""Benchmarks for tf-migrate (see benchmarks/README.md); not part of the test suite."""
