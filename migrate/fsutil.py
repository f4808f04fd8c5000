"""Atomic writes: an output either appears whole or not at all.

Outputs are built in a sibling temporary path (same filesystem, so `os.replace` is atomic)
and renamed into place only after everything succeeded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from codemods.batch.atomic import atomic_write_bytes, atomic_write_text
from migrate.errors import OutputExistsError

__all__ = ["atomic_write_bytes", "atomic_write_text", "check_destination", "staged_directory"]


def check_destination(dst: Path, force: bool) -> None:
    """Refuse to touch an existing destination unless the user said --force."""
    if dst.exists() and not force:
        raise OutputExistsError(
            "destination already exists.", path=dst, fix="choose a new path or pass --force."
        )


@contextlib.contextmanager
def staged_directory(dst: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary directory that replaces `dst` only if the block succeeds."""
    dst = Path(dst)
    check_destination(dst, force)
    dst.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent))
    try:
        yield staging
        _replace_directory(staging, dst)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _replace_directory(staging: Path, dst: Path) -> None:
    if not dst.exists():
        os.replace(staging, dst)
        return
    trash = Path(tempfile.mkdtemp(prefix=f".{dst.name}.", suffix=".old", dir=dst.parent))
    os.replace(dst, trash / dst.name)
    try:
        os.replace(staging, dst)
    except BaseException:
        os.replace(trash / dst.name, dst)
        raise
    finally:
        shutil.rmtree(trash, ignore_errors=True)
