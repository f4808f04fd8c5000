"""Paths written inside a model must stay inside the model directory.

A SavedModel names its assets (`AssetFileDef.filename`) and a checkpoint directory names its
checkpoint (`checkpoint` state file) with strings the model's author chose. TF joins them onto the
model directory and follows them; we refuse `..` escapes, absolute paths, and symlinks that lead
outside, so that reading or copying an asset can never touch e.g. `/etc/passwd`.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from migrate.errors import UnsafeModelError


class PathEscapeError(UnsafeModelError):
    """A path stored in the model points outside the directory it must stay in."""


def check_contained_path(path_in_model: str, model_dir: Path) -> Path:
    """Resolve `path_in_model` against `model_dir`, refusing anything that leaves it.

    `model_dir` is the directory the path is relative to (e.g. `saved_model/assets`).
    Returns the resolved path; it need not exist.
    """
    model_dir = Path(model_dir)
    problem = _lexical_problem(path_in_model)
    if problem is None:
        base = model_dir.resolve()
        target = (base / path_in_model).resolve()
        if target != base and base not in target.parents:
            problem = "resolves (through a symlink) outside the model directory"
        else:
            return target
    shown = path_in_model.encode("unicode_escape").decode("ascii")[:200]
    raise PathEscapeError(
        f"the model names the path '{shown}', which {problem}; refused.",
        path=model_dir,
        fix="re-export the model so its asset and checkpoint paths are relative names inside it.",
    )


def _lexical_problem(path: str) -> str | None:
    if not path or not path.strip():
        return "is empty"
    if "\x00" in path:
        return "contains a NUL byte"
    if (
        PurePosixPath(path).is_absolute()
        or PureWindowsPath(path).is_absolute()
        or PureWindowsPath(path).drive
    ):
        return "is absolute"
    parts = path.replace("\\", "/").split("/")
    if ".." in parts:
        return "climbs out with '..'"
    return None
