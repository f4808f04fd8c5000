"""Write the TF2 SavedModel: a `tf.Module` root holding variables, assets, init and signatures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tensorflow as tf

from migrate.converter.wrapped_graph import SignatureInfo, WrappedGraph

PREDICT_METHOD = "tensorflow/serving/predict"


class _InitOp(tf.saved_model.experimental.TrackableResource):  # type: ignore[misc]  # TF: no stubs
    """Runs the TF1 main_op / table initializers each time the TF2 model is loaded.

    The asset paths are fed in at load time, so tables read the copies inside the new
    SavedModel and keep working after the source directory is gone.
    """

    def __init__(self, init_fn: Any, assets: list[tf.saved_model.Asset]):
        super().__init__()
        self._init_fn = init_fn
        self._assets = assets

    def _create_resource(self) -> tf.Tensor:
        return tf.constant(1.0)

    def _initialize(self) -> Any:
        return self._init_fn(*[asset.asset_path for asset in self._assets])


class ConvertedModel(tf.Module):  # type: ignore[misc]  # TF has no stubs
    """The TF2 root object; `variables`/`trainable_variables` survive a save/load round trip."""

    def __init__(self, graph: WrappedGraph):
        super().__init__(name="converted")
        self.tf1_variables = list(graph.variables)
        self.assets = [tf.saved_model.Asset(path) for path in graph.asset_tensor_paths.values()]
        self.initializer = (
            _InitOp(graph.init_fn, self.assets) if graph.init_fn is not None else None
        )

    def _trackable_children(self, save_type: str = "checkpoint", **kwargs: Any) -> dict[str, Any]:
        children: dict[str, Any] = super()._trackable_children(save_type, **kwargs)
        if save_type == "savedmodel":  # a loaded tf.Module has no such properties otherwise
            children["variables"] = tf.__internal__.tracking.wrap(list(self.variables))
            children["trainable_variables"] = tf.__internal__.tracking.wrap(
                list(self.trainable_variables)
            )
        return children


def save(
    module: ConvertedModel,
    signatures: dict[str, Any],
    infos: dict[str, SignatureInfo],
    out_dir: Path,
    keep_method_names: bool = True,
) -> None:
    """Save, then restore TF1 method names TF2's writer replaces with `predict`."""
    tf.saved_model.save(module, str(out_dir), signatures=signatures)
    if not keep_method_names:
        return
    renamed = {key: info.method_name for key, info in infos.items() if key in signatures}
    renamed = {key: name for key, name in renamed.items() if name and name != PREDICT_METHOD}
    if not renamed:
        return
    updater = tf.compat.v1.saved_model.signature_def_utils.MethodNameUpdater(str(out_dir))
    for key, method_name in renamed.items():
        updater.replace_method_name(signature_key=key, method_name=method_name, tags="serve")
    updater.save()
