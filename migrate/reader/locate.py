"""Which TF1 models are at a path, and in which format, judged from file names alone.

A path is a SavedModel directory, a TF Serving base or an Estimator export dir (numeric version
/ timestamp subdirectories), a `.meta` file or checkpoint prefix (the graph beside its
checkpoint), a frozen GraphDef (`.pb` / `.pbtxt`), or - for `inspect` and `scan` - a directory
tree to search for all of these. Symlinks are not followed and the walk is bounded, so a hostile
tree cannot send us round a loop or through a whole disk.
"""

from __future__ import annotations

import enum
import os
import re
from dataclasses import dataclass
from pathlib import Path

from migrate.errors import InputError

GRAPH_SUFFIXES = (".pb", ".pbtxt", ".graphdef")
# TF Serving versions and Estimator export timestamps: an int64, so at most 18 digits here.
VERSION_DIR = re.compile(r"\d{1,18}")
MAX_WALK_ENTRIES = 200_000
_SKIP_PB = {"fingerprint.pb", "saved_model.pb", "keras_metadata.pb"}
_SAVED_MODEL_PARTS = ("variables", "assets", "assets.extra")


class ModelFormat(str, enum.Enum):
    """The three on-disk forms of a TF1 model (a TF Serving base is a set of SavedModels)."""

    SAVED_MODEL = "saved_model"
    META_CHECKPOINT = "meta_checkpoint"
    FROZEN_GRAPH = "frozen_graph"

    @property
    def label(self) -> str:
        """The name `inspect` and `scan` report (docs/inspect.schema.json): `checkpoint`."""
        return "checkpoint" if self is ModelFormat.META_CHECKPOINT else self.value


@dataclass(frozen=True)
class ModelRef:
    """One model: its format, where it is, and for a TF Serving base its version and base."""

    format: ModelFormat
    path: Path
    version: str | None = None
    serving_base: Path | None = None


def is_saved_model_dir(path: Path) -> bool:
    return (path / "saved_model.pb").is_file() or (path / "saved_model.pbtxt").is_file()


def is_version_dir(path: Path) -> bool:
    return VERSION_DIR.fullmatch(path.name) is not None


def serving_versions(path: Path) -> list[Path]:
    """Version subdirectories holding a SavedModel, oldest first (`temp-*` exports skipped)."""
    try:
        children = list(path.iterdir())
    except OSError:
        return []
    found = [c for c in children if is_version_dir(c) and c.is_dir() and is_saved_model_dir(c)]
    return sorted(found, key=lambda c: int(c.name))


def find_saved_models(src: Path, all_versions: bool = False) -> list[ModelRef]:
    """SRC is a SavedModel dir or a TF Serving base: the newest version, or all of them."""
    src = Path(src)
    if not src.exists():
        raise InputError(
            "does not exist.", path=src, fix="pass the path of a TF1 SavedModel directory."
        )
    if not src.is_dir():
        raise InputError(
            "is not a directory.", path=src, fix="pass the SavedModel directory, not a file."
        )
    if is_saved_model_dir(src):
        return [ModelRef(ModelFormat.SAVED_MODEL, src)]
    versions = serving_versions(src)
    if not versions:
        raise InputError(
            "holds no saved_model.pb (nor numeric version subdirectories with one).",
            path=src,
            fix="point SRC at the directory that contains saved_model.pb.",
        )
    chosen = versions if all_versions else versions[-1:]
    return [ModelRef(ModelFormat.SAVED_MODEL, v, v.name, src) for v in chosen]


def detect_format(src: Path) -> ModelFormat:
    """What kind of TF1 artifact SRC (one model, not a tree) is."""
    src = Path(src)
    if src.is_dir():
        saved = is_saved_model_dir(src) or bool(serving_versions(src))
        if not saved and ((src / "checkpoint").is_file() or any(src.glob("*.meta"))):
            return ModelFormat.META_CHECKPOINT
        return ModelFormat.SAVED_MODEL
    if src.suffix == ".meta" or checkpoint_exists(src) or Path(f"{src}.meta").is_file():
        return ModelFormat.META_CHECKPOINT
    if src.is_file() and src.suffix in GRAPH_SUFFIXES:
        return ModelFormat.FROZEN_GRAPH
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


def checkpoint_exists(prefix: Path) -> bool:
    """V2 checkpoints are `prefix.index` + data shards; V1 ones a single file (or V1 shards)."""
    if Path(f"{prefix}.index").is_file():
        return True
    if prefix.is_file() and prefix.suffix not in (".meta", *GRAPH_SUFFIXES):
        return True
    return prefix.parent.is_dir() and any(prefix.parent.glob(f"{prefix.name}-?????-of-?????"))


def _file_ref(path: Path) -> ModelRef | None:
    if path.name in ("saved_model.pb", "saved_model.pbtxt"):
        return ModelRef(ModelFormat.SAVED_MODEL, path.parent)
    if path.suffix == ".meta":
        return ModelRef(ModelFormat.META_CHECKPOINT, path)
    if path.suffix in (".pb", ".pbtxt") and path.name not in _SKIP_PB:
        return ModelRef(ModelFormat.FROZEN_GRAPH, path)
    return None


def locate(path: Path) -> tuple[list[ModelRef], bool]:
    """The models at or under `path`, and whether `path` was a tree that had to be searched."""
    path = Path(path)
    if not path.exists():
        raise InputError(
            "does not exist.",
            path=path,
            fix="pass a SavedModel dir, a .meta, a .pb, or a directory tree.",
        )
    if path.is_file():
        ref = _file_ref(path)
        if ref is None:
            raise InputError(
                "is not a model file (expected saved_model.pb, .meta, .pb or .pbtxt).",
                path=path,
                fix="pass a SavedModel directory, a .meta file or a frozen GraphDef.",
            )
        return [ref], False
    if not path.is_dir():
        raise InputError("is neither a file nor a directory.", path=path, fix="pass a model path.")
    if is_saved_model_dir(path):
        return [ModelRef(ModelFormat.SAVED_MODEL, path)], False
    versions = serving_versions(path)
    if versions:
        return [ModelRef(ModelFormat.SAVED_MODEL, v, v.name, path) for v in versions], False
    return _walk(path), True


def locate_some(path: Path, command: str) -> tuple[list[ModelRef], bool]:
    """`locate`, refusing a searched tree that holds no model (`command`: inspect, scan)."""
    refs, tree = locate(path)
    if tree and not refs:
        raise InputError(
            "holds no TF1 model (no saved_model.pb, .meta or frozen .pb).",
            path=path,
            fix=f"point {command} at a model or at a directory that contains models.",
        )
    return refs, tree


def _walk(root: Path) -> list[ModelRef]:
    refs: list[ModelRef] = []
    seen = 0
    for current, dirs, files in os.walk(root, followlinks=False, onerror=None):
        here = Path(current)
        seen += len(dirs) + len(files)
        if seen > MAX_WALK_ENTRIES:
            raise InputError(
                f"holds more than {MAX_WALK_ENTRIES} entries to search.",
                path=root,
                fix="point inspect at a smaller directory.",
            )
        dirs.sort()
        if is_saved_model_dir(here):
            base = here.parent if is_version_dir(here) else None
            version = here.name if base is not None else None
            refs.append(ModelRef(ModelFormat.SAVED_MODEL, here, version, base))
            dirs[:] = [d for d in dirs if d not in _SAVED_MODEL_PARTS]
        for name in sorted(files):
            full = here / name
            if full.is_symlink():
                continue
            ref = _file_ref(full)
            if ref is not None and ref.format is not ModelFormat.SAVED_MODEL:
                refs.append(ref)
    return refs
