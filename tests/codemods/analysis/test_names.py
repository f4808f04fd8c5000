"""The alias table resolves every import form TF1 code uses to reach tf.train.Saver."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.analysis.names import AliasTable, canonical

SAVER = "tensorflow.train.Saver"

FORMS = {
    "import tensorflow as tf\nx = tf.train.Saver": SAVER,
    "import tensorflow.compat.v1 as tf\nx = tf.train.Saver": SAVER,
    "import tensorflow as tf\nx = tf.compat.v1.train.Saver": SAVER,
    "import tensorflow\nx = tensorflow.train.Saver": SAVER,
    "import tensorflow.compat.v1\nx = tensorflow.compat.v1.train.Saver": SAVER,
    "from tensorflow.python.training import saver\nx = saver.Saver": SAVER,
    "from tensorflow.python.training import saver as s\nx = s.Saver": SAVER,
    "import tensorflow.python.training.saver as s\nx = s.Saver": SAVER,
    "from tensorflow.compat.v1 import train\nx = train.Saver": SAVER,
    "from tensorflow.compat import v1 as tf\nx = tf.train.Saver": SAVER,
    "from tensorflow.train import Saver\nx = Saver": SAVER,
    "from tensorflow.compat.v1.train import Saver as S\nx = S": SAVER,
    "def f():\n    import tensorflow as tf\nx = tf.train.Saver": SAVER,
    "import mylib as tf\nx = tf.train.Saver": None,
    "from mylib import Saver\nx = Saver": None,
    "from . import tensorflow\nx = tensorflow.train.Saver": None,
    "import tensorflow as tf\nx = tf.train.Saver()": None,  # a call is not a name
}


@pytest.mark.parametrize("source,expected", FORMS.items(), ids=range(len(FORMS)))
def test_import_form_resolves(source: str, expected: str | None) -> None:
    """Each form resolves to the canonical name, and non-TF look-alikes do not."""
    module = cst.parse_module(source + "\n")
    table = AliasTable.from_module(module)
    stmt = module.body[-1]
    assert isinstance(stmt, cst.SimpleStatementLine)
    assign = stmt.body[0]
    assert isinstance(assign, cst.Assign)
    assert table.qualify(assign.value) == expected


def test_canonical_folds_internal_modules() -> None:
    """Internal module paths and compat namespaces map to one public name."""
    assert canonical("tensorflow.python.saved_model.loader_impl.load") == (
        "tensorflow.saved_model.loader.load"
    )
    assert canonical("tensorflow.compat.v2.train.Checkpoint") == "tensorflow.train.Checkpoint"
    assert canonical("tensorflow.keras.Model") == "tensorflow.keras.Model"


def test_tf2_handle_prefers_plain_tensorflow() -> None:
    """A compat.v1 alias is not a TF2 handle; `import tensorflow as tf` is."""
    v1_only = AliasTable.from_module(cst.parse_module("import tensorflow.compat.v1 as tf\n"))
    assert v1_only.tf2_handle() is None and v1_only.v1_handle() == "tf"
    both = AliasTable.from_module(
        cst.parse_module("import tensorflow as tf\nimport tensorflow as t\n")
    )
    assert both.tf2_handle() == "tf"
