"""Refuse hostile models before anything runs: denylisted ops and paths that leave the model.

`scan_graph_def` / `ensure_safe` look at protobufs only; `check_contained_path` checks the paths a
model stores (assets, checkpoint state). See docs/security.md for the threat model.
"""

from migrate.reader.paths import PathEscapeError, check_contained_path
from migrate.security.assets import asset_file_defs
from migrate.security.denylist import DEFAULT_DENYLIST, Denied
from migrate.security.scan import (
    Finding,
    ScanReport,
    ensure_safe,
    meta_graph_asset_tensors,
    scan_graph_def,
)

__all__ = [
    "DEFAULT_DENYLIST",
    "Denied",
    "Finding",
    "asset_file_defs",
    "PathEscapeError",
    "ScanReport",
    "check_contained_path",
    "ensure_safe",
    "meta_graph_asset_tensors",
    "scan_graph_def",
]
