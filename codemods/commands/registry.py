"""Codemods by stable name: the names users pass to --select/--ignore and see in reports."""

from __future__ import annotations

from collections.abc import Sequence

from codemods.commands.builder_to_module import BuilderToModule
from codemods.commands.estimator_export_to_module import EstimatorExportToModule
from codemods.commands.export_savedmodel_rename import ExportSavedmodelRename
from codemods.commands.saver_to_checkpoint import SaverToCheckpoint
from codemods.commands.simple_save_to_module import SimpleSaveToModule
from codemods.commands.tf1_loading_to_tf2 import TF1LoadingToTF2
from codemods.engine.base import TFMigrateCommand
from codemods.errors import CodemodError

CODEMODS: dict[str, type[TFMigrateCommand]] = {
    command.NAME: command
    for command in (
        SaverToCheckpoint,
        TF1LoadingToTF2,
        SimpleSaveToModule,
        BuilderToModule,
        EstimatorExportToModule,
    )
}
# Opt-in codemods run only when --select names them (never by default, never via CODEMODS).
OPT_IN: dict[str, type[TFMigrateCommand]] = {ExportSavedmodelRename.NAME: ExportSavedmodelRename}


def select_codemods(
    select: Sequence[str] = (), ignore: Sequence[str] = ()
) -> tuple[type[TFMigrateCommand], ...]:
    """The codemods to run, in registry order; unknown names are a user error."""
    known = {**CODEMODS, **OPT_IN}
    unknown = [name for name in [*select, *ignore] if name not in known]
    if unknown:
        raise CodemodError(
            f"unknown codemod {', '.join(sorted(set(unknown)))}.",
            fix=f"choose from {', '.join(known)}.",
        )
    chosen = [name for name in CODEMODS if (not select or name in select) and name not in ignore]
    chosen += [name for name in OPT_IN if name in select and name not in ignore]
    if not chosen:
        raise CodemodError("--select/--ignore left no codemod to run.")
    return tuple(known[name] for name in chosen)
