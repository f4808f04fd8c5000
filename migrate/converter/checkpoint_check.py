"""Read a checkpoint's index before TensorFlow restores from it.

A corrupt `.index` can claim tensors of petabytes; TF's restore kernel then throws `std::bad_alloc`
in C++, which aborts the whole process (found by fuzzing). The Python checkpoint reader reports the
same corruption as a catchable error, and the claimed sizes can be checked against the data files.
"""

from __future__ import annotations

import math
from pathlib import Path

import tensorflow as tf

from migrate.errors import InputError, tf_error_line

_FIX = "the checkpoint is truncated or corrupt; copy the .index and every .data shard again."


def check_checkpoint(prefix: str) -> None:
    """Refuse an unreadable index, or one whose tensors would not fit in its data files."""
    try:
        reader = tf.train.load_checkpoint(prefix)
        shapes = reader.get_variable_to_shape_map()
        dtypes = reader.get_variable_to_dtype_map()
    except (tf.errors.OpError, MemoryError, ValueError, RuntimeError, IndexError) as error:
        raise InputError(
            f"the checkpoint cannot be read ({tf_error_line(error)}).", path=prefix, fix=_FIX
        ) from None
    claimed = sum(
        math.prod(shapes[key]) * dtypes[key].size
        for key in shapes
        if dtypes[key] != tf.string and all(d >= 0 for d in shapes[key])
    )
    stored = _data_bytes(Path(prefix))
    if claimed > stored:
        raise InputError(
            f"the checkpoint index describes {claimed} bytes of tensors but its data files hold"
            f" {stored}.",
            path=prefix,
            fix=_FIX,
        )


def _data_bytes(prefix: Path) -> int:
    shards = list(prefix.parent.glob(f"{prefix.name}.data-*")) or list(
        prefix.parent.glob(f"{prefix.name}-?????-of-?????")
    )
    if not shards and prefix.is_file():  # V1: one file holds index and data
        shards = [prefix]
    return sum(shard.stat().st_size for shard in shards)
