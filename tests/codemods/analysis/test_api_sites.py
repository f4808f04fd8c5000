"""Per-API TF1 site counts: what counts as a site, and as converted, in the batch report."""

from __future__ import annotations

import json

from codemods import SaverToCheckpoint, rewrite_code
from codemods.analysis.api_sites import converted, count_sites

SOURCE = """\
import tensorflow as tf
import tensorflow.compat.v1 as v1
from tensorflow.python.saved_model import loader

saver = tf.train.Saver([w])
other = tf.train.Saver(tf.trainable_variables())
saver.save(sess, "/c/m", global_step=1)
other.restore(sess, "/c/m")
thing.save("not a saver")
tf.saved_model.simple_save(sess, "/e", {"x": x}, {"y": y})
builder = tf.saved_model.builder.SavedModelBuilder("/e")
v1.saved_model.load(sess, ["serve"], "/e")
loader.load(sess, ["serve"], "/e")
tf.saved_model.load("/e")
tf.train.import_meta_graph("/c/m.meta")
custom = tf.estimator.Estimator(model_fn=model_fn)
canned = tf.estimator.DNNClassifier(hidden_units=[3], feature_columns=cols)
custom.export_saved_model("/e", receiver)
canned.export_savedmodel("/e", receiver)
passed_in.export_saved_model("/e", receiver)
"""


def test_counts_each_api_by_its_imports() -> None:
    """Aliases resolve; TF2 `tf.saved_model.load` and non-Saver `.save` are not sites."""
    assert count_sites(SOURCE) == {
        "saver": 2,
        "simple_save": 1,
        "saved_model_builder": 1,
        "loader_load": 2,
        "import_meta_graph": 1,
        "estimator_export_custom": 1,
        "estimator_export_canned": 1,
        "estimator_export_unknown": 1,
    }


def test_converted_counts_sites_gone_from_the_output_not_todos() -> None:
    """The rewritten Saver's save is converted; the refused one (TODO) still calls TF1."""
    code = (
        "import tensorflow as tf\nsaver = tf.train.Saver([w])\n"
        "other = tf.train.Saver([w], pad_step_number=True)\nwith tf.Session() as sess:\n"
        '    saver.save(sess, "/c/m", global_step=1)\n    other.restore(sess, "/c/m")\n'
    )
    output = rewrite_code(code, [SaverToCheckpoint]).code
    assert "TODO" in output
    assert converted(count_sites(code), count_sites(output)) == (("saver", 2, 1),)


def test_notebook_cells_with_magics_are_counted() -> None:
    cells = [
        {"cell_type": "code", "source": ["%matplotlib inline\n", "import tensorflow as tf"]},
        {"cell_type": "markdown", "source": "tf.train.import_meta_graph(p)"},
        {"cell_type": "code", "source": "print 'py2 cell'"},
        {"cell_type": "code", "source": "tf.train.import_meta_graph(p)\n!ls"},
    ]
    text = json.dumps({"cells": cells})
    assert count_sites(text, notebook=True) == {"import_meta_graph": 1}
    assert count_sites("import tensorflow as tf\nprint 'py2'\ntf.train.Saver().save(s, p)") == {}


ESTIMATORS = """
import tensorflow as tf
from tensorflow_estimator.python.estimator.tpu import tpu_estimator
from adanet import AutoEnsembleEstimator


def make_canned(cols):
    estimator = tf.estimator.DNNClassifier(hidden_units=[3], feature_columns=cols)
    return estimator


def tpu_test(model_fn):
    est = tpu_estimator.TPUEstimator(model_fn=model_fn, use_tpu=False)
    est.export_saved_model("/e", receiver)


def other_test(factory):
    est = factory()
    est.export_saved_model("/e", receiver)


def parameter(estimator):
    estimator.export_savedmodel("/e", receiver)


def branches(flag):
    if flag:
        est = tf.estimator.LinearClassifier(feature_columns=cols)
    else:
        est = tf.estimator.Estimator(model_fn=model_fn)
    est.export_savedmodel("/e", receiver)


class Exporter:
    def export(self):
        self.export_saved_model()

    def export_saved_model(self):
        pass


canned = make_canned(cols)
canned.export_savedmodel("/e", receiver)
keras = tf.keras.estimator.model_to_estimator(model)
keras.export_saved_model("/e", receiver)
adanet = AutoEnsembleEstimator(head=head, candidate_pool=pool)
adanet.export_saved_model("/e", receiver)
metrics = tf.estimator.add_metrics(tf.estimator.Estimator(model_fn=model_fn), metric_fn)
metrics.export_saved_model("/e", receiver)
"""


def test_estimator_exports_are_classed_by_what_the_file_shows() -> None:
    """Each receiver is looked up in its own function first (`est` is a TPUEstimator in one
    test and a parameter's product in another), then module-wide and through same-file
    factories; a parameter or disagreeing branches stay unknown; a class's own
    `export_saved_model` method is not an Estimator export."""
    assert count_sites(ESTIMATORS) == {
        "estimator_export_custom": 2,  # TPUEstimator(model_fn=...), add_metrics(Estimator(...))
        "estimator_export_canned": 3,  # factory -> DNNClassifier, model_to_estimator, adanet
        "estimator_export_unknown": 3,  # factory parameter, function parameter, branches
    }


def test_import_meta_graph_inside_wrap_function_is_the_tf2_recipe() -> None:
    """The wrap_function + prune form still calls import_meta_graph, inside the lambda; that
    call is TF2 code, not a TF1 site (so a converted block counts as converted)."""
    tf2 = """
import tensorflow as tf
savers = []
imported = tf.compat.v1.wrap_function(
    lambda: savers.append(tf.compat.v1.train.import_meta_graph(p)), [])
"""
    assert count_sites(tf2) == {}
    assert count_sites(tf2 + "tf.compat.v1.train.import_meta_graph(q)\n") == {
        "import_meta_graph": 1
    }


def test_a_saver_from_import_meta_graph_is_the_meta_graph_site() -> None:
    """`saver` names a `tf.train.Saver` in the module, but in `load` the assignment nearest
    above the restore is `import_meta_graph`: that restore is part of the MetaGraph site."""
    code = """
import tensorflow as tf
saver = tf.train.Saver()
saver.save(sess, p)


def load(sess):
    saver = tf.train.import_meta_graph(p + ".meta")
    saver.restore(sess, p)


def again(sess):
    saver.restore(sess, p)
"""
    assert count_sites(code) == {"saver": 2, "import_meta_graph": 1}
