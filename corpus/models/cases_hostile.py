"""Hostile models: what `tf-migrate scan` and `convert` must refuse by default (issue 8).

- `hostile_writefile`: a `WriteFile` inside a Defun called by another Defun called by the graph, so
  it is only visible in the function library. It writes to /dev/null: harmless if some test runs it,
  but exactly the op a real attack would point at ~/.bashrc.
- `hostile_asset_path`: the vocab_table model whose SavedModel names its asset `../../etc/passwd`
  (written by editing saved_model.pb after building, as an attacker would). TF's own loader follows
  the path: from `saved_model/assets/` it lands on `<case>/etc/passwd`, a decoy holding the
  vocabulary, so the TF1 original still runs and shows that TF follows it; we must not.

Each case carries `"hostile"` in case.json: the kind of attack, for tests that convert every case.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf
from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2
from tensorflow.python.framework import function as framework_function  # TF1 Defun: no public alias

from corpus.models import cases_io
from corpus.models._common import (
    SERVE,
    Case,
    GraphSpec,
    MetaGraphSpec,
    initialise,
    predict,
    ref_var,
)

v1 = tf.compat.v1
ESCAPING_ASSET = "../../etc/passwd"


@dataclass(frozen=True)
class PatchedCase(Case):
    """A case whose written files are edited afterwards, the way a hostile party would."""

    patch: Callable[[Path], None] | None = None

    def build(self, out_dir: Path, forms: Sequence[str] | None = None) -> dict[str, Any]:
        described = super().build(out_dir, forms)
        if self.patch is not None and "saved_model" in described["forms"]:
            self.patch(Path(out_dir) / self.name)
        return described


def writefile_in_function(sess: Any) -> GraphSpec:
    @framework_function.Defun(tf.float32)
    def log_values(x: Any) -> Any:
        text = tf.strings.reduce_join(tf.strings.as_string(x), separator=",")
        write = tf.io.write_file("/dev/null", text, name="exfiltrate")
        with tf.control_dependencies([write]):
            return tf.identity(x)

    @framework_function.Defun(tf.float32)
    def double(x: Any) -> Any:
        return log_values(x) * 2.0

    x = v1.placeholder(tf.float32, [None], name="x")
    k = ref_var("k", np.float32(1.5))
    y = tf.identity(double(x) * k, name="y")
    initialise(sess)
    return GraphSpec([MetaGraphSpec([SERVE], {"serving_default": predict({"x": x}, {"y": y})})])


def _escape_asset(case_dir: Path) -> None:
    """Rename the asset in saved_model.pb to ../../etc/passwd and move the file to that decoy."""
    model = case_dir / "saved_model"
    proto = saved_model_pb2.SavedModel.FromString((model / "saved_model.pb").read_bytes())
    for meta in proto.meta_graphs:
        for asset in meta.asset_file_def:  # where TF2's builder writes assets
            asset.filename = ESCAPING_ASSET
        for item in meta.collection_def["saved_model_assets"].any_list.value:  # where TF1's did
            asset = meta_graph_pb2.AssetFileDef()
            item.Unpack(asset)
            asset.filename = ESCAPING_ASSET
            item.Pack(asset)
    decoy = (model / "assets" / ESCAPING_ASSET).resolve()
    decoy.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(model / "assets" / "vocab.txt"), decoy)
    (model / "saved_model.pb").write_bytes(proto.SerializeToString(deterministic=True))


CASES = [
    Case(
        "hostile_writefile",
        "WriteFile (to /dev/null) inside a Defun called from another Defun: y = 2 * x * k. "
        "scan and convert must refuse it unless --allow-op WriteFile.",
        writefile_in_function,
        ("saved_model", "checkpoint", "frozen"),
        extra={"hostile": "WriteFile in a nested function body", "denied_ops": ["WriteFile"]},
    ),
    PatchedCase(
        "hostile_asset_path",
        f"vocab_table with its asset renamed to {ESCAPING_ASSET} in saved_model.pb; the file sits "
        f"at "
        "<case>/etc/passwd (a decoy) so TF's loader still works. Tools must refuse the path.",
        cases_io.vocab_table,
        ("saved_model",),
        why_not={
            "checkpoint": "the attack is in the SavedModel's asset proto",
            "frozen": "freezing drops the table initializer and the asset",
        },
        extra={"hostile": f"asset path {ESCAPING_ASSET}", "vocabulary": cases_io.VOCAB},
        patch=_escape_asset,
    ),
]
