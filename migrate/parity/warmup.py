"""TF Serving warmup records (`assets.extra/tf_serving_warmup_requests`) as parity inputs.

A warmup file is a TFRecord of `tensorflow.serving.PredictionLog` protos: the requests a team
already trusts to exercise its model. Those protos ship only in `tensorflow-serving-api`, which
pins TensorFlow's version, so the few messages read here are declared at runtime in a private
descriptor pool (no clash if the official package is imported too), reusing TensorFlow's own
`TensorProto` and `Example`. Names and field numbers follow tensorflow/serving,
`tensorflow_serving/apis/`: prediction_log.proto (PredictionLog, ClassifyLog, RegressLog,
PredictLog, MultiInferenceLog), predict.proto (PredictRequest), model.proto (ModelSpec),
classification.proto (ClassificationRequest), regression.proto (RegressionRequest),
inference.proto (MultiInferenceRequest, InferenceTask), input.proto (Input, ExampleList,
ExampleListWithContext). Fields the gate does not need (responses, log metadata, versions) are
declared as opaque bytes or left unknown: protobuf skips them, so newer files still parse.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from migrate.errors import InputError, MigrateError
from migrate.parity.gate import Call

WARMUP_FILE = Path("assets.extra") / "tf_serving_warmup_requests"
DEFAULT_SIGNATURE = "serving_default"  # TF Serving's choice when model_spec.signature_name is empty
EXAMPLES_INPUT = "inputs"  # classify/regress signatures take their tf.Examples under this key
MAX_RECORDS = 1000  # TF Serving refuses warmup files with more records than this
PACKAGE = "tensorflow.serving"
_FRAMING = 16  # per TFRecord: uint64 length, its masked crc32c, the data, the data's masked crc32c
_FIX = "rewrite it as a TFRecord of tensorflow.serving.PredictionLog (or pass --no-warmup)."

# message -> [(field, number, type, label, oneof)]; type: "string", "bytes" or a message name
# (".x.Y" is fully qualified). label "r" = repeated. Map fields are their generated entry message.
_SCHEMA: dict[str, list[tuple[str, int, str, str, str]]] = {
    "ModelSpec": [
        ("name", 1, "string", "", ""),
        ("version", 2, "bytes", "", "version_choice"),
        ("signature_name", 3, "string", "", ""),
        ("version_label", 4, "string", "", "version_choice"),
    ],
    "ExampleList": [("examples", 1, ".tensorflow.Example", "r", "")],
    "ExampleListWithContext": [
        ("examples", 1, ".tensorflow.Example", "r", ""),
        ("context", 2, ".tensorflow.Example", "", ""),
    ],
    "Input": [
        ("example_list", 1, "ExampleList", "", "kind"),
        ("example_list_with_context", 2, "ExampleListWithContext", "", "kind"),
    ],
    "ClassificationRequest": [
        ("model_spec", 1, "ModelSpec", "", ""),
        ("input", 2, "Input", "", ""),
    ],
    "RegressionRequest": [("model_spec", 1, "ModelSpec", "", ""), ("input", 2, "Input", "", "")],
    "PredictRequest": [
        ("model_spec", 1, "ModelSpec", "", ""),
        ("inputs", 2, "PredictRequest.InputsEntry", "r", ""),
        ("output_filter", 3, "string", "r", ""),
    ],
    "InferenceTask": [("model_spec", 1, "ModelSpec", "", ""), ("method_name", 2, "string", "", "")],
    "MultiInferenceRequest": [
        ("tasks", 1, "InferenceTask", "r", ""),
        ("input", 2, "Input", "", ""),
    ],
    "ClassifyLog": [("request", 1, "ClassificationRequest", "", "")],
    "RegressLog": [("request", 1, "RegressionRequest", "", "")],
    "PredictLog": [("request", 1, "PredictRequest", "", "")],
    "MultiInferenceLog": [("request", 1, "MultiInferenceRequest", "", "")],
    "PredictionLog": [
        ("log_metadata", 1, "bytes", "", ""),
        ("classify_log", 2, "ClassifyLog", "", "log_type"),
        ("regress_log", 3, "RegressLog", "", "log_type"),
        ("multi_inference_log", 4, "MultiInferenceLog", "", "log_type"),
        ("session_run_log", 5, "bytes", "", "log_type"),
        ("predict_log", 6, "PredictLog", "", "log_type"),
        ("predict_streamed_log", 7, "bytes", "", "log_type"),
    ],
}
_MAP_ENTRIES = {
    "PredictRequest": ("InputsEntry", ".tensorflow.TensorProto")
}  # map<string, TensorProto> inputs = 2


@dataclass(frozen=True)
class WarmupRequest:
    """One signature call taken from a warmup record (a multi-inference record gives several)."""

    record: int
    kind: str  # predict, classify, regress or multi_inference
    signature: str
    inputs: dict[str, np.ndarray]


@dataclass
class Warmup:
    path: Path
    requests: list[WarmupRequest] = field(default_factory=list)

    def by_signature(self) -> dict[str, list[dict[str, np.ndarray]]]:
        grouped: dict[str, list[dict[str, np.ndarray]]] = {}
        for request in self.requests:
            grouped.setdefault(request.signature, []).append(request.inputs)
        return grouped

    def calls(self) -> list[Call]:
        """In file order: TF Serving replays them in that order on one model instance."""
        return [Call(request.signature, dict(request.inputs)) for request in self.requests]

    def summary(self) -> str:
        kinds = Counter(request.kind for request in self.requests)
        per_signature = Counter(request.signature for request in self.requests)
        return (
            f"{len(self.requests)} call(s) from {self.path} ("
            + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
            + "; "
            + ", ".join(f"{sig}: {n}" for sig, n in sorted(per_signature.items()))
            + ")"
        )


@functools.cache
def message_classes() -> dict[str, Any]:
    """The PredictionLog family as Python classes, built once from `_SCHEMA`."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory  # noqa: PLC0415
    from tensorflow.core.example import example_pb2  # noqa: PLC0415
    from tensorflow.core.framework import tensor_pb2  # noqa: PLC0415

    pool = descriptor_pool.DescriptorPool()
    added: set[str] = set()

    def add_with_dependencies(file_descriptor: Any) -> None:
        for dependency in file_descriptor.dependencies:
            add_with_dependencies(dependency)
        if file_descriptor.name not in added:
            added.add(file_descriptor.name)
            pool.AddSerializedFile(file_descriptor.serialized_pb)

    add_with_dependencies(tensor_pb2.DESCRIPTOR)
    add_with_dependencies(example_pb2.DESCRIPTOR)
    proto = descriptor_pb2.FileDescriptorProto(
        name="tf_migrate/serving_warmup.proto",
        package=PACKAGE,
        syntax="proto3",
        dependency=[tensor_pb2.DESCRIPTOR.name, example_pb2.DESCRIPTOR.name],
    )
    kinds = descriptor_pb2.FieldDescriptorProto
    for name, fields in _SCHEMA.items():
        message = proto.message_type.add(name=name)
        if name in _MAP_ENTRIES:
            entry_name, value_type = _MAP_ENTRIES[name]
            entry = message.nested_type.add(name=entry_name)
            entry.options.map_entry = True
            entry.field.add(
                name="key", number=1, type=kinds.TYPE_STRING, label=kinds.LABEL_OPTIONAL
            )
            entry.field.add(
                name="value",
                number=2,
                type=kinds.TYPE_MESSAGE,
                type_name=value_type,
                label=kinds.LABEL_OPTIONAL,
            )
        oneofs: list[str] = []
        for field_name, number, type_name, label, oneof in fields:
            added_field = message.field.add(
                name=field_name,
                number=number,
                label=kinds.LABEL_REPEATED if label == "r" else kinds.LABEL_OPTIONAL,
            )
            if type_name in ("string", "bytes"):
                added_field.type = kinds.TYPE_STRING if type_name == "string" else kinds.TYPE_BYTES
            else:
                added_field.type = kinds.TYPE_MESSAGE
                added_field.type_name = (
                    type_name if type_name.startswith(".") else f".{PACKAGE}.{type_name}"
                )
            if oneof:
                if oneof not in oneofs:
                    oneofs.append(oneof)
                    message.oneof_decl.add(name=oneof)
                added_field.oneof_index = oneofs.index(oneof)
    pool.Add(proto)
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{PACKAGE}.{name}"))
        for name in _SCHEMA
    }


