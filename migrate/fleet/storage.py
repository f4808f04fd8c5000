"""Paths on any TF filesystem: digests, copies in and out, and publishing a converted model.

Everything goes through `tf.io.gfile`, so gs://, s3:// (with TF's filesystem plugins), hdfs:// and
ram:// work like local paths. Object stores have no atomic rename (ram:// shows it: renaming a
"directory" leaves its objects behind), so a remote model is published by writing an intent marker,
copying the files to their final prefix, and then writing the result record, which is the
completion marker. A model whose intent marker outlives its run is half-written and is removed by
the next run. Local paths get a real atomic rename from a staging directory on the same disk.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import shutil
from collections.abc import Iterator
from typing import Any

CHUNK = 1 << 22


def gfile() -> Any:
    """TF's filesystem layer, imported on first use (the CLI's --help must not import TF)."""
    import tensorflow as tf  # noqa: PLC0415

    return tf.io.gfile


def is_remote(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def join(*parts: str) -> str:
    return posixpath.join(*parts) if is_remote(parts[0]) else os.path.join(*parts)


def dirname(path: str) -> str:
    return posixpath.dirname(path) if is_remote(path) else os.path.dirname(path)


def files_under(root: str) -> Iterator[tuple[str, str]]:
    """(relative path, full path) of every file under `root`, sorted; a file yields itself."""
    fs = gfile()
    if not fs.isdir(root):
        yield posixpath.basename(root), root
        return
    found = []
    for folder, _, names in fs.walk(root):
        for name in names:
            full = join(folder, name)
            rel = posixpath.relpath(full, root) if is_remote(root) else os.path.relpath(full, root)
            found.append((rel, full))
    yield from sorted(found)


def digest(root: str) -> str:
    """sha256 over every file's relative path and bytes: the model's identity for resume."""
    fs = gfile()
    total = hashlib.sha256()
    for rel, full in files_under(root):
        total.update(rel.replace(os.sep, "/").encode() + b"\0")
        with fs.GFile(full, "rb") as handle:
            while chunk := handle.read(CHUNK):
                total.update(chunk)
        total.update(b"\0")
    return total.hexdigest()


def copy_tree(src: str, dst: str) -> None:
    """Copy a file or directory tree between any two TF filesystems."""
    fs = gfile()
    if not fs.isdir(src):
        fs.makedirs(dirname(dst) or ".")
        fs.copy(src, dst, overwrite=True)
        return
    fs.makedirs(dst)
    for rel, full in files_under(src):
        target = join(dst, *rel.split(os.sep))
        fs.makedirs(dirname(target))
        fs.copy(full, target, overwrite=True)


def read_text(path: str) -> str | None:
    fs = gfile()
    if not fs.exists(path):
        return None
    with fs.GFile(path, "r") as handle:
        return str(handle.read())


def write_text(path: str, text: str) -> None:
    """Write a small object whole: on local disk through a temp file and an atomic rename."""
    fs = gfile()
    if is_remote(path):
        fs.makedirs(posixpath.dirname(path))
        with fs.GFile(path, "w") as handle:
            handle.write(text)
        return
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temp = f"{path}.{os.getpid()}.tmp"
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temp, path)


def remove(path: str) -> None:
    fs = gfile()
    if not fs.exists(path):
        return
    if fs.isdir(path):
        fs.rmtree(path)
    else:
        fs.remove(path)


def listdir(path: str) -> list[str]:
    fs = gfile()
    return sorted(str(name).rstrip("/") for name in fs.listdir(path)) if fs.isdir(path) else []


def publish(local_model: str, dst: str, intent: str, staging: str) -> None:
    """Put a finished local model at `dst` so a reader never sees half of it.

    Local: copy into `staging` (under OUT_ROOT/_fleet, same disk), then one atomic rename. Remote:
    record the intent first, so an interrupted copy is found and removed by the next run.
    """
    write_text(intent, dst)
    if is_remote(dst):
        remove(dst)
        copy_tree(local_model, dst)
        return
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(local_model, staging)
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    os.replace(staging, dst)
