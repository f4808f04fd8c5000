"""`tf.saved_model.simple_save` -> a generated `tf.Module` + `tf.saved_model.save`.

simple_save writes one `serving_default` predict signature from a session, input and output
tensor maps. The TF2 form is a `tf.function` whose `input_signature` holds the placeholders'
TensorSpecs (named by the input keys, so the signature keeps its input names) and whose body
re-computes the outputs; see `command.py` for why the export stays under the session. A site
the planner cannot prove becomes `simple_save_tf2(...)`, the live-session export (`live.py`).
"""

from __future__ import annotations

import libcst as cst

from codemods.analysis.cst_utils import arguments
from codemods.commands._export import live_template
from codemods.commands._export.command import EXPORT_TODOS, ExportToModuleCommand
from codemods.commands._export.signature import Refusal, Signature, public_name

SIMPLE_SAVE = "tensorflow.saved_model.simple_save"
_PARAMS = ("session", "export_dir", "inputs", "outputs", "legacy_init_op")


class SimpleSaveToModule(ExportToModuleCommand):
    NAME = "simple_save_to_module"
    DESCRIPTION = "Rewrite tf.saved_model.simple_save to a tf.Module + tf.saved_model.save."
    TRIGGERS = ("simple_save",)
    TODO_CODES = EXPORT_TODOS

    def match(self, call: cst.Call) -> bool:
        return public_name(self.qualify(call.func)) == SIMPLE_SAVE

    def plan_sites(self, module: cst.Module) -> None:
        for site in self.index.sites:
            planner = self.planner(site)
            try:
                args = arguments(site.call, _PARAMS)
                if set(args) - set(_PARAMS) or not {
                    "session",
                    "export_dir",
                    "inputs",
                    "outputs",
                } <= set(args):
                    raise Refusal(
                        "EXPORT_ARGS", "simple_save needs session, export_dir, inputs and outputs"
                    )
                if not self.init_op_ok(planner, args.get("legacy_init_op")):
                    raise Refusal("EXPORT_INIT_OP", "run this init op's work in the module by hand")
                inputs = planner.tensor_map(args["inputs"], "inputs")
                outputs = planner.tensor_map(args["outputs"], "outputs")
                key = cst.SimpleString('"serving_default"')
                signature = Signature(key, "serving_default", "predict", inputs, outputs)
                planner.plan(signature)
                self.emit(site, [planner], [signature], args["export_dir"], args["session"])
            except Refusal as refusal:
                self.go_live(site.call, live_template.SIMPLE_SAVE, refusal)
