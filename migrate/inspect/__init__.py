"""`tf-migrate inspect`: migration triage over TF1 models, from their protobufs alone.

`inspect_paths` locates models (SavedModel, TF Serving base, .meta + checkpoint, frozen GraphDef,
or a tree of them), reads each one's protos, and returns the JSON-able report documented in
docs/inspect.md (schema: docs/inspect.schema.json). Nothing is executed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from migrate.errors import MigrateError

SCHEMA_VERSION = 1


def inspect_paths(paths: Iterable[Path], allow_ops: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Every model at or under each path; unreadable models in a tree become `errors` entries."""
    import tensorflow as tf  # noqa: PLC0415

    from migrate.inspect.model import inspect_model  # noqa: PLC0415
    from migrate.reader import locate_some  # noqa: PLC0415

    models: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    searched = False
    for path in paths:
        refs, tree = locate_some(Path(path), "inspect")
        searched |= tree
        for ref in refs:
            try:
                models.append(inspect_model(ref, allow_ops))
            except MigrateError as error:
                if not tree and len(refs) == 1:
                    raise
                errors.append(
                    {"path": str(ref.path), "format": ref.format.label, "message": str(error)}
                )
    return {
        "tool": "tf-migrate inspect",
        "schema_version": SCHEMA_VERSION,
        "tensorflow": tf.__version__,
        "searched_tree": searched,
        "models": models,
        "errors": errors,
        "inventory": inventory(models, errors),
    }


def hard_pin(device: str) -> bool:
    """A pin that can stop a model loading elsewhere (GPU/TPU/remote job), unlike CPU:0."""
    return bool(re.search(r"GPU|TPU|/job:", device, re.IGNORECASE))


def inventory(models: list[dict[str, Any]], errors: list[dict[str, str]]) -> dict[str, Any]:
    """Counts by kind: the first thing a team wants to know about a pile of models."""
    graphs = [g for m in models for g in m["graphs"]]
    methods = Counter(s["method_name"] or "(none)" for g in graphs for s in g["signatures"])
    return {
        "models": len(models),
        "unreadable": len(errors),
        "by_format": dict(sorted(Counter(m["format"] for m in models).items())),
        "by_tensorflow_version": dict(
            sorted(
                Counter(m["written_by"]["tensorflow_version"] or "unknown" for m in models).items()
            )
        ),
        "by_status": dict(sorted(Counter(m["verdict"]["status"] for m in models).items())),
        "with_ref_variables": sum(any(g["variables"]["ref"] for g in m["graphs"]) for m in models),
        "with_several_tag_sets": sum(len(m["tag_sets"]) > 1 for m in models),
        "with_assets": sum(any(g["assets"] for g in m["graphs"]) for m in models),
        "with_device_pins": sum(
            any(hard_pin(d) for g in m["graphs"] for d in g["devices"]) for m in models
        ),
        "with_unknown_ops": sum(any(g["unknown_ops"] for g in m["graphs"]) for m in models),
        "with_stateful_signatures": sum(
            any(s["stateful_ops"] for g in m["graphs"] for s in g["signatures"]) for m in models
        ),
        "unsafe": sum(
            any(g["scan"]["findings"] for g in m["graphs"]) or any(p["refused"] for p in m["paths"])
            for m in models
        ),
        "signatures_by_method": dict(sorted(methods.items())),
    }
