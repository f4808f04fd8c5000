"""Where a `.meta` graph's variable values are: its checkpoint prefix, and the `checkpoint` file.

A `checkpoint` state file names the newest checkpoint with a string from the training machine,
often an absolute path. One rule resolves it everywhere: a name inside the directory is used as
is; anything else (absolute, `..`, a symlink out) is replaced by its base name inside the
directory, with a note saying so. Nothing outside the model's directory is ever looked at.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migrate.errors import InputError
from migrate.reader.locate import checkpoint_exists
from migrate.reader.paths import PathEscapeError, check_contained_path
from migrate.reader.protos import read_checkpoint_state


@dataclass(frozen=True)
class StatePrefix:
    """What a `checkpoint` state file names, and where we look for it instead, if it escapes."""

    state_file: Path
    named: str
    prefix: Path | None  # None: the name has no usable base name
    note: str | None = None  # set when `named` left the directory and was replaced


@dataclass(frozen=True)
class MetaCheckpoint:
    """A MetaGraphDef file and the checkpoint prefix its Saver restores (None: none found)."""

    meta_path: Path
    prefix: Path | None


def read_state_prefix(directory: Path) -> StatePrefix | None:
    """The checkpoint named by `directory/checkpoint`, kept inside `directory`; None if unnamed."""
    state_file = directory / "checkpoint"
    if not state_file.is_file():
        return None
    named = read_checkpoint_state(state_file).model_checkpoint_path
    if not named:
        return None
    try:
        return StatePrefix(state_file, named, check_contained_path(named, directory))
    except PathEscapeError as error:
        base = Path(named.replace("\\", "/")).name
        if base in ("", ".."):
            return StatePrefix(state_file, named, None, error.message)
        note = f"{error.message} Using '{base}' inside the checkpoint directory instead."
        return StatePrefix(state_file, named, directory / base, note)


def locate_meta_checkpoint(src: Path) -> MetaCheckpoint:
    """SRC is a `.meta` file, a checkpoint prefix, or a directory with a `checkpoint` file."""
    src = Path(src)
    if src.is_dir():
        return _from_directory(src)
    if src.suffix == ".meta":
        if not src.is_file():
            raise InputError(
                "does not exist.",
                path=src,
                fix="pass the path of the .meta file written by tf.train.Saver.",
            )
        return MetaCheckpoint(
            src, _existing(src.with_suffix("")) or existing_state_prefix(src.parent)
        )
    meta = Path(f"{src}.meta")
    if not meta.is_file():
        raise InputError(
            "is a checkpoint without its .meta graph.",
            path=src,
            fix="copy the .meta file written with the checkpoint;"
            " a checkpoint alone holds no graph.",
        )
    return MetaCheckpoint(meta, src)


def _from_directory(src: Path) -> MetaCheckpoint:
    prefix = existing_state_prefix(src)
    metas = sorted(src.glob("*.meta"))
    if prefix is None:
        if len(metas) != 1:
            raise InputError(
                f"holds no `checkpoint` state file and {len(metas)} .meta files.",
                path=src,
                fix="pass the .meta file or the checkpoint prefix"
                " (e.g. DIR/model.ckpt-1000) itself.",
            )
        return MetaCheckpoint(metas[0], _existing(metas[0].with_suffix("")))
    meta = Path(f"{prefix}.meta")
    if not meta.is_file():
        if not metas:
            raise InputError(
                f"checkpoint {prefix.name} has no .meta graph beside it.",
                path=src,
                fix="copy the model.ckpt-N.meta file written with the checkpoint,"
                " or use a frozen GraphDef.",
            )
        meta = metas[-1]
    return MetaCheckpoint(meta, prefix)


def _existing(prefix: Path) -> Path | None:
    return prefix if checkpoint_exists(prefix) else None


def existing_state_prefix(directory: Path) -> Path | None:
    """The state file's checkpoint, which must exist once named (a moved model is re-rooted)."""
    state = read_state_prefix(directory)
    if state is None:
        return None
    if state.prefix is not None and checkpoint_exists(state.prefix):
        return state.prefix
    raise InputError(
        f"names checkpoint '{state.named}', which is not in {directory}.",
        path=state.state_file,
        fix="copy the checkpoint's .index and .data files next to it,"
        " or pass the prefix of one that exists.",
    )
