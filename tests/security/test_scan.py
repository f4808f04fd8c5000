"""The denylist scan: found through nested function bodies, saver/asset exemptions are narrow."""

from __future__ import annotations

from pathlib import Path

import pytest
from tensorflow.core.framework import function_pb2, graph_pb2
from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2
from tensorflow.python.framework import op_def_registry

from corpus.models import CASES
from migrate.errors import UnsafeModelError
from migrate.security import DEFAULT_DENYLIST, ensure_safe, scan_graph_def

HOSTILE = [name for name in CASES if name.startswith("hostile_")]


def _meta(corpus_dir: Path, case: str) -> meta_graph_pb2.MetaGraphDef:
    data = (corpus_dir / case / "saved_model" / "saved_model.pb").read_bytes()
    return saved_model_pb2.SavedModel.FromString(data).meta_graphs[0]


def test_every_denylisted_op_exists_in_the_installed_tensorflow_and_has_a_reason() -> None:
    assert {"ReadFile", "WriteFile", "PrintV2"} <= set(DEFAULT_DENYLIST)  # saved_model_cli's list
    assert {
        "PyFunc",
        "EagerPyFunc",
        "PyFuncStateless",
        "MatchingFiles",
        "ImmutableConst",
        "SaveV2",
    } <= set(DEFAULT_DENYLIST)
    for op, denied in DEFAULT_DENYLIST.items():
        assert op_def_registry.get(op) is not None, f"{op} is not a TF 2.21 op"
        assert denied.reason and "\n" not in denied.reason, op


def test_writefile_in_a_nested_function_is_found_in_every_form(corpus_dir: Path) -> None:
    graphs = [
        _meta(corpus_dir, "hostile_writefile"),
        meta_graph_pb2.MetaGraphDef.FromString(
            (corpus_dir / "hostile_writefile/checkpoint/model.ckpt.meta").read_bytes()
        ),
        graph_pb2.GraphDef.FromString((corpus_dir / "hostile_writefile/frozen.pb").read_bytes()),
    ]
    for graph in graphs:
        report = scan_graph_def(graph, source=Path("m"))
        assert [(f.op, f.node) for f in report.findings] == [("WriteFile", "exfiltrate")]
        assert report.findings[0].function.startswith("log_values")
        assert report.functions_scanned == 2


def test_ensure_safe_names_op_node_function_and_the_fix(corpus_dir: Path) -> None:
    meta = _meta(corpus_dir, "hostile_writefile")
    with pytest.raises(UnsafeModelError) as caught:
        ensure_safe(meta, source=Path("model/saved_model.pb"))
    text = str(caught.value)
    assert caught.value.exit_code == 1 and "\n" not in text
    for part in (
        "model/saved_model.pb",
        "WriteFile",
        "'exfiltrate'",
        "function 'log_values",
        "--allow-op WriteFile",
    ):
        assert part in text, part
    report = ensure_safe(meta, source=Path("m"), allow_ops=frozenset({"WriteFile"}))
    assert report.clean and [f.op for f in report.allowed] == ["WriteFile"]


@pytest.mark.parametrize("case", [name for name in CASES if name not in HOSTILE])
def test_ordinary_corpus_models_are_clean(corpus_dir: Path, case: str) -> None:
    """The model's own Saver and vocabulary initializers are not findings."""
    proto = saved_model_pb2.SavedModel.FromString(
        (corpus_dir / case / "saved_model" / "saved_model.pb").read_bytes()
    )
    for meta in proto.meta_graphs:
        assert scan_graph_def(meta, source=Path(case)).findings == ()


def test_real_tf1_and_tf2_saved_models_are_clean(shared_models: Path) -> None:
    paths = sorted(shared_models.rglob("saved_model.pb"))
    assert len(paths) == 4
    for path in paths:
        for meta in saved_model_pb2.SavedModel.FromString(path.read_bytes()).meta_graphs:
            report = scan_graph_def(meta, source=path)
            assert report.clean, (path, report.findings)
    # tf2onnx's training Saver is left in the graph, unreachable from anything that runs.
    meta = saved_model_pb2.SavedModel.FromString(
        (shared_models / "tf2onnx_regression/saved_model/saved_model.pb").read_bytes()
    ).meta_graphs[0]
    assert {f.node for f in scan_graph_def(meta, source=Path("x")).dormant} == {
        "save/SaveV2",
        "save/RestoreV2",
    }


def test_saver_exemption_needs_the_saver_def(corpus_dir: Path) -> None:
    meta = _meta(corpus_dir, "linear_ref")
    bare = scan_graph_def(meta.graph_def, source=Path("m"))
    assert {"SaveV2", "RestoreV2"} <= {f.op for f in bare.findings}
    assert scan_graph_def(meta.graph_def, source=Path("m"), saver_def=meta.saver_def).clean


