"""TF Serving warmup records drive `tf-migrate verify`: decoding, wiring, and strict refusal.

Records are written three ways so the decoder is not only checked against itself: with our own
runtime schema (`encode_predict`), byte by byte from the field numbers of tensorflow/serving's
.proto files, and (when tensorflow-serving-api happens to be installed) with the official classes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import tensorflow as tf
from typer.testing import CliRunner

from migrate.cli import app
from migrate.errors import InputError
from migrate.parity import warmup
from migrate.parity.warmup import WARMUP_FILE, decode_record, encode_predict, load_warmup

runner = CliRunner()


# -- protobuf wire encoding by hand (https://protobuf.dev/programming-guides/encoding/) --------


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _len(number: int, payload: bytes) -> bytes:
    """A length-delimited field (wire type 2): strings, bytes, sub-messages, map entries."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _float_tensor(values: np.ndarray) -> bytes:
    """TensorProto{dtype=1 DT_FLOAT, tensor_shape=2 {dim=2 {size=1}}, tensor_content=4} by hand."""
    dims = b"".join(_len(2, _varint(1 << 3) + _varint(size)) for size in values.shape)
    return _varint(1 << 3) + _varint(1) + _len(2, dims) + _len(4, values.astype("<f4").tobytes())


def _example(features: dict[str, list[float]]) -> bytes:
    return tf.train.Example(
        features=tf.train.Features(
            feature={
                key: tf.train.Feature(float_list=tf.train.FloatList(value=values))
                for key, values in features.items()
            }
        )
    ).SerializeToString()


