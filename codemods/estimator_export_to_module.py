"""Estimator export code -> a TF2 serving tf.Module (work in progress)."""

from __future__ import annotations

from codemods.base import TFMigrateCommand


class EstimatorExportToModule(TFMigrateCommand):
    NAME = "estimator_export_to_module"
    DESCRIPTION = "Rewrite Estimator export code to a tf.Module restored from model_dir + tf.saved_model.save."
    TRIGGERS = ("export_saved_model", "export_savedmodel")