def _add(graph: graph_pb2.GraphDef, name: str, op: str, inputs: list[str], **strings: str) -> None:
    node = graph.node.add(name=name, op=op, input=inputs)
    for key, value in strings.items():
        node.attr[key].s = value.encode()


def test_a_saver_op_writing_elsewhere_is_refused_even_in_the_saver_scope(corpus_dir: Path) -> None:
    """SaveV2 whose prefix is not the saver's filename tensor, run by a signature, is a finding."""
    meta = _meta(corpus_dir, "linear_ref")
    graph = meta.graph_def
    _add(graph, "save/evil_path", "Const", [])
    _add(
        graph,
        "save/evil",
        "SaveV2",
        ["save/evil_path", "save/SaveV2/tensor_names", "save/SaveV2/shape_and_slices", "W"],
    )
    output = meta.signature_def["serving_default"].outputs["y"].name.split(":")[0]
    next(n for n in graph.node if n.name == output).input.append("^save/evil")
    assert [f.node for f in scan_graph_def(meta, source=Path("m")).findings] == ["save/evil"]
    # The same op unreachable from anything that runs is only reported as dormant.
    next(n for n in graph.node if n.name == output).input.remove("^save/evil")
    report = scan_graph_def(meta, source=Path("m"))
    assert report.clean and [f.node for f in report.dormant] == ["save/evil"]


def test_uncalled_and_recursive_library_functions_are_scanned() -> None:
    graph = graph_pb2.GraphDef()
    graph.node.add(name="x", op="Placeholder")
    graph.node.add(name="loop", op="forever", input=["x"])
    forever = function_pb2.FunctionDef()
    forever.signature.name = "forever"
    forever.signature.input_arg.add(name="a")
    forever.node_def.add(name="again", op="forever", input=["a"])
    forever.node_def.add(name="leak", op="PyFunc", input=["a"])
    hidden = function_pb2.FunctionDef()
    hidden.signature.name = "hidden"
    hidden.node_def.add(name="peek", op="ReadFile")
    branchy = function_pb2.FunctionDef()
    branchy.signature.name = "branchy"
    call = branchy.node_def.add(name="if", op="StatelessIf")
    call.attr["then_branch"].func.name = "hidden"
    graph.library.function.extend([forever, hidden, branchy])
    report = scan_graph_def(graph, source=Path("g"))
    assert {(f.op, f.node, f.function) for f in report.findings} == {
        ("PyFunc", "leak", "forever"),
        ("ReadFile", "peek", "hidden"),
    }
    assert report.functions_scanned == 3


def test_a_corrupt_asset_entry_is_a_clean_input_error(corpus_dir: Path) -> None:
    """Found by the 5,000-mutant fuzz run: a garbled Any in saved_model_assets."""
    from migrate.errors import InputError

    meta = _meta(corpus_dir, "vocab_table")
    meta.collection_def["saved_model_assets"].any_list.value[0].value = b"\xff\xff\xff"
    with pytest.raises(
        InputError, match="saved_model_assets collection is not a valid AssetFileDef"
    ):
        scan_graph_def(meta, source=Path("m"))


def _tf2_vocab_model(tmp_path: Path) -> meta_graph_pb2.MetaGraphDef:
    import tensorflow as tf

    vocab = tmp_path / "vocab.txt"
    vocab.write_text("a\nb\n")

    class Model(tf.Module):
        def __init__(self) -> None:
            super().__init__()
            init = tf.lookup.TextFileInitializer(
                str(vocab),
                tf.string,
                tf.lookup.TextFileIndex.WHOLE_LINE,
                tf.int64,
                tf.lookup.TextFileIndex.LINE_NUMBER,
            )
            self.table = tf.lookup.StaticHashTable(init, -1)

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
        def __call__(self, words: tf.Tensor) -> tf.Tensor:
            return self.table.lookup(words)

    model = Model()
    tf.saved_model.save(model, str(tmp_path / "tf2"), signatures=model.__call__)
    return saved_model_pb2.SavedModel.FromString(
        (tmp_path / "tf2" / "saved_model.pb").read_bytes()
    ).meta_graphs[0]


def test_tf2_asset_path_kept_in_a_variable_is_trusted_only_if_every_write_is(
    tmp_path: Path,
) -> None:
    """TF2 (and our converter) feed the asset path into a variable read by the table initializer."""
    meta = _tf2_vocab_model(tmp_path)
    assert scan_graph_def(meta, source=Path("m")).clean
    graph = meta.graph_def
    handle = next(n for n in graph.node if n.op == "AssignVariableOp").input[0]
    _add(graph, "evil_path", "Const", [])
    _add(graph, "evil_assign", "AssignVariableOp", [handle, "evil_path"])
    report = scan_graph_def(meta, source=Path("m"))
    assert [f.op for f in report.findings] == ["InitializeTableFromTextFileV2"]
