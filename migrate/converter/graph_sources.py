"""Finding and reading the TF1 forms that are not SavedModels: `.meta` + checkpoint, frozen GraphDefs.

Only protobuf parsing and file-system checks happen here: nothing is executed, so this is safe
on untrusted input. Every failure names the file and what to do.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from google.protobuf import message, text_format
from tensorflow.core.framework import graph_pb2
from tensorflow.core.protobuf import meta_graph_pb2
from tensorflow.python.training import checkpoint_state_pb2

from migrate.converter.source import PROTO_LIMIT, find_saved_models
from migrate.errors import InputError
from migrate.security.paths import check_contained_path

GRAPH_SUFFIXES = (".pb", ".pbtxt", ".graphdef")
_VARIABLE_OPS = frozenset({"VariableV2", "Variable", "VarHandleOp", "AutoReloadVariable"})


class SourceFormat(str, enum.Enum):
    SAVED_MODEL = "saved_model"
    META_CHECKPOINT = "meta_checkpoint"
    FROZEN_GRAPH = "frozen_graph"


@dataclass(frozen=True)
class MetaCheckpoint:
    """A MetaGraphDef file and the checkpoint prefix its Saver restores (None: nothing to restore)."""

    meta_path: Path
    prefix: Path | None


def detect_format(src: Path) -> SourceFormat:
    """What kind of TF1 artifact SRC is, judged from file names only."""
    src = Path(src)
    if src.is_dir():
        if not _is_saved_model_tree(src) and (
            (src / "checkpoint").is_file() or any(src.glob("*.meta"))
        ):
            return SourceFormat.META_CHECKPOINT
        return SourceFormat.SAVED_MODEL
    if src.suffix == ".meta" or _checkpoint_exists(src) or Path(f"{src}.meta").is_file():
        return SourceFormat.META_CHECKPOINT
    if src.is_file() and src.suffix in GRAPH_SUFFIXES:
        return SourceFormat.FROZEN_GRAPH
    if not src.exists():
        raise InputError(
            "does not exist.",
            path=src,
            fix="pass a SavedModel dir, a .meta file, a checkpoint prefix or a .pb GraphDef.",
        )
    raise InputError(
        "is not a SavedModel directory, .meta file, checkpoint prefix or GraphDef (.pb/.pbtxt).",
        path=src,
        fix="pass one of those forms; rename a binary GraphDef to end in .pb.",
    )


def _is_saved_model_tree(src: Path) -> bool:
    try:
        find_saved_models(src)
    except InputError:
        return False
    return True


def locate_meta_checkpoint(src: Path) -> MetaCheckpoint:
    """SRC is a `.meta` file, a checkpoint prefix, or a directory with a `checkpoint` state file."""
    src = Path(src)
    if src.is_dir():
        prefix = _prefix_from_state(src)
        if prefix is None:
            metas = sorted(src.glob("*.meta"))
            if len(metas) != 1:
                raise InputError(
                    f"holds no `checkpoint` state file and {len(metas)} .meta files.",
                    path=src,
                    fix="pass the .meta file or the checkpoint prefix (e.g. DIR/model.ckpt-1000) itself.",
                )
            return MetaCheckpoint(
                metas[0], _existing_prefix(metas[0].with_suffix("")) or _prefix_from_state(src)
            )
        meta = Path(f"{prefix}.meta")
        if not meta.is_file():
            metas = sorted(src.glob("*.meta"))
            if not metas:
                raise InputError(
                    f"checkpoint {prefix.name} has no .meta graph beside it.",
                    path=src,
                    fix="copy the model.ckpt-N.meta file written with the checkpoint, or use a frozen GraphDef.",
                )
            meta = metas[-1]
        return MetaCheckpoint(meta, prefix)
    if src.suffix == ".meta":
        if not src.is_file():
            raise InputError(
                "does not exist.",
                path=src,
                fix="pass the path of the .meta file written by tf.train.Saver.",
            )
        return MetaCheckpoint(
            src, _existing_prefix(src.with_suffix("")) or _prefix_from_state(src.parent)
        )
    meta = Path(f"{src}.meta")
    if not meta.is_file():
        raise InputError(
            "is a checkpoint without its .meta graph.",
            path=src,
            fix="copy the .meta file written with the checkpoint; a checkpoint alone holds no graph.",
        )
    return MetaCheckpoint(meta, src)


def _checkpoint_exists(prefix: Path) -> bool:
    """V2 checkpoints are `prefix.index` + data shards; V1 ones a single file (or V1 shards)."""
    if Path(f"{prefix}.index").is_file():
        return True
    if prefix.is_file() and prefix.suffix not in (".meta", *GRAPH_SUFFIXES):
        return True
    return prefix.parent.is_dir() and any(prefix.parent.glob(f"{prefix.name}-?????-of-?????"))


def _existing_prefix(prefix: Path) -> Path | None:
    return prefix if _checkpoint_exists(prefix) else None


def _prefix_from_state(directory: Path) -> Path | None:
    """The newest checkpoint named by `checkpoint`, re-rooted in `directory` if it moved machines."""
    state_file = directory / "checkpoint"
    if not state_file.is_file():
        return None
    state = checkpoint_state_pb2.CheckpointState()
    try:
        text_format.Parse(state_file.read_text(encoding="utf-8"), state)
    except (text_format.ParseError, UnicodeDecodeError) as error:
        raise InputError(
            f"is not a checkpoint state file ({str(error).splitlines()[0]}).",
            path=state_file,
            fix="delete it and pass the checkpoint prefix (e.g. DIR/model.ckpt-1000) instead.",
        ) from None
    if not state.model_checkpoint_path:
        return None
    named = Path(state.model_checkpoint_path)
    # An absolute path is the training machine's: only its file name is used, inside `directory`.
    # A relative one must stay inside `directory` too (no `../`): the state file is model data.
    candidate = (
        directory / named.name
        if named.is_absolute()
        else check_contained_path(str(named), directory)
    )
    if _checkpoint_exists(candidate):
        return candidate
    raise InputError(
        f"names checkpoint '{state.model_checkpoint_path}', which is not in {directory}.",
        path=state_file,
        fix="copy the checkpoint's .index and .data files next to it, or pass the prefix of one that exists.",
    )


def read_meta_graph(path: Path) -> meta_graph_pb2.MetaGraphDef:
    """Parse a binary or text MetaGraphDef, refusing anything that is not one."""
    proto = meta_graph_pb2.MetaGraphDef()
    _parse(
        Path(path),
        proto,
        "MetaGraphDef",
        "copy the .meta file again from where tf.train.Saver wrote it.",
    )
    if not proto.graph_def.node:
        raise InputError(
            "is not a MetaGraphDef with a graph (no nodes).",
            path=path,
            fix="pass the .meta file written by tf.train.Saver.",
        )
    return proto


def read_graph_def(path: Path) -> graph_pb2.GraphDef:
    """Parse a frozen GraphDef (.pb binary or .pbtxt text)."""
    proto = graph_pb2.GraphDef()
    _parse(
        Path(path),
        proto,
        "GraphDef",
        "pass a GraphDef written by freeze_graph / graph_util (binary .pb or text .pbtxt).",
    )
    if not proto.node or any(not node.name or not node.op for node in proto.node):
        raise InputError(
            "is not a GraphDef (no nodes, or nodes without a name or op).",
            path=path,
            fix="pass a GraphDef written by freeze_graph / graph_util (binary .pb or text .pbtxt).",
        )
    return proto


def _parse(path: Path, proto: message.Message, what: str, fix: str) -> None:
    if not path.is_file():
        raise InputError("does not exist.", path=path, fix=fix)
    if path.stat().st_size > PROTO_LIMIT:
        raise InputError(
            "is larger than protobuf's 2 GiB limit.",
            path=path,
            fix="keep weights in a checkpoint, not in the graph.",
        )
    data = path.read_bytes()
    try:
        if path.suffix == ".pbtxt":
            text_format.Parse(data.decode("utf-8"), proto)
        else:
            proto.ParseFromString(data)
    except (
        message.DecodeError,
        text_format.ParseError,
        UnicodeDecodeError,
        RuntimeWarning,
    ) as error:
        text = str(error).strip().splitlines()
        raise InputError(
            f"is not a valid {what} protobuf ({text[0] if text else type(error).__name__}).",
            path=path,
            fix=fix,
        ) from None


def has_variables(graph_def: graph_pb2.GraphDef) -> bool:
    return any(node.op in _VARIABLE_OPS for node in graph_def.node)


def meta_graph_from_graph_def(graph_def: graph_pb2.GraphDef) -> meta_graph_pb2.MetaGraphDef:
    """Wrap a frozen GraphDef so the MetaGraphDef pipeline (rewrite, import, prune) applies unchanged."""
    meta = meta_graph_pb2.MetaGraphDef()
    meta.graph_def.CopyFrom(graph_def)
    meta.meta_info_def.tags.append("serve")
    return meta
