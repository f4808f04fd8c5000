"""ref_to_resource on a real tf.compat.v1 graph: VariableV2 -> VarHandleOp, same values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tensorflow.core.framework import types_pb2

from migrate.converter import ref_to_resource
from tests.converter.graphs import B, W, linear, run

X = np.array([[1.0, 1.0], [2.0, -1.0]], np.float32)


def _ops(graph_def: object) -> dict[str, str]:
    return {node.name: node.op for node in graph_def.node}  # type: ignore[attr-defined]


def test_variables_become_handles_and_compute_the_same(tmp_path: Path) -> None:
    meta = linear(tmp_path).meta
    before = run(meta.graph_def, "y:0", {"x:0": X})
    rewrite = ref_to_resource.rewrite_graph(meta.graph_def)
    ops = _ops(meta.graph_def)
    assert sorted(rewrite.variables) == ["b", "w"]
    assert ops["w"] == ops["b"] == "VarHandleOp"
    assert "VariableV2" not in ops.values()
    assert ops["step"] == "Identity"  # the old name now yields the updated variable
    assert ops[f"step{ref_to_resource.UPDATE_SUFFIX}"] == "AssignAddVariableOp"
    after = run(meta.graph_def, "y:0", {"x:0": X})
    np.testing.assert_allclose(after, before)
    np.testing.assert_allclose(after, X * W + B)


def test_fix_meta_graph_removes_ref_dtypes_from_signatures(tmp_path: Path) -> None:
    meta = linear(tmp_path).meta
    meta.signature_def["serving_default"].outputs["w"].name = "w:0"
    meta.signature_def["serving_default"].outputs["w"].dtype = types_pb2.DT_FLOAT_REF
    rewrite = ref_to_resource.rewrite_graph(meta.graph_def)
    ref_to_resource.fix_meta_graph(meta, rewrite)
    output = meta.signature_def["serving_default"].outputs["w"]
    assert output.dtype == types_pb2.DT_FLOAT
    assert output.name != "w:0"  # now a ReadVariableOp of the handle
    np.testing.assert_allclose(run(meta.graph_def, output.name, {}), W)


def test_graph_without_ref_variables_is_left_alone(tmp_path: Path) -> None:
    meta = linear(tmp_path).meta
    ref_to_resource.rewrite_graph(meta.graph_def)
    rewritten = meta.graph_def.SerializeToString(deterministic=True)
    again = ref_to_resource.rewrite_graph(meta.graph_def)
    assert again.variables == []
    assert meta.graph_def.SerializeToString(deterministic=True) == rewritten


def test_unknown_op_is_a_conversion_error(tmp_path: Path) -> None:
    from migrate.errors import ConversionError  # noqa: PLC0415

    meta = linear(tmp_path).meta
    node = meta.graph_def.node.add(name="mystery", op="NoSuchOpAnywhere")
    node.input.append("w")
    with pytest.raises(ConversionError, match="NoSuchOpAnywhere"):
        ref_to_resource.rewrite_graph(meta.graph_def)
