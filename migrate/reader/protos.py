"""Parse model protobufs from untrusted files: size-limited, every failure a one-line InputError.

Only parsing happens here (TF's generated protobuf classes); nothing is imported into a graph
or run, so this is safe on hostile input.
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
CORRUPT_FIX = (
    "the file is truncated, corrupt or of another kind; copy it again from the original export."
)
# Everything protobuf (C++ upb or pure Python) raises on bad bytes or text.
PARSE_ERRORS = (
    message.DecodeError,
    text_format.ParseError,
    UnicodeDecodeError,
    ValueError,
    RecursionError,
    RuntimeWarning,
)

M = TypeVar("M", bound=message.Message)


def read_proto(
    path: Path, cls: type[M], what: str, *, limit: int = PROTO_LIMIT, fix: str = CORRUPT_FIX
) -> M:
    """Parse `path` (binary, or text for .pbtxt / checkpoint state) as `cls`."""
    path = Path(path)
    text = path.suffix == ".pbtxt" or cls is checkpoint_state_pb2.CheckpointState
    limit = min(limit, TEXT_LIMIT) if text else limit
    if not path.is_file():
        raise InputError(
            "does not exist." if not path.exists() else "is not a file.", path=path, fix=fix
        )
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(
                f"is {size / 2**30:.2f} GiB, over the {limit / 2**30:.2f} GiB limit"
                f" for a {what} protobuf.",
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
    proto: M = cls()
    try:
        if text:
            text_format.Parse(data.decode("utf-8"), proto, allow_unknown_field=False)
        else:
            proto.ParseFromString(data)
    except PARSE_ERRORS as error:
        raise InputError(
            f"is not a valid {what} ({first_line(error)}).", path=path, fix=fix
        ) from None
    return proto


def first_line(error: BaseException) -> str:
    """The first line of an error, short and ASCII, for a one-line message."""
    lines = str(error).strip().splitlines()
    return (
        (lines[0][:160] if lines else type(error).__name__)
        .encode("ascii", "backslashreplace")
        .decode()
    )


def saved_model_file(directory: Path) -> Path:
    """saved_model.pb, or saved_model.pbtxt when only that exists."""
    binary = Path(directory) / "saved_model.pb"
    return binary if binary.is_file() else Path(directory) / "saved_model.pbtxt"


def read_saved_model(directory: Path) -> tuple[Path, saved_model_pb2.SavedModel]:
    """The file read and its SavedModel proto; it must hold a MetaGraphDef."""
    target = saved_model_file(directory)
    proto = read_proto(target, saved_model_pb2.SavedModel, "SavedModel")
    if not proto.meta_graphs:
        raise InputError(
            "contains no MetaGraphDef.",
            path=target,
            fix="the file is empty or not a SavedModel; copy it again from the original export.",
        )
    return target, proto


def read_meta_graph(path: Path) -> meta_graph_pb2.MetaGraphDef:
    """A binary or text MetaGraphDef (.meta) that holds a graph."""
    fix = "copy the .meta file again from where tf.train.Saver wrote it."
    proto = read_proto(path, meta_graph_pb2.MetaGraphDef, "MetaGraphDef (.meta)", fix=fix)
    if not proto.graph_def.node:
        raise InputError(
            "is not a MetaGraphDef with a graph (no nodes).",
            path=path,
            fix="pass the .meta file written by tf.train.Saver.",
        )
    return proto


def read_graph_def(path: Path) -> graph_pb2.GraphDef:
    """A frozen GraphDef (.pb binary or .pbtxt text) whose nodes all have a name and an op."""
    fix = "pass a GraphDef written by freeze_graph / graph_util (binary .pb or text .pbtxt)."
    proto = read_proto(path, graph_pb2.GraphDef, "GraphDef", fix=fix)
    if not proto.node or any(not node.name or not node.op for node in proto.node):
        raise InputError(
            "is not a GraphDef (no nodes, or nodes without a name or op).", path=path, fix=fix
        )
    return proto


def read_checkpoint_state(path: Path) -> checkpoint_state_pb2.CheckpointState:
    """A `checkpoint` state file (text CheckpointState)."""
    return read_proto(
        path,
        checkpoint_state_pb2.CheckpointState,
        "checkpoint state",
        limit=STATE_LIMIT,
        fix="delete it and pass the checkpoint prefix (e.g. DIR/model.ckpt-1000) instead.",
    )