def find_warmup(model: Path) -> Path | None:
    """The warmup file of a SavedModel (or of the newest version of a TF Serving base), if any."""
    from migrate.reader import find_saved_models  # noqa: PLC0415

    try:
        directory = find_saved_models(Path(model))[-1].path
    except MigrateError:
        return None  # opening the model reports this properly
    candidate = Path(directory) / WARMUP_FILE
    return candidate if candidate.is_file() else None


def load_warmup(path: Path) -> Warmup:
    """Decode every record; any malformed one is an InputError naming the file and record."""
    path = Path(path)
    if not path.is_file():
        raise InputError(
            "is not a file." if path.exists() else "does not exist.",
            path=path,
            fix="pass the tf_serving_warmup_requests file "
            "(it lives in a SavedModel's assets.extra/).",
        )
    warmup = Warmup(path)
    records = _read_records(path)
    if not records:
        raise InputError("is empty: it holds no warmup records.", path=path, fix=_FIX)
    if len(records) > MAX_RECORDS:
        raise InputError(
            f"holds {len(records)} records; TF Serving accepts at most {MAX_RECORDS}.",
            path=path,
            fix=_FIX,
        )
    for index, record in enumerate(records):
        try:
            warmup.requests.extend(decode_record(record, index))
        except ValueError as error:
            raise InputError(f"record {index}: {error}", path=path, fix=_FIX) from None
    return warmup


