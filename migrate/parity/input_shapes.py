"""Input shapes the graph itself reveals, for signatures whose declared shapes do not run.

A TF1 signature may declare an input with no shape (an RNN's `X`), as a scalar where the graph
needs a vector (a TF 1.0 `shape {}` placeholder feeding `ParseExample`), or with a free batch
dimension that the model cannot take (an output statically shaped `(1, ...)`). The consumers say
what runs: a `Reshape` target, a `MatMul` inner dimension, `strided_slice` bounds, a parse op.
Pure GraphDef analysis: nothing is imported or run.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from migrate.parity.specs import SignatureSpec, TensorSpec

Shape = tuple[int | None, ...]
_PASS = frozenset({"Identity", "StopGradient", "Snapshot"})


class ShapeFacts:
    """Consumers of each tensor in a TF1 GraphDef, and the constants they use."""

    def __init__(self, graph_def: Any | None) -> None:
        self._nodes = {n.name: n for n in graph_def.node} if graph_def is not None else {}
        self._users: dict[str, list[tuple[Any, int]]] = {}
        for node in self._nodes.values():
            for index, text in enumerate(node.input):
                if not text.startswith("^"):
                    self._users.setdefault(_tensor(text), []).append((node, index))

    def infer(self, tensor_name: str) -> Shape | None:
        """The shape the first revealing consumer needs (None: batch), or None if none says."""
        for node, index in self._consumers(_tensor(tensor_name)):
            shape = self._from_consumer(node, index)
            if shape is not None:
                return shape
        return None

    def needs_vector(self, tensor_name: str) -> bool:
        """Fed to `ParseExample` v1, which takes serialized examples as a vector only."""
        return any(
            node.op == "ParseExample" and index == 0
            for node, index in self._consumers(_tensor(tensor_name))
        )

    def _consumers(self, tensor: str, depth: int = 4) -> list[tuple[Any, int]]:
        found, frontier = [], [tensor]
        for _ in range(depth):
            following = []
            for name in frontier:
                for node, index in self._users.get(name, []):
                    if node.op in _PASS:
                        following.append(f"{node.name}:0")
                    else:
                        found.append((node, index))
            frontier = following
        return found

    def _from_consumer(self, node: Any, index: int) -> Shape | None:
        if node.op == "Reshape" and index == 0:
            target = self._const(node.input[1])
            if target is not None and target.ndim == 1 and int((target == -1).sum()) <= 1:
                return tuple(None if int(v) == -1 else int(v) for v in target)
        if node.op in ("MatMul", "BatchMatMul", "BatchMatMulV2") and index == 0:
            inner = self._rows(node.input[1], node.attr["transpose_b"].b)
            if inner is not None and not node.attr["transpose_a"].b:
                return (None, inner)
        if node.op in ("ParseExample",) and index == 0:
            return (None,)
        if node.op == "StridedSlice" and index == 0:
            return self._slice_shape(node)
        return None

    def _slice_shape(self, node: Any) -> Shape | None:
        begin, end = self._const(node.input[1]), self._const(node.input[2])
        masks = ("ellipsis_mask", "new_axis_mask")
        if begin is None or end is None or any(node.attr[m].i for m in masks):
            return None
        shrink = node.attr["shrink_axis_mask"].i
        dims: list[int | None] = []
        for axis, (low, high) in enumerate(zip(begin.tolist(), end.tolist(), strict=False)):
            bounded = shrink >> axis & 1 or not node.attr["end_mask"].i >> axis & 1
            need = max(int(low) + 1, int(high)) if bounded else 0
            dims.append(need if axis > 0 and need > 0 else None)
        return tuple(dims)

    def _rows(self, tensor: str, transposed: bool) -> int | None:
        node = self._nodes.get(tensor.split(":")[0])
        while node is not None and node.op in (*_PASS, "ReadVariableOp") and node.input:
            node = self._nodes.get(node.input[0].split(":")[0])
        if node is None:
            return None
        if node.op == "Const":
            dims = [d.size for d in node.attr["value"].tensor.tensor_shape.dim]
        elif "shape" in node.attr:
            dims = [d.size for d in node.attr["shape"].shape.dim]
        else:
            return None
        if len(dims) != 2:
            return None
        size = dims[1] if transposed else dims[0]
        return size if size > 0 else None

    def _const(self, tensor: str) -> np.ndarray | None:
        import tensorflow as tf  # noqa: PLC0415 - parity already runs TensorFlow

        node = self._nodes.get(tensor.split(":")[0])
        if node is None or node.op != "Const":
            return None
        return np.asarray(tf.make_ndarray(node.attr["value"].tensor))


def _tensor(text: str) -> str:
    return text if ":" in text else f"{text}:0"


def refine(spec: SignatureSpec, facts: ShapeFacts) -> tuple[SignatureSpec, list[str]]:
    """Replace declared input shapes that cannot run with what the graph reveals; say which."""
    inputs, notes = dict(spec.inputs), []
    for key, tensor in spec.inputs.items():
        if tensor.sparse:
            continue
        if tensor.shape == () and facts.needs_vector(tensor.name):
            inputs[key] = dataclasses.replace(tensor, shape=(None,))
            notes.append(
                f"input '{key}' is declared a scalar but feeds ParseExample, which takes a vector "
                "(a TF 1.0 `shape {}` placeholder meant 'unknown'): fed a batch of examples."
            )
        elif tensor.shape is None:
            inferred = facts.infer(tensor.name)
            if inferred is not None:
                inputs[key] = dataclasses.replace(tensor, shape=inferred)
                notes.append(
                    f"input '{key}' has no shape; the graph's consumers need "
                    f"{_show(inferred)}: fed that."
                )
    return dataclasses.replace(spec, inputs=inputs), notes


def static_batch(spec: SignatureSpec) -> int | None:
    """The batch every output is statically fixed to (e.g. 1), if the outputs agree on one."""
    batches = {
        t.shape[0]
        for t in spec.outputs.values()
        if t.shape and t.shape[0] is not None and not t.sparse
    }
    return batches.pop() if len(batches) == 1 else None


def _show(shape: Shape) -> str:
    return "(" + ", ".join("batch" if d is None else str(d) for d in shape) + ")"


def describe(spec: SignatureSpec, feeds: dict[str, Any]) -> str:
    return ", ".join(
        f"{key}{list(np.shape(value))}"
        for key, value in sorted(feeds.items())
        if key in spec.inputs
    )


__all__ = ["ShapeFacts", "TensorSpec", "describe", "refine", "static_batch"]
