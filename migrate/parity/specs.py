"""What a signature takes and returns, independent of which TF version runs it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class TensorSpec:
    """One signature input or output: dtype as a numpy dtype name, shape with None for unknown."""

    name: str  # the graph tensor (TF1) or argument name (TF2)
    dtype: str
    shape: tuple[int | None, ...] | None  # None = unknown rank
    sparse: bool = False

    @property
    def np_dtype(self) -> np.dtype:
        return np.dtype(object) if self.dtype == "string" else np.dtype(self.dtype)


@dataclass(frozen=True)
class SignatureSpec:
    key: str
    method_name: str
    inputs: dict[str, TensorSpec] = field(default_factory=dict)
    outputs: dict[str, TensorSpec] = field(default_factory=dict)


def dtype_name(tf_dtype: object) -> str:
    """`tf.string` -> 'string', `tf.float32` -> 'float32'; ref dtypes lose their `_ref`."""
    name = getattr(tf_dtype, "base_dtype", tf_dtype)
    return str(getattr(name, "name", name))