def _read_records(path: Path) -> list[bytes]:
    import tensorflow as tf  # noqa: PLC0415

    try:
        records = list(tf.data.TFRecordDataset(str(path)).as_numpy_iterator())
    except tf.errors.OpError as error:
        detail = re.sub(r"\{\{.*?\}\}|\[Op:.*", "", error.message or str(error)).replace(
            "' failed with", ":"
        )
        detail = detail.strip().splitlines()[0]
        raise InputError(
            f"is not a readable TFRecord file ({detail}).", path=path, fix=_FIX
        ) from None
    # TFRecordDataset takes a tail shorter than a record header for end of file; we do not.
    size, framed = path.stat().st_size, sum(len(record) + _FRAMING for record in records)
    if size != framed:
        where = f"after record {len(records) - 1}" if records else "and no complete record"
        raise InputError(
            f"is truncated or not a TFRecord file ({size - framed} stray byte(s) {where}).",
            path=path,
            fix=_FIX,
        )
    return records


def decode_record(record: bytes, index: int = 0) -> list[WarmupRequest]:
    """One serialized PredictionLog -> the signature calls it asks for (ValueError if malformed)."""
    from google.protobuf.message import DecodeError  # noqa: PLC0415

    log = message_classes()["PredictionLog"]()
    try:
        log.ParseFromString(record)
    except DecodeError as error:
        raise ValueError(f"not a PredictionLog ({error or 'undecodable bytes'}).") from None
    kind = log.WhichOneof("log_type")
    if kind is None:
        raise ValueError(
            "not a PredictionLog: none of predict_log, classify_log, regress_log, "
            "multi_inference_log is set."
        )
    if kind == "predict_log":
        request = log.predict_log.request
        if not request.inputs:
            raise ValueError("predict request has no inputs.")
        inputs = {key: _tensor(key, tensor) for key, tensor in sorted(request.inputs.items())}
        return [WarmupRequest(index, "predict", _signature(request.model_spec), inputs)]
    if kind in ("classify_log", "regress_log"):
        request = getattr(log, kind).request
        examples = {EXAMPLES_INPUT: _examples(request.input)}
        return [
            WarmupRequest(index, kind[: -len("_log")], _signature(request.model_spec), examples)
        ]
    if kind == "multi_inference_log":
        request = log.multi_inference_log.request
        if not request.tasks:
            raise ValueError("multi-inference request has no tasks.")
        serialized = _examples(request.input)
        return [
            WarmupRequest(
                index, "multi_inference", _signature(task.model_spec), {EXAMPLES_INPUT: serialized}
            )
            for task in request.tasks
        ]
    raise ValueError(
        f"{kind} records cannot drive a signature call; only predict, classify, regress "
        "and multi_inference logs can."
    )


