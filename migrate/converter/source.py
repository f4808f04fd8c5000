"""Finding and reading TF1 SavedModels, with errors that say which file and what to do.

Only protobuf parsing happens here: nothing is executed, so this is safe on untrusted input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from google.protobuf import message, text_format
from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2

from migrate.errors import InputError, TagError

PROTO_LIMIT = 2**31 - 1  # protobuf cannot parse a message over 2 GiB


@dataclass(frozen=True)
class SavedModelDir:
    """One SavedModel directory and, for a TF Serving base, its version number."""

    path: Path
    version: str | None = None


def find_saved_models(src: Path, all_versions: bool = False) -> list[SavedModelDir]:
    """SRC is a SavedModel dir or a TF Serving base with numeric version subdirs."""
    src = Path(src)
    if not src.exists():
        raise InputError(
            "does not exist.", path=src, fix="pass the path of a TF1 SavedModel directory."
        )
    if not src.is_dir():
        raise InputError(
            "is not a directory.", path=src, fix="pass the SavedModel directory, not a file."
        )
    if _has_saved_model(src):
        return [SavedModelDir(src)]
    versions = sorted(
        (
            child
            for child in src.iterdir()
            if re.fullmatch(r"\d+", child.name) and _has_saved_model(child)
        ),
        key=lambda child: int(child.name),
    )
    if not versions:
        raise InputError(
            "holds no saved_model.pb (nor numeric version subdirectories with one).",
            path=src,
            fix="point SRC at the directory that contains saved_model.pb.",
        )
    chosen = versions if all_versions else versions[-1:]
    return [SavedModelDir(path, path.name) for path in chosen]


def _has_saved_model(path: Path) -> bool:
    return (path / "saved_model.pb").is_file() or (path / "saved_model.pbtxt").is_file()


def read_saved_model(path: Path) -> saved_model_pb2.SavedModel:
    """Parse saved_model.pb (or .pbtxt), refusing anything that is not a SavedModel."""
    binary, text = path / "saved_model.pb", path / "saved_model.pbtxt"
    proto = saved_model_pb2.SavedModel()
    target = binary if binary.is_file() else text
    try:
        if target is binary:
            if binary.stat().st_size > PROTO_LIMIT:
                raise InputError(
                    "is larger than protobuf's 2 GiB limit.",
                    path=binary,
                    fix="re-export with weights in the variables/ checkpoint instead of constants.",
                )
            proto.ParseFromString(binary.read_bytes())
        else:
            text_format.Parse(text.read_text(encoding="utf-8"), proto)
    except (
        message.DecodeError,
        text_format.ParseError,
        UnicodeDecodeError,
        RuntimeWarning,
    ) as error:
        raise InputError(
            f"is not a valid SavedModel protobuf ({_first_line(error)}).",
            path=target,
            fix="the file is truncated or corrupt; copy it again from the original export.",
        ) from None
    if not proto.meta_graphs:
        raise InputError(
            "contains no MetaGraphDef.",
            path=target,
            fix="the file is empty or not a SavedModel; copy it again from the original export.",
        )
    return proto


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def tag_sets(proto: saved_model_pb2.SavedModel) -> list[frozenset[str]]:
    return [frozenset(meta.meta_info_def.tags) for meta in proto.meta_graphs]


def select_meta_graph(
    proto: saved_model_pb2.SavedModel, tags: frozenset[str] | None, path: Path
) -> meta_graph_pb2.MetaGraphDef:
    """Pick the MetaGraphDef for `tags`; with several and none asked for, say which exist."""
    available = tag_sets(proto)
    listing = "; ".join(",".join(sorted(tags_)) or "(no tags)" for tags_ in available)
    if tags is None:
        if len(available) == 1:
            return proto.meta_graphs[0]
        raise TagError(
            f"holds {len(available)} MetaGraphDefs with tag-sets: {listing}.",
            path=path,
            fix="choose one with --tags, e.g. --tags " + ",".join(sorted(available[0])) + ".",
        )
    for meta in proto.meta_graphs:
        if frozenset(meta.meta_info_def.tags) == tags:
            return meta
    raise TagError(
        f"has no MetaGraphDef with tags {','.join(sorted(tags)) or '(none)'}; available: {listing}.",
        path=path,
        fix="pass one of the available tag-sets to --tags.",
    )


def variables_prefix(path: Path, meta: meta_graph_pb2.MetaGraphDef) -> str | None:
    """The checkpoint prefix the graph's Saver restores from, checked to exist."""
    if not meta.HasField("saver_def"):
        return None
    prefix = path / "variables" / "variables"
    if Path(f"{prefix}.index").is_file() or Path(str(prefix)).is_file():
        return str(prefix)
    raise InputError(
        "the model has variables but variables/variables.index is missing.",
        path=path / "variables",
        fix="copy the whole SavedModel directory, including variables/.",
    )
