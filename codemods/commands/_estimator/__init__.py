"""Estimator export: reading model_fn/input_fn/receivers (plan) and emitting the Module (emit)."""