def encode_predict(signature: str, inputs: dict[str, Any], model_name: str = "") -> bytes:
    """A serialized PredictionLog with one predict request: how to write a warmup record."""
    import tensorflow as tf  # noqa: PLC0415

    log = message_classes()["PredictionLog"]()
    request = log.predict_log.request
    request.model_spec.name, request.model_spec.signature_name = model_name, signature
    for key, value in inputs.items():
        request.inputs[key].MergeFromString(tf.make_tensor_proto(value).SerializeToString())
    serialized: bytes = log.SerializeToString()
    return serialized


def _signature(model_spec: Any) -> str:
    return model_spec.signature_name or DEFAULT_SIGNATURE


def _tensor(key: str, tensor: Any) -> np.ndarray:
    """TensorProto -> numpy via TensorFlow's own `make_ndarray` (content or typed value fields)."""
    import tensorflow as tf  # noqa: PLC0415
    from tensorflow.core.framework import tensor_pb2  # noqa: PLC0415

    proto = tensor_pb2.TensorProto.FromString(
        tensor.SerializeToString()
    )  # the pool's class -> TF's class
    try:
        array: np.ndarray = tf.make_ndarray(proto)
        return array
    except (TypeError, ValueError) as error:
        raise ValueError(f"input '{key}' is not a valid TensorProto ({error}).") from None


def _examples(request_input: Any) -> np.ndarray:
    """Serialized tf.Examples, the context merged into each the way TF Serving merges it."""
    kind = request_input.WhichOneof("kind")
    if kind == "example_list":
        serialized = [
            example.SerializeToString() for example in request_input.example_list.examples
        ]
    elif kind == "example_list_with_context":
        with_context = request_input.example_list_with_context
        context = with_context.context.SerializeToString()
        # Concatenated messages parse as one merged message: the context's features, then each
        # example's.
        serialized = [context + example.SerializeToString() for example in with_context.examples]
    else:
        raise ValueError("request input holds no example_list nor example_list_with_context.")
    if not serialized:
        raise ValueError("request input holds no examples.")
    return np.array(serialized, dtype=object)


def calls_for_verify(
    explicit: Path | None,
    skip: bool,
    sides: tuple[Path, Path],
    sequence_given: bool,
    say: Callable[[str], None],
) -> list[Call]:
    """`verify`'s rule: --warmup PATH, else the reference's file (else the candidate's).

    --no-warmup skips.

    Looking at the candidate too covers a reversed order (TF2 reference, TF1 candidate): the TF1
    original is the side that carries the file, since `convert` does not copy assets.extra.
    """
    if explicit is not None and skip:
        raise InputError("--warmup and --no-warmup contradict each other.", fix="pass one of them.")
    if explicit is not None and sequence_given:
        raise InputError("--warmup and --sequence both choose the calls.", fix="pass one of them.")
    if skip:
        return []
    path = explicit or find_warmup(sides[0]) or find_warmup(sides[1])
    if path is None:
        return []
    if sequence_given:
        say(f"warmup: ignoring {path}: --sequence chooses the calls")
        return []
    warmup = load_warmup(path)
    say(
        f"warmup: {warmup.summary()}; other signatures get generated inputs"
        + ("" if explicit else "; --no-warmup to skip")
    )
    return warmup.calls()