def _write(path: Path, records: list[bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tf.io.TFRecordWriter(str(path)) as writer:
        for record in records:
            writer.write(record)
    return path


def _with_warmup(model: Path, dst: Path, records: list[bytes]) -> Path:
    shutil.copytree(model, dst)
    _write(dst / WARMUP_FILE, records)
    return dst


def _classify_log(
    signature: str, examples: list[bytes], context: bytes | None = None, field: int = 2
) -> bytes:
    """PredictionLog{classify_log=2 | regress_log=3
    {request=1 {model_spec=1 {signature_name=3}, input=2}}}."""
    if context is None:
        request_input = _len(
            1, b"".join(_len(1, example) for example in examples)
        )  # Input.example_list=1
    else:  # Input.example_list_with_context=2 {examples=1, context=2}
        request_input = _len(
            2, b"".join(_len(1, example) for example in examples) + _len(2, context)
        )
    request = _len(1, _len(3, signature.encode())) + _len(2, request_input)
    return _len(field, _len(1, request))


# -- the decoder ---------------------------------------------------------------------------------


def test_hand_encoded_records_decode_by_field_number() -> None:
    x = np.array([[1.5, -2.0, 3.25]], np.float32)
    spec = _len(1, b"my_model") + _len(3, b"")  # ModelSpec{name=1, signature_name=3 (empty)}
    request = _len(1, spec) + _len(
        2, _len(1, b"x") + _len(2, _float_tensor(x))
    )  # inputs=2: map entry
    predict = _len(6, _len(1, request))  # PredictionLog.predict_log=6 {request=1}
    [call] = decode_record(predict)
    assert (call.kind, call.signature) == ("predict", "serving_default")  # TF Serving's default
    np.testing.assert_array_equal(call.inputs["x"], x)
    assert call.inputs["x"].dtype == np.float32

    examples = [_example({"id": [1.0]}), _example({"id": [2.0]})]
    [regress] = decode_record(
        _classify_log("regress", examples, _example({"x": [4.0, 5.0]}), field=3)
    )
    assert (regress.kind, regress.signature) == ("regress", "regress")
    merged = [tf.train.Example.FromString(s).features.feature for s in regress.inputs["inputs"]]
    assert [list(f["x"].float_list.value) for f in merged] == [
        [4.0, 5.0]
    ] * 2  # context merged into each
    assert [f["id"].float_list.value[0] for f in merged] == [1.0, 2.0]

    task = _len(1, _len(3, b"classify")) + _len(2, b"tensorflow/serving/classify")  # InferenceTask
    multi = _len(
        4,
        _len(
            1,
            _len(1, task)
            + _len(1, _len(1, _len(3, b"regress")))
            + _len(2, _len(1, _len(1, examples[0]))),
        ),
    )
    assert [(c.kind, c.signature, len(c.inputs["inputs"])) for c in decode_record(multi)] == [
        ("multi_inference", "classify", 1),
        ("multi_inference", "regress", 1),
    ]


def test_official_serving_protos_agree_when_installed() -> None:
    prediction_log_pb2 = pytest.importorskip("tensorflow_serving.apis.prediction_log_pb2")
    ours = encode_predict(
        "sig", {"x": np.arange(6, dtype=np.int64).reshape(2, 3), "s": np.array([b"a", b"b"])}, "m"
    )
    official = prediction_log_pb2.PredictionLog.FromString(ours)
    assert official.predict_log.request.model_spec.signature_name == "sig"
    np.testing.assert_array_equal(
        tf.make_ndarray(official.predict_log.request.inputs["x"]), np.arange(6).reshape(2, 3)
    )
    log = prediction_log_pb2.PredictionLog()
    log.log_metadata.model_spec.name = "m"  # a field we leave undeclared: skipped, not an error
    log.classify_log.request.model_spec.signature_name = "classify"
    log.classify_log.request.model_spec.version.value = 7
    log.classify_log.request.input.example_list.examples.add().ParseFromString(
        _example({"x": [1.0, 2.0]})
    )
    [call] = decode_record(log.SerializeToString())
    assert (call.kind, call.signature, list(call.inputs)) == ("classify", "classify", ["inputs"])


_SHAPE_4_CONTENT_3 = _float_tensor(np.ones(3, np.float32)).replace(
    b"\x08\x03", b"\x08\x04"
)  # dim size 3 -> 4


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (b"\xff\xff\xff", "not a PredictionLog ("),
        (b"", "none of predict_log"),
        (_len(5, b"opaque"), "session_run_log records cannot drive"),
        (_len(6, _len(1, _len(1, _len(1, b"m")))), "predict request has no inputs"),
        (_classify_log("classify", []), "holds no examples"),
        (_len(2, _len(1, b"")), "no example_list nor example_list_with_context"),
        (
            _len(6, _len(1, _len(2, _len(1, b"x") + _len(2, _SHAPE_4_CONTENT_3)))),
            "input 'x' is not a valid",
        ),
    ],
)
def test_malformed_records_are_refused(record: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        decode_record(record)


def test_load_warmup_refuses_broken_files(tmp_path: Path) -> None:
    good = _write(tmp_path / "good", [encode_predict("", {"x": np.zeros((1, 3), np.float32)})] * 2)
    grouped = load_warmup(good).by_signature()
    assert list(grouped) == ["serving_default"] and len(grouped["serving_default"]) == 2
    np.testing.assert_array_equal(grouped["serving_default"][1]["x"], np.zeros((1, 3), np.float32))
    data = good.read_bytes()
    cases = {
        "cut_record": data[:-5],
        "cut_header": data[: len(data) // 2 + 4],
        "text": b"hello, not a TFRecord" * 4,
        "short": b"12345678",
        "empty": b"",
        "bad_crc": data[:20] + bytes([data[20] ^ 1]) + data[21:],
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(InputError) as caught:
            load_warmup(tmp_path / name)
        text = str(caught.value)
        assert name in text and "--no-warmup" in text and "\n" not in text, text
    not_a_log = _write(tmp_path / "not_a_log", [b"\xff\xff\xff"])
    with pytest.raises(InputError, match="record 0: not a PredictionLog"):
        load_warmup(not_a_log)
    with pytest.raises(InputError, match="at most 1000"):
        load_warmup(_write(tmp_path / "many", [data[16:-4]] * 1001))


# -- verify on corpus models ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def converted(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("converted_warmup")
    for case in ("linear_ref", "classify_regress"):
        result = runner.invoke(
            app, ["convert", str(corpus_dir / case / "saved_model"), str(out / case), "--no-verify"]
        )
        assert result.exit_code == 0, result.output
    return {case: out / case for case in ("linear_ref", "classify_regress")}


def _shifted(model: Path, dst: Path, variable: str, change: float) -> Path:
    """The same TF2 model with the first element of one variable shifted: a broken conversion.

    One element, not all: a uniform shift of `b` (or `W`) moves every logit alike, which softmax
    and logit differences cannot see.
    """
    loaded = tf.saved_model.load(str(model))
    target = next(v for v in loaded.variables if v.name.startswith(variable))
    delta = np.zeros(target.shape, target.dtype.as_numpy_dtype)
    delta.flat[0] = change
    target.assign_add(delta)
    tf.saved_model.save(loaded, str(dst), signatures=dict(loaded.signatures))
    return dst


def _flat(output: str) -> str:
    return " ".join(output.split())


def test_verify_uses_the_reference_warmup_requests(
    corpus_dir: Path, converted: dict[str, Path], tmp_path: Path
) -> None:
    big, zeros = np.full((1, 3), 1000.0, np.float32), np.zeros((4, 3), np.float32)
    reference = _with_warmup(
        corpus_dir / "linear_ref" / "saved_model",
        tmp_path / "ref",
        [encode_predict("", {"x": big}), encode_predict("serving_default", {"x": zeros})],
    )
    report, saved = tmp_path / "r.json", tmp_path / "used.npz"
    ok = runner.invoke(
        app,
        [
            "verify",
            str(reference),
            str(converted["linear_ref"]),
            "--json",
            str(report),
            "--save-inputs",
            str(saved),
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert (
        f"warmup: 2 call(s) from {reference / WARMUP_FILE} (2 predict; serving_default: 2)"
        in _flat(ok.output)
    )
    data = json.loads(report.read_text())
    jsonschema.validate(
        data,
        json.loads(
            (Path(__file__).resolve().parents[2] / "docs" / "parity_report.schema.json").read_text()
        ),
    )
    outputs = data["outputs"]
    assert [(o["step"], o["signature"], o["shape"]) for o in outputs] == [
        (0, "serving_default", [1, 2]),
        (1, "serving_default", [4, 2]),
    ]
    with np.load(saved) as used:
        assert sorted(used.files) == ["0:serving_default/x", "1:serving_default/x"]
        np.testing.assert_array_equal(used["0:serving_default/x"], big)
        np.testing.assert_array_equal(used["1:serving_default/x"], zeros)

    # W off by 1e-4: invisible on generated inputs in [-1, 1] at atol 1e-2, plain at x = 1000.
    broken = _shifted(converted["linear_ref"], tmp_path / "broken_w", "W", 1e-4)
    strict = ["--atol", "1e-2", "--rtol", "0", "--json", str(report)]
    caught = runner.invoke(app, ["verify", str(reference), str(broken), *strict])
    assert caught.exit_code == 1, caught.output
    failed = [
        (o["step"], o["output"])
        for o in json.loads(report.read_text())["outputs"]
        if not o["passed"]
    ]
    assert failed == [(0, "y")]
    assert (
        runner.invoke(
            app, ["verify", str(reference), str(broken), *strict, "--no-warmup"]
        ).exit_code
        == 0
    )

    # --warmup names a file explicitly; with x = 0 only, W cannot show at all.
    only_zeros = _write(
        tmp_path / "zeros.tfrecord", [encode_predict("serving_default", {"x": zeros})]
    )
    way_off = _shifted(converted["linear_ref"], tmp_path / "way_off_w", "W", 1.0)
    plain = str(corpus_dir / "linear_ref" / "saved_model")
    assert (
        runner.invoke(app, ["verify", plain, str(way_off), "--warmup", str(only_zeros)]).exit_code
        == 0
    )
    assert (
        runner.invoke(app, ["verify", plain, str(way_off)]).exit_code == 1
    )  # no warmup file: generated inputs


def test_classify_regress_logs_feed_example_signatures(
    corpus_dir: Path, converted: dict[str, Path], tmp_path: Path
) -> None:
    examples = [
        _example({"x": [1.0, 2.0]}),
        _example({"x": [-3.0, 0.5]}),
        _example({"x": [0.0, 4.0]}),
    ]
    serialized = tf.make_tensor_proto(np.array(examples[:2], dtype=object)).SerializeToString()
    predict = _len(
        6, _len(1, _len(2, _len(1, b"examples") + _len(2, serialized)))
    )  # serving_default by default
    context_only = _classify_log("regress", [_example({})], _example({"x": [2.0, 2.0]}), field=3)
    records = [_classify_log("classify", examples), context_only, predict]
    reference = _with_warmup(
        corpus_dir / "classify_regress" / "saved_model", tmp_path / "ref", records
    )
    report = tmp_path / "r.json"
    result = runner.invoke(
        app, ["verify", str(reference), str(converted["classify_regress"]), "--json", str(report)]
    )
    assert result.exit_code == 0, result.output
    assert (
        "warmup: 3 call(s)" in result.output and "1 classify, 1 predict, 1 regress" in result.output
    )
    rows = {
        (o["step"], o["signature"], o["output"]): o["shape"][0]
        for o in json.loads(report.read_text())["outputs"]
    }
    assert rows == {
        (0, "classify", "classes"): 3,
        (0, "classify", "scores"): 3,
        (1, "regress", "outputs"): 1,
        (2, "serving_default", "scores"): 2,
        (2, "serving_default", "value"): 2,
    }
    broken = _shifted(converted["classify_regress"], tmp_path / "broken_b", "b", 1e-2)
    assert runner.invoke(app, ["verify", str(reference), str(broken)]).exit_code == 1


def test_malformed_or_mismatched_warmup(
    corpus_dir: Path, converted: dict[str, Path], tmp_path: Path
) -> None:
    candidate = str(converted["linear_ref"])
    good = encode_predict("", {"x": np.ones((1, 3), np.float32)})
    truncated = _with_warmup(
        corpus_dir / "linear_ref" / "saved_model", tmp_path / "truncated", [good]
    )
    (truncated / WARMUP_FILE).write_bytes((truncated / WARMUP_FILE).read_bytes()[:-3])
    bad = runner.invoke(app, ["verify", str(truncated), candidate])
    assert bad.exit_code == 2, bad.output
    assert (
        "tf_serving_warmup_requests: is not a readable TFRecord file" in _flat(bad.output)
        and "--no-warmup" in bad.output
    )
    assert runner.invoke(app, ["verify", str(truncated), candidate, "--no-warmup"]).exit_code == 0
    assert (
        runner.invoke(
            app, ["verify", str(truncated), candidate, "--warmup", str(tmp_path / "missing")]
        ).exit_code
        == 2
    )
    assert (
        runner.invoke(
            app, ["verify", str(truncated), candidate, "--warmup", str(tmp_path), "--no-warmup"]
        ).exit_code
        == 2
    )

    # Well-formed records that ask for what the model does not have fail the gate (exit 1), by name.
    ones = np.ones((1, 3), np.float32)
    wrong = _write(
        tmp_path / "wrong", [encode_predict("", {"z": ones}), encode_predict("nope", {"x": ones})]
    )
    result = runner.invoke(app, ["verify", str(truncated), candidate, "--warmup", str(wrong)])
    assert result.exit_code == 1, result.output
    assert "step 0: serving_default has no input(s) ['z']" in _flat(result.output)
    assert "step 1: signature 'nope' is not on both sides" in _flat(result.output)


def test_shared_real_models_and_a_warmup_added_to_half_plus_two(
    shared_models: Path, tmp_path: Path
) -> None:
    """No shared model ships assets.extra (checked); half_plus_two (TF 1.14) takes one we add."""
    serving = shared_models / "serving"
    assert [p for p in serving.rglob("assets.extra")] == []
    source = serving / "saved_model_half_plus_two_cpu"
    reference = tmp_path / "hp2"
    shutil.copytree(source, reference)
    version = reference / "00000123"
    records = [
        encode_predict("", {"x": np.array([[4.0], [-2.0]], np.float32)}),
        _classify_log("regress_x_to_y", [_example({"x": [1.0]}), _example({"x": [3.0]})], field=3),
    ]
    _write(version / WARMUP_FILE, records)
    candidate = tmp_path / "hp2_tf2"
    converted = runner.invoke(app, ["convert", str(source), str(candidate), "--no-verify"])
    assert converted.exit_code == 0, converted.output

    from migrate.converter.verification import verify_paths
    from migrate.parity.gate import ParityOptions

    assert (
        warmup.find_warmup(reference) == version / WARMUP_FILE
    )  # a TF Serving base: the newest version
    options = ParityOptions(
        signatures=("serving_default", "regress_x_to_y"),
        given_calls=load_warmup(version / WARMUP_FILE).calls(),
    )
    report = verify_paths(reference, candidate, options)
    assert report.passed, report.errors
    assert [(c.step, c.signature, c.shape) for c in report.comparisons] == [
        (0, "serving_default", [2, 1]),
        (1, "regress_x_to_y", [2, 1]),
    ]
