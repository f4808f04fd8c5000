"""LibCST codemods that migrate TensorFlow 1 source code to TensorFlow 2.

The code-rewriting path never imports TensorFlow: names are resolved from each module's
imports (see `codemods.analysis.names`), so rewriting a large tree stays fast and works
without TF.

Layers, each importing only the ones above it:
- `engine`: the command base class, the fast visitor driver, the node index, positions and
  `rewrite_code` (one source text in, rewritten text + findings out);
- `analysis`: import-aware names, scopes and bindings, export sites, small CST helpers;
- `commands`: one public module per codemod (private planners and emitters beside them)
  and the registry of codemods by name;
- `batch`: files, trees, notebooks, encodings, atomic writes, parallel runs and reports.

The public API below is imported lazily, so `import codemods.batch.atomic` (used by
`migrate.fsutil`) does not pay for LibCST.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codemods.batch.runner import (
        FileResult,
        Options,
        discover,
        process_bytes,
        process_file,
        run_batch,
    )
    from codemods.commands.builder_to_module import BuilderToModule
    from codemods.commands.estimator_export_to_module import EstimatorExportToModule
    from codemods.commands.export_savedmodel_rename import ExportSavedmodelRename
    from codemods.commands.registry import CODEMODS, OPT_IN, select_codemods
    from codemods.commands.saver_to_checkpoint import SaverToCheckpoint
    from codemods.commands.simple_save_to_module import SimpleSaveToModule
    from codemods.commands.tf1_loading_to_tf2 import TF1LoadingToTF2
    from codemods.engine.base import Finding, TFMigrateCommand
    from codemods.engine.rewrite import RewriteError, RewriteOutcome, rewrite_code
    from codemods.errors import CodemodError

_HOME = {
    "BuilderToModule": "codemods.commands.builder_to_module",
    "EstimatorExportToModule": "codemods.commands.estimator_export_to_module",
    "ExportSavedmodelRename": "codemods.commands.export_savedmodel_rename",
    "SaverToCheckpoint": "codemods.commands.saver_to_checkpoint",
    "SimpleSaveToModule": "codemods.commands.simple_save_to_module",
    "TF1LoadingToTF2": "codemods.commands.tf1_loading_to_tf2",
    "CODEMODS": "codemods.commands.registry",
    "OPT_IN": "codemods.commands.registry",
    "select_codemods": "codemods.commands.registry",
    "Finding": "codemods.engine.base",
    "TFMigrateCommand": "codemods.engine.base",
    "RewriteError": "codemods.engine.rewrite",
    "RewriteOutcome": "codemods.engine.rewrite",
    "rewrite_code": "codemods.engine.rewrite",
    "FileResult": "codemods.batch.runner",
    "Options": "codemods.batch.runner",
    "discover": "codemods.batch.runner",
    "process_bytes": "codemods.batch.runner",
    "process_file": "codemods.batch.runner",
    "run_batch": "codemods.batch.runner",
    "CodemodError": "codemods.errors",
}
__all__ = [
    "CODEMODS",
    "OPT_IN",
    "BuilderToModule",
    "CodemodError",
    "EstimatorExportToModule",
    "ExportSavedmodelRename",
    "FileResult",
    "Finding",
    "Options",
    "RewriteError",
    "RewriteOutcome",
    "SaverToCheckpoint",
    "SimpleSaveToModule",
    "TF1LoadingToTF2",
    "TFMigrateCommand",
    "discover",
    "process_bytes",
    "process_file",
    "rewrite_code",
    "run_batch",
    "select_codemods",
]


def __getattr__(name: str) -> object:
    """Import a public name's module on first use (PEP 562)."""
    if name not in _HOME:
        raise AttributeError(f"module 'codemods' has no attribute {name!r}")
    value = getattr(import_module(_HOME[name]), name)
    globals()[name] = value
    return value
