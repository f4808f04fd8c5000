"""Device flags (`cpu`, `gpu`, `gpu:N`) -> TF device strings, refusing GPUs that are not there."""

from __future__ import annotations

import re

from migrate.errors import DeviceError


def parse_device(flag: str) -> str:
    """Return a canonical `/device:CPU:0`-style string for a CLI device flag."""
    match = re.fullmatch(r"(cpu|gpu)(?::(\d+))?", flag.strip().lower())
    if not match:
        raise DeviceError(f"unknown device '{flag}'.", fix="use cpu, gpu or gpu:N.")
    kind, index = match.group(1).upper(), int(match.group(2) or 0)
    return f"/device:{kind}:{index}"


def require_device(device: str) -> str:
    """Fail clearly instead of silently running on CPU when a GPU is asked for."""
    import tensorflow as tf  # noqa: PLC0415 - only runners need TF

    kind, index = device.rsplit(":", 2)[-2:]
    available = tf.config.list_physical_devices(kind)
    if int(index) >= len(available):
        raise DeviceError(
            f"{device} was requested but this machine has {len(available)} {kind} device(s) visible"
            " to TensorFlow.",
            fix="run on a machine with a GPU and a CUDA-enabled TensorFlow,"
            " or pass --candidate-device cpu.",
        )
    return device
