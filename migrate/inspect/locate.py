"""Find TF1 models under the paths a user gives: what kind each is, without parsing anything.

A path is a SavedModel directory, a TF Serving base (numeric version subdirectories), a `.meta`
file (its checkpoint beside it), a frozen GraphDef (`.pb` / `.pbtxt`), or a directory tree to
search for all of these. Symlinks are not followed and the walk is bounded, so a hostile tree
cannot send us round a loop or through a whole disk.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from migrate.errors import InputError

SAVED_MODEL = "saved_model"
CHECKPOINT = "checkpoint"
FROZEN = "frozen_graph"
KINDS = (SAVED_MODEL, CHECKPOINT, FROZEN)
MAX_WALK_ENTRIES = 200_000
_SKIP_PB = {"fingerprint.pb", "saved_model.pb", "keras_metadata.pb"}


@dataclass(frozen=True)
class ModelRef:
    """One model to inspect: its kind, where it is, and for a TF Serving base its version."""

    kind: str
    path: Path
    version: str | None = None
    serving_base: Path | None = None


def is_saved_model_dir(path: Path) -> bool:
    return (path / "saved_model.pb").is_file() or (path / "saved_model.pbtxt").is_file()


def serving_versions(path: Path) -> list[Path]:
    """Numeric subdirectories holding a SavedModel, oldest first."""
    try:
        children = list(path.iterdir())
    except OSError:
        return []
    found = [
        c
        for c in children
        if re.fullmatch(r"\d{1,18}", c.name) and c.is_dir() and is_saved_model_dir(c)
    ]
    return sorted(found, key=lambda c: int(c.name))


def _file_ref(path: Path) -> ModelRef | None:
    if path.name in ("saved_model.pb", "saved_model.pbtxt"):
        return ModelRef(SAVED_MODEL, path.parent)
    if path.suffix == ".meta":
        return ModelRef(CHECKPOINT, path)
    if path.suffix in (".pb", ".pbtxt") and path.name not in _SKIP_PB:
        return ModelRef(FROZEN, path)
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
        return [ModelRef(SAVED_MODEL, path)], False
    versions = serving_versions(path)
    if versions:
        return [ModelRef(SAVED_MODEL, v, v.name, path) for v in versions], False
    return _walk(path), True


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
            versions_parent = here.parent if re.fullmatch(r"\d{1,18}", here.name) else None
            version = here.name if versions_parent is not None else None
            refs.append(ModelRef(SAVED_MODEL, here, version, versions_parent))
            dirs[:] = [d for d in dirs if d not in ("variables", "assets", "assets.extra")]
        for name in sorted(files):
            full = here / name
            if full.is_symlink():
                continue
            ref = _file_ref(full)
            if ref is not None and ref.kind != SAVED_MODEL:
                refs.append(ref)
    return refs
