"""What the export planners produce: signatures, their parameters and tables, and `Refusal`.

Also the folding of `tf.saved_model` internal module paths onto public names and the TF1
saved_model constants, which the Builder, simple_save and Estimator planners all read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.analysis.names import canonical

# Internal module paths the shared alias table does not fold, onto their public names.
_INTERNAL = {
    "tensorflow.python.saved_model.simple_save.": "tensorflow.saved_model.",
    "tensorflow.python.saved_model.builder_impl.": "tensorflow.saved_model.builder.",
    "tensorflow.python.saved_model.builder.": "tensorflow.saved_model.builder.",
    "tensorflow.python.saved_model.signature_def_utils_impl.": "tensorflow.saved_model.",
    "tensorflow.python.saved_model.signature_def_utils.": "tensorflow.saved_model.",
    "tensorflow.saved_model.signature_def_utils.": "tensorflow.saved_model.",
    "tensorflow.python.saved_model.utils_impl.": "tensorflow.saved_model.",
    "tensorflow.python.saved_model.utils.": "tensorflow.saved_model.",
    "tensorflow.saved_model.utils.": "tensorflow.saved_model.",
    "tensorflow.python.saved_model.main_op_impl.": "tensorflow.saved_model.main_op.",
    "tensorflow.python.saved_model.main_op.": "tensorflow.saved_model.main_op.",
    "tensorflow.saved_model.tag_constants.": "tensorflow.saved_model.",
    "tensorflow.saved_model.signature_constants.": "tensorflow.saved_model.",
}
# tf.saved_model constants (TF1 tag_constants / signature_constants), all present in TF2.
CONSTANTS = {
    "SERVING": "serve", "GPU": "gpu", "TPU": "tpu", "TRAINING": "train",
    "DEFAULT_SERVING_SIGNATURE_DEF_KEY": "serving_default",
    "PREDICT_INPUTS": "inputs", "PREDICT_OUTPUTS": "outputs",
    "CLASSIFY_INPUTS": "inputs", "CLASSIFY_OUTPUT_CLASSES": "classes",
    "CLASSIFY_OUTPUT_SCORES": "scores", "REGRESS_INPUTS": "inputs", "REGRESS_OUTPUTS": "outputs",
    "PREDICT_METHOD_NAME": "tensorflow/serving/predict",
    "CLASSIFY_METHOD_NAME": "tensorflow/serving/classify",
    "REGRESS_METHOD_NAME": "tensorflow/serving/regress",
}  # fmt: skip


def public_name(name: str | None) -> str | None:
    """Fold the saved_model internal modules the shared alias table leaves alone."""
    if name is None:
        return None
    for prefix, public in _INTERNAL.items():
        if name.startswith(prefix):
            return canonical(public + name[len(prefix) :])
    return name


class Refusal(Exception):
    """The site is not statically clear: leave it, add `code` as a TODO."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class Param:
    name: str  # Python parameter name (the placeholder's variable)
    key: cst.BaseExpression  # signature input key, emitted as the TensorSpec name
    dtype: cst.BaseExpression
    shape: cst.BaseExpression
    tensor: cst.BaseExpression | None = None  # set: TensorSpec.from_tensor (shape not literal)


@dataclass
class Signature:
    key: cst.BaseExpression
    name: str  # evaluated key
    method: str  # predict | classify | regress
    inputs: list[tuple[cst.BaseExpression, cst.BaseExpression]]  # (key, tensor)
    outputs: list[tuple[cst.BaseExpression, cst.BaseExpression]]
    params: list[Param] = field(default_factory=list)
    body: list[cst.SimpleStatementLine] = field(default_factory=list)
    reuse: bool = False


@dataclass
class Table:
    name: str  # the TF1 variable holding the table; becomes `self.<name>`
    value: cst.BaseExpression  # constructor call
    asset: cst.BaseExpression | None  # vocabulary path, becomes a tf.saved_model.Asset
