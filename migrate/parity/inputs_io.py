"""User-supplied parity inputs: .npz feeds, saved_model_cli-style tf.Example JSON, call sequences.

Never unpickles: `np.load(..., allow_pickle=False)` refuses object arrays from untrusted files.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from migrate.errors import InputError
from migrate.parity.gate import Call


def load_npz(path: Path) -> dict[str, dict[str, Any]]:
    """Keys are `signature/input` (one signature) or `input` (every signature with that input)."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise InputError(
            f"cannot read inputs: {error}",
            path=path,
            fix="write it with numpy.savez (no pickled objects).",
        ) from None
    feeds: dict[str, dict[str, Any]] = {}
    for key, array in arrays.items():
        signature, _, name = key.rpartition("/")
        feeds.setdefault(signature or "*", {})[name] = array
    return feeds


def save_npz(path: Path, feeds: dict[str, dict[str, Any]]) -> None:
    flat = {
        f"{sig}/{name}": np.asarray(value)
        for sig, values in feeds.items()
        for name, value in values.items()
        if not hasattr(value, "indices")
    }
    with open(path, "wb") as handle:
        arrays: dict[str, Any] = {
            k: (v.astype(bytes) if v.dtype == object else v) for k, v in flat.items()
        }
        np.savez(handle, **arrays)


def load_examples(path: Path) -> dict[str, np.ndarray]:
    """`{"input_key": [{"feature": [values...]}, ...]}` -> serialized tf.Example batches."""
    import tensorflow as tf  # noqa: PLC0415

    data = _read_json(path)
    if not isinstance(data, dict):
        raise InputError("expected a JSON object of input key -> list of examples.", path=path)
    batches = {}
    for key, examples in data.items():
        serialized = []
        for example in examples:
            features = {}
            for name, values in example.items():
                values = values if isinstance(values, list) else [values]
                if all(isinstance(v, int) for v in values):
                    features[name] = tf.train.Feature(int64_list=tf.train.Int64List(value=values))
                elif all(isinstance(v, (int, float)) for v in values):
                    features[name] = tf.train.Feature(float_list=tf.train.FloatList(value=values))
                else:
                    features[name] = tf.train.Feature(
                        bytes_list=tf.train.BytesList(value=[str(v).encode() for v in values])
                    )
            serialized.append(
                tf.train.Example(features=tf.train.Features(feature=features)).SerializeToString()
            )
        batches[key] = np.array(serialized, dtype=object)
    return batches


def load_sequence(path: Path) -> list[Call]:
    """`[{"signature": "incr", "inputs": {"delta": 5.0}}, ...]` for stateful models."""
    data = _read_json(path)
    if not isinstance(data, list) or not all(
        isinstance(step, dict) and "signature" in step for step in data
    ):
        raise InputError('expected a JSON list of {"signature": ..., "inputs": {...}}.', path=path)
    return [Call(step["signature"], dict(step.get("inputs", {}))) for step in data]


def _read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("does not exist.", path=path) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"is not valid JSON ({error}).", path=path) from None
