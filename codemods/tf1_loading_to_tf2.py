"""Placeholder, replaced below."""

from __future__ import annotations

from codemods.base import TFMigrateCommand


class TF1LoadingToTF2(TFMigrateCommand):
    NAME = "tf1_loading_to_tf2"
    DESCRIPTION = "Rewrite TF1 SavedModel/metagraph loading to TF2."
    TRIGGERS = ("import_meta_graph", "loader", "saved_model")
