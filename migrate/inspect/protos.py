"""Read model protobufs from untrusted files: size-limited, and every failure a one-line InputError.

Only parsing happens here (TF's generated protobuf classes); nothing is imported into a graph or run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from google.protobuf import message, text_format
from tensorflow.core.framework import graph_pb2
from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2
from tensorflow.python.training import checkpoint_state_pb2

from migrate.errors import InputError

PROTO_LIMIT = 2**31 - 1  # protobuf cannot parse a message of 2 GiB or more
TEXT_LIMIT = 64 * 2**20  # text protos are parsed in pure Python: 64 MiB is already minutes
STATE_LIMIT = 2**20  # a `checkpoint` state file is a few lines

M = TypeVar("M", bound=message.Message)


def read_proto(path: Path, cls: type[M], what: str, *, limit: int = PROTO_LIMIT) -> M:
    """Parse `path` (binary, or text for .pbtxt / checkpoint state) as `cls`."""
    path = Path(path)
    text = path.suffix == ".pbtxt" or cls is checkpoint_state_pb2.CheckpointState
    limit = min(limit, TEXT_LIMIT) if text else limit
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(
                f"is {size / 2**30:.2f} GiB, over the {limit / 2**30:.2f} GiB limit for a {what} protobuf.",
                path=path,
                fix="re-export with weights in a variables/ checkpoint instead of graph constants.",
            )
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            f"cannot be read ({error.strerror or type(error).__name__}).",
            path=path,
            fix="check the path and its permissions.",
        ) from None
    proto = cls()
    try:
        if text:
            text_format.Parse(data.decode("utf-8"), proto, allow_unknown_field=False)
        else:
            proto.ParseFromString(data)
    except (
        message.DecodeError,
        text_format.ParseError,
        UnicodeDecodeError,
        ValueError,
        RecursionError,
    ) as error:
        raise InputError(
            f"is not a valid {what} ({_first_line(error)}).",
            path=path,
            fix="the file is truncated, corrupt or of another kind; copy it again from the original export.",
        ) from None
    return proto


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return (
        (lines[0][:160] if lines else type(error).__name__)
        .encode("ascii", "backslashreplace")
        .decode()
    )


def read_saved_model(directory: Path) -> tuple[Path, saved_model_pb2.SavedModel]:
    """saved_model.pb (or .pbtxt) of a SavedModel directory; it must hold a MetaGraphDef."""
    binary, text = Path(directory) / "saved_model.pb", Path(directory) / "saved_model.pbtxt"
    target = binary if binary.is_file() else text
    proto = read_proto(target, saved_model_pb2.SavedModel, "SavedModel")
    if not proto.meta_graphs:
        raise InputError(
            "contains no MetaGraphDef.",
            path=target,
            fix="the file is empty or not a SavedModel; copy it again from the original export.",
        )
    return target, proto


def read_meta_graph(path: Path) -> meta_graph_pb2.MetaGraphDef:
    proto = read_proto(path, meta_graph_pb2.MetaGraphDef, "MetaGraphDef (.meta)")
    if not proto.HasField("graph_def") and not proto.graph_def.node:
        raise InputError(
            "holds no graph.", path=path, fix="pass the .meta written by tf.train.Saver.save."
        )
    return proto


def read_graph_def(path: Path) -> graph_pb2.GraphDef:
    proto = read_proto(path, graph_pb2.GraphDef, "GraphDef")
    if not proto.node:
        raise InputError(
            "holds no nodes (not a frozen GraphDef).",
            path=path,
            fix="pass a GraphDef written by tf.io.write_graph or graph_util.convert_variables_to_constants.",
        )
    return proto


def read_checkpoint_state(path: Path) -> checkpoint_state_pb2.CheckpointState:
    return read_proto(
        path, checkpoint_state_pb2.CheckpointState, "checkpoint state", limit=STATE_LIMIT
    )
