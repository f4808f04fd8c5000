"""Locate the models of a fleet: walk roots or read a manifest into one Job per model.

A SavedModel directory, a TF Serving base (numeric version directories holding SavedModels,
converted with --all-versions as one job), a checkpoint directory (with a `checkpoint` state file),
a `.meta` file or a frozen `.pb`/`.pbtxt` GraphDef is one model. A manifest is a `.txt` file (one
path a line) or a `.jsonl` file ({"path": ..., "out": ..., "options": {...}} a line), its
relative paths resolved against the manifest's folder.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import asdict, dataclass, field
from typing import Any

from migrate.errors import InputError
from migrate.fleet import storage

SAVED_MODEL_FILES = ("saved_model.pb", "saved_model.pbtxt")
MANIFEST_SUFFIXES = (".txt", ".jsonl")
# Per-model options a manifest may set: convert's own flags (docs/converter.md), `key` -> `--key`.
CONVERT_OPTIONS = (
    "tags signature allow_op value_range atol rtol seed unfreeze predict_method_names".split()
)
# Per-model options the fleet itself uses: `timeout` overrides --model-timeout for that model.
FLEET_OPTIONS = ("timeout",)


@dataclass(frozen=True)
class Job:
    """One model to migrate: where it is, where it goes under OUT_ROOT, and its own options."""

    source: str
    relative: str
    kind: str
    options: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> Job:
        return Job(data["source"], data["relative"], data["kind"], dict(data.get("options", {})))


def option_flags(options: dict[str, Any]) -> list[str]:
    """Turn manifest options into `tf-migrate convert` flags (lists repeat the flag)."""
    flags: list[str] = []
    for key, value in sorted(options.items()):
        if key in FLEET_OPTIONS:
            continue
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            flags += [flag] if value else []
        elif isinstance(value, list):
            for item in value:
                flags += [flag, str(item)]
        else:
            flags += [flag, str(value)]
    return flags


def kind_of(path: str) -> str | None:
    """What model `path` is, or None when it is a folder to search further."""
    fs = storage.gfile()
    if not fs.isdir(path):
        if path.endswith(".meta"):
            return "meta_graph"
        name = posixpath.basename(path)
        if name.endswith((".pb", ".pbtxt")) and name not in SAVED_MODEL_FILES:
            return "frozen_graph"
        return None
    names = set(storage.listdir(path))
    if names & set(SAVED_MODEL_FILES):
        return "saved_model"
    if "checkpoint" in names and any(name.endswith(".index") for name in names):
        return "checkpoint"
    versions = [name for name in names if name.isdigit()]
    if versions and all(kind_of(storage.join(path, name)) == "saved_model" for name in versions):
        return "serving_base"
    return None


def _walk(root: str, relative: str, found: list[Job]) -> None:
    kind = kind_of(root)
    if kind is not None:
        found.append(Job(root, relative or posixpath.basename(root.rstrip("/")), kind))
        return
    if not storage.gfile().isdir(root):
        return
    for name in storage.listdir(root):
        if name.startswith((".", "_fleet")):
            continue
        _walk(storage.join(root, name), posixpath.join(relative, name) if relative else name, found)


def read_manifest(path: str) -> list[Job]:
    """Jobs from a manifest; a bad line is an InputError naming the line."""
    base = posixpath.dirname(path) if storage.is_remote(path) else _local_dir(path)
    text = storage.read_text(path) or ""
    jobs = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        entry = _parse_line(path, number, line)
        source = entry["path"]
        if not storage.is_remote(source) and not source.startswith("/"):
            source = storage.join(base, source)
        kind = kind_of(source)
        if kind is None:
            raise InputError(
                f"line {number}: {source} is not a model.",
                path=path,
                fix="list SavedModel dirs, TF Serving bases, checkpoints, .meta or .pb files.",
            )
        relative = entry.get("out") or entry["path"].lstrip("/").split("://")[-1]
        jobs.append(Job(source, relative, kind, entry.get("options", {})))
    return jobs


def _local_dir(path: str) -> str:
    import os  # noqa: PLC0415

    return os.path.dirname(os.path.abspath(path))


def _parse_line(path: str, number: int, line: str) -> dict[str, Any]:
    if not path.endswith(".jsonl"):
        return {"path": line}
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(
            f"line {number} is not JSON ({error.msg}).", path=path, fix="write one object a line."
        ) from None
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise InputError(
            f'line {number} has no "path".', path=path, fix='write {"path": "...", "options": {}}.'
        )
    unknown = sorted(set(entry.get("options", {})) - {*CONVERT_OPTIONS, *FLEET_OPTIONS})
    if unknown:
        raise InputError(
            f"line {number}: unknown option(s) {', '.join(unknown)}.",
            path=path,
            fix=f"use only {', '.join([*CONVERT_OPTIONS, *FLEET_OPTIONS])}.",
        )
    return entry


def locate(sources: list[str]) -> list[Job]:
    """Every model under the roots and manifests, refusing two models with one output path."""
    jobs: list[Job] = []
    for source in sources:
        if not storage.gfile().exists(source):
            raise InputError("does not exist.", path=source, fix="give a model root or manifest.")
        if source.endswith(MANIFEST_SUFFIXES) and not storage.gfile().isdir(source):
            jobs += read_manifest(source)
        else:
            kind = kind_of(source)
            if kind is not None:
                jobs.append(Job(source, posixpath.basename(source.rstrip("/")), kind))
            else:
                _walk(source, "", jobs)
    seen: dict[str, str] = {}
    for job in jobs:
        if job.relative in seen:
            raise InputError(
                f"{seen[job.relative]} and {job.source} both go to OUT_ROOT/{job.relative}.",
                path=job.source,
                fix='give one of them another "out" in a JSONL manifest.',
            )
        seen[job.relative] = job.source
    if not jobs:
        raise InputError("no models found.", path=", ".join(sources), fix="check the roots.")
    return jobs
