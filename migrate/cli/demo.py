"""`tf-migrate demo`: the main job on a model the project builds itself."""

from __future__ import annotations

from migrate.cli._common import exits_on_error


@exits_on_error
def demo() -> None:
    """Build a small TF1 model with ref variables, convert it, verify parity."""
    raise NotImplementedError
