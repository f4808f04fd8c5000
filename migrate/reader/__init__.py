"""The one TF1 model reader: locate a model, tell its format, parse its protos. Runs nothing.

`converter`, `parity`, `inspect` and `security` all read models through this package, so a
hostile file is refused the same way everywhere (one set of exceptions, one size limit, one
rule for version folders and for paths a model stores). It imports only `migrate.errors`.

- `locate`: `ModelFormat`, `ModelRef`, `detect_format` (one model), `find_saved_models`
  (SavedModel / TF Serving base / Estimator export dir), `locate` (a tree, for inspect/scan);
- `checkpoints`: a `.meta` graph's checkpoint prefix and the `checkpoint` state file;
- `protos`: size-limited parsing of SavedModel, MetaGraphDef, GraphDef, CheckpointState;
- `graphs`: tag-set selection, the variables/ prefix, wrapping a frozen GraphDef;
- `paths`: `check_contained_path`, for every path a model names.
"""

from migrate.reader.checkpoints import MetaCheckpoint, locate_meta_checkpoint, read_state_prefix
from migrate.reader.graphs import (
    has_variables,
    meta_graph_from_graph_def,
    select_meta_graph,
    tag_sets,
    variables_prefix,
)
from migrate.reader.locate import (
    ModelFormat,
    ModelRef,
    detect_format,
    find_saved_models,
    is_saved_model_dir,
    locate,
    locate_some,
    serving_versions,
)
from migrate.reader.paths import PathEscapeError, check_contained_path
from migrate.reader.protos import (
    read_checkpoint_state,
    read_graph_def,
    read_meta_graph,
    read_proto,
    read_saved_model,
)

__all__ = [
    "MetaCheckpoint",
    "ModelFormat",
    "ModelRef",
    "PathEscapeError",
    "check_contained_path",
    "detect_format",
    "find_saved_models",
    "has_variables",
    "is_saved_model_dir",
    "locate",
    "locate_some",
    "locate_meta_checkpoint",
    "meta_graph_from_graph_def",
    "read_checkpoint_state",
    "read_graph_def",
    "read_meta_graph",
    "read_proto",
    "read_saved_model",
    "read_state_prefix",
    "select_meta_graph",
    "serving_versions",
    "tag_sets",
    "variables_prefix",
]
