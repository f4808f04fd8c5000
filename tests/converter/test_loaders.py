"""loaders on real files: each TF1 form becomes a TF1Model; bad input is a one-line error."""

from __future__ import annotations

from pathlib import Path

import pytest
import tensorflow as tf

from migrate.converter.loaders import LoadOptions, load_tf1_model
from migrate.converter.signature_flags import parse_flag
from migrate.errors import InputError, SignatureError
from migrate.reader import ModelFormat
from tests.converter.graphs import frozen_linear, linear

DEFINE = LoadOptions(definitions=(parse_flag("serving_default:x->y"),))


def test_meta_and_checkpoint(tmp_path: Path) -> None:
    built = linear(tmp_path)
    model = load_tf1_model(tmp_path / "model.ckpt.meta", DEFINE)
    assert model.source_format is ModelFormat.META_CHECKPOINT
    assert model.checkpoint == str(built.prefix)
    assert model.signature_origin == "--signature"
    assert model.tags == frozenset({"serve"})
    assert "serving_default" in model.meta.signature_def
    # The caller's format is trusted, the same model loads from its directory too.
    again = load_tf1_model(tmp_path, DEFINE, ModelFormat.META_CHECKPOINT)
    assert again.checkpoint == model.checkpoint


def test_meta_without_its_checkpoint_is_refused(tmp_path: Path) -> None:
    linear(tmp_path)
    for item in tmp_path.glob("model.ckpt.*"):
        if item.suffix != ".meta":
            item.unlink()
    (tmp_path / "checkpoint").unlink()
    with pytest.raises(InputError, match="no checkpoint beside it"):
        load_tf1_model(tmp_path / "model.ckpt.meta", DEFINE)


def test_frozen_graph_unfreeze(tmp_path: Path) -> None:
    path = tmp_path / "frozen.pb"
    path.write_bytes(frozen_linear().SerializeToString())
    plain = load_tf1_model(path, DEFINE)
    assert plain.source_format is ModelFormat.FROZEN_GRAPH
    assert plain.conversion_meta is plain.meta and "--unfreeze" in plain.warnings[0]
    unfrozen = load_tf1_model(path, LoadOptions(definitions=DEFINE.definitions, unfreeze=True))
    assert sorted(unfrozen.initial_values) == ["b", "w"]
    assert unfrozen.conversion_meta is not unfrozen.meta  # the TF1 reference stays frozen
    assert {n.op for n in unfrozen.meta.graph_def.node} >= {"Const"}


def test_unfreeze_on_a_meta_graph_is_refused(tmp_path: Path) -> None:
    linear(tmp_path)
    options = LoadOptions(definitions=DEFINE.definitions, unfreeze=True)
    with pytest.raises(InputError, match="frozen GraphDefs only"):
        load_tf1_model(tmp_path / "model.ckpt.meta", options)


def test_frozen_graph_with_one_clear_sink_gets_a_built_signature(tmp_path: Path) -> None:
    path = tmp_path / "frozen.pb"
    path.write_bytes(frozen_linear().SerializeToString())
    model = load_tf1_model(path)
    assert model.signature_origin == "built automatically"
    signature = model.meta.signature_def["serving_default"]
    assert [info.name for info in signature.inputs.values()] == ["x:0"]
    assert [info.name for info in signature.outputs.values()] == ["y:0"]


def test_frozen_graph_with_two_sinks_names_candidates(tmp_path: Path) -> None:
    graph_def = frozen_linear()
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.import_graph_def(graph_def, name="")
        x = graph.get_tensor_by_name("x:0")
        tf.identity(x * 3.0, name="tripled")  # a second served-looking sink: ambiguous
    path = tmp_path / "frozen.pb"
    path.write_bytes(graph.as_graph_def().SerializeToString())
    with pytest.raises(SignatureError) as raised:
        load_tf1_model(path)
    assert "x" in str(raised.value) and str(path) in str(raised.value)


def test_corrupt_graph_def_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pb"
    path.write_bytes(b"\xff\xfe not a protobuf")
    with pytest.raises(InputError, match="not a valid GraphDef"):
        load_tf1_model(path, DEFINE)
