"""estimator_export_to_module on small sources: what converts, and what gets a TODO unchanged."""

from __future__ import annotations

import ast
import textwrap

import pytest

from codemods.analysis.api_sites import count_sites
from codemods.commands.estimator_export_to_module import EstimatorExportToModule
from codemods.engine.rewrite import rewrite_code

HEAD = """\
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
SPEC = {"x": tf.FixedLenFeature([2], tf.float32)}


def model_fn(features, labels, mode):
    y = tf.matmul(features["x"], tf.get_variable("w", [2, 1]))
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, export_outputs={HEADS})
    return tf.estimator.EstimatorSpec(mode, loss=tf.reduce_mean(y), train_op=tf.no_op())


"""
PARSING = "receiver = tf.estimator.export.build_parsing_serving_input_receiver_fn(SPEC)\n"
CUSTOM = '"y": tf.estimator.export.PredictOutput({"y": y})'


def _source(body: str, heads: str = CUSTOM) -> str:
    return HEAD.replace("{HEADS}", "{" + heads + "}") + textwrap.dedent(body)


def _rewrite(code: str) -> tuple[str, list[str]]:
    outcome = rewrite_code(code, (EstimatorExportToModule,))
    ast.parse(outcome.code)
    again = rewrite_code(outcome.code, (EstimatorExportToModule,))
    assert again.code == outcome.code, "not idempotent"
    return outcome.code, [f.code for f in outcome.findings]


def _without_todos(code: str) -> str:
    return "\n".join(line for line in code.splitlines() if "# TODO(tf-migrate)" not in line) + "\n"


def test_no_estimator_export_is_left_alone() -> None:
    """A file that exports nothing through an Estimator is not changed."""
    code = "import tensorflow as tf\n\nmodel.export_saved_model = None\nprint(tf.__version__)\n"
    assert _rewrite(code) == (code, [])


def test_lone_head_under_its_own_key_is_also_the_default_signature() -> None:
    """Estimator serves a single head as serving_default too: both signatures are written."""
    body = (
        PARSING
        + 'est = tf.estimator.Estimator(model_fn, model_dir="m")\nest.export_saved_model("out", '
        "receiver)\n"
    )
    code, findings = _rewrite(_source(body))
    assert findings == []
    assert (
        '"y": export_module.y' in code
        and '"serving_default": export_module.serving_default' in code
    )
    assert code.count('self.export_outputs(examples)["y"]') == 2  # the default copy serves head "y"
    assert 'name="examples"' in code  # predict heads take the receiver's own keys
    assert 'mode == "infer"' in code and "dict(mode=mode" in code and '{"y": y}' in code
    assert "tf.estimator" not in _code_only(code)


def test_raw_receiver_keys_become_parameters_and_spec_names() -> None:
    """build_raw_serving_input_receiver_fn: same keys, dtypes and shapes, even non-identifier
    keys."""
    body = """\
    receiver = tf.estimator.export.build_raw_serving_input_receiver_fn({
        "x": tf.placeholder(tf.float32, [None, 2], name="x"),
        "x-2": tf.placeholder(tf.int64, shape=[None]),
    })
    est = tf.estimator.Estimator(model_fn=model_fn, model_dir="m")
    path = est.export_savedmodel("out", receiver)
    """
    code, findings = _rewrite(_source(body))
    assert findings == []
    assert "def receiver(x, x_2):" in code and 'return {"x": x, "x-2": x_2}' in code
    assert (
        'tf2.TensorSpec([None, 2], tf.float32, name="x"),\n        tf2.TensorSpec([None], '
        'tf.int64, name="x-2"),' in code
    )
    assert "path = tf2.compat.as_bytes(export_path)" in code


@pytest.mark.parametrize(
    ("body", "heads", "code"),
    [
        pytest.param(PARSING + "est = tf.estimator.DNNClassifier([4], [], model_dir='m')\n"
                     "est.export_saved_model('out', receiver)\n", CUSTOM, "ESTIMATOR_CANNED",
                     id="canned"),
        pytest.param(PARSING + "est = tf.estimator.Estimator(model_fn, model_dir='m')\n"
                     "est.evaluate(None)\nest.export_saved_model('out', receiver)\n", CUSTOM,
                     "ESTIMATOR_USE", id="evaluate"),
        pytest.param("est = tf.estimator.Estimator(model_fn, model_dir='m')\n"
                     "est.export_saved_model('out', "
                     "tf.estimator.export.build_parsing_serving_input_receiver_fn(SPEC))\n", CUSTOM,
                     "ESTIMATOR_RECEIVER", id="inline-receiver"),
        pytest.param("if __name__ == '__main__':\n    " + PARSING
                     + "    est = tf.estimator.Estimator(model_fn, model_dir='m')\n"
                     "else:\n    est.export_saved_model('out', receiver)\n", CUSTOM,
                     "ESTIMATOR_BINDING", id="built-in-another-arm"),
        pytest.param(PARSING + "est = tf.estimator.Estimator(model_fn)\n"
                     "est.export_saved_model('out', receiver)\n",
                     CUSTOM, "ESTIMATOR_BINDING", id="no-model-dir"),
        pytest.param(PARSING + "est = tf.estimator.Estimator(model_fn, model_dir='m')\n"
                     "est.export_saved_model('out', receiver)\n",
                     "KEYS[0]: tf.estimator.export.PredictOutput({'y': y})",
                     "ESTIMATOR_HEADS", id="runtime-key"),
        pytest.param(PARSING + "est = tf.estimator.Estimator(model_fn, model_dir='m')\n"
                     "est.export_saved_model('out', receiver, assets_extra={'a': 'b'})\n", CUSTOM,
                     "ESTIMATOR_EXPORT_ARGS", id="assets-extra"),
        pytest.param("receiver = tf.estimator.export.build_raw_serving_input_receiver_fn("
                     "{'x': tf.placeholder(tf.float32, [None, 2])})\n"
                     "est = tf.estimator.Estimator(model_fn, model_dir='m')\n"
                     "est.export_saved_model('out', receiver)\n",
                     "'serving_default': tf.estimator.export.RegressionOutput(y)",
                     "ESTIMATOR_HEADS", id="regress-on-raw"),
    ],
)  # fmt: skip
def test_unclear_sites_get_a_todo_and_stay_unchanged(body: str, heads: str, code: str) -> None:
    """Nothing is guessed: the export keeps its code, gains one TODO, and the finding is
    reported."""
    source = _source(body, heads)
    rewritten, findings = _rewrite(source)
    assert findings == [code]
    assert f"# TODO(tf-migrate): {code}:" in rewritten
    assert _without_todos(rewritten) == source


def test_model_fn_with_config_is_refused() -> None:
    """model_fn(features, labels, mode, config) needs a RunConfig the module cannot supply."""
    source = _source(
        PARSING
        + "est = tf.estimator.Estimator(model_fn, model_dir='m')\nest.export_saved_model('o', "
        "receiver)\n"
    )
    source = source.replace(
        "def model_fn(features, labels, mode):", "def model_fn(features, labels, mode, config):"
    )
    assert _rewrite(source)[1] == ["ESTIMATOR_MODEL_FN"]


def _code_only(code: str) -> str:
    return "\n".join(line for line in code.splitlines() if not line.lstrip().startswith("#"))


def test_estimator_built_and_exported_under_the_main_guard_converts() -> None:
    """`if __name__ == "__main__":` holds the Estimator, its receiver and the export: the
    definitions run before the export on every path, so the site converts in place."""
    body = (
        "if __name__ == '__main__':\n    " + PARSING
        + "    est = tf.estimator.Estimator(model_fn, model_dir='m')\n"
        "    est.export_saved_model('out', receiver)\n"
    )  # fmt: skip
    source = _source(body)
    rewritten, findings = _rewrite(source)
    assert findings == []
    assert count_sites(source) == {"estimator_export_custom": 1}
    assert count_sites(rewritten) == {}  # no export call left, only comments recall it
    assert "if __name__ == '__main__':\n" in rewritten


NO_HEADS = HEAD.replace(
    "tf.estimator.EstimatorSpec(mode, export_outputs={HEADS})",
    'tf.estimator.EstimatorSpec(mode, predictions={"y": y})',
)
DICT_RECEIVER = """\
def receiver():
    inputs = {"x": tf.placeholder(tf.float32, [None, 2])}
    return tf.estimator.export.ServingInputReceiver(inputs, inputs)


"""
TRAIN_AND_EVALUATE = """\
config = tf.estimator.RunConfig(tf_random_seed=1)
est = tf.estimator.Estimator(model_fn=model_fn, model_dir="m", config=config)
train_spec = tf.estimator.TrainSpec(tf.estimator.inputs.numpy_input_fn({"x": X}, Y), max_steps=5)
eval_spec = tf.estimator.EvalSpec(input_fn)
tf.estimator.train_and_evaluate(est, train_spec, eval_spec)
est.export_savedmodel("out", receiver)
"""


def test_train_and_evaluate_and_its_setup_are_commented_out_and_the_default_head_served() -> None:
    """No export_outputs: Estimator served PredictOutput(predictions) as serving_default. The
    RunConfig/TrainSpec/EvalSpec only training read are commented out with the training, so no
    tf.estimator name is left to run."""
    source = NO_HEADS + DICT_RECEIVER + TRAIN_AND_EVALUATE
    rewritten, findings = _rewrite(source)
    assert findings == []
    assert '["predictions"]' in rewritten and 'return {"serving_default": predictions}' in rewritten
    assert 'def receiver(x):\n    inputs = {"x": x}\n' in rewritten
    for line in TRAIN_AND_EVALUATE.splitlines()[:-1]:
        assert f"#   {line}\n" in rewritten
    assert "tf.estimator" not in _code_only(rewritten)
    assert count_sites(source) == {"estimator_export_custom": 1} and count_sites(rewritten) == {}


@pytest.mark.parametrize(
    ("source", "code"),
    [
        pytest.param(NO_HEADS + DICT_RECEIVER + TRAIN_AND_EVALUATE + "print(train_spec)\n",
                     "ESTIMATOR_USE", id="setup-read-elsewhere"),
        pytest.param(NO_HEADS + DICT_RECEIVER + "MODES = tf.estimator.ModeKeys\n"
                     + TRAIN_AND_EVALUATE, "ESTIMATOR_USE", id="mode-keys-alias"),
        pytest.param(NO_HEADS + DICT_RECEIVER + TRAIN_AND_EVALUATE.replace(
                     "tf.estimator.train_and_evaluate(est,", "run(est,"), "ESTIMATOR_USE",
                     id="passed-on"),
        pytest.param("from tensorflow_estimator.python.estimator.tpu import tpu_estimator\n"
                     + NO_HEADS + DICT_RECEIVER + "est = tpu_estimator.TPUEstimator(model_fn, "
                     "model_dir='m')\nest.export_saved_model('out', receiver)\n",
                     "ESTIMATOR_TPU", id="tpu-estimator"),
        pytest.param(NO_HEADS + DICT_RECEIVER + "est = tf.estimator.tpu.TPUEstimator(model_fn, "
                     "model_dir='m')\nest.export_saved_model('out', receiver)\n",
                     "ESTIMATOR_TPU", id="tf-tpu-estimator"),
        pytest.param("from tensorflow_estimator.python.estimator.canned import rnn\n" + NO_HEADS
                     + DICT_RECEIVER + "est = rnn.RNNClassifier(units=[2], model_dir='m')\n"
                     "est.export_saved_model('out', receiver)\n", "ESTIMATOR_CANNED",
                     id="canned-internal-path"),
        pytest.param(NO_HEADS + DICT_RECEIVER + "est = tf.keras.estimator.model_to_estimator("
                     "model, model_dir='m')\nest.export_saved_model('out', receiver)\n",
                     "ESTIMATOR_CANNED", id="model-to-estimator"),
    ],
)  # fmt: skip
def test_what_would_still_run_tf_estimator_is_refused(source: str, code: str) -> None:
    """A tf.estimator name left running (gone from TF >= 2.16) or an Estimator passed on
    keeps the site as it was, with one TODO; TPU and canned estimators say which they are."""
    rewritten, findings = _rewrite(source)
    assert findings == [code]
    assert _without_todos(rewritten) == source


def test_a_class_own_export_saved_model_method_is_not_an_estimator() -> None:
    """`self.export_saved_model()` calling the class's own method: no TODO, no site."""
    source = (
        "import tensorflow as tf\n\n\nclass Exporter:\n    def export(self):\n"
        "        self.export_saved_model()\n\n    def export_saved_model(self):\n"
        "        tf.saved_model.save(self.module, '/e')\n"
    )
    assert _rewrite(source) == (source, [])
    assert count_sites(source) == {}


FACTORY = """\
def build(model_dir, seed=1):
    config = tf.estimator.RunConfig(tf_random_seed=seed)
    return tf.estimator.Estimator(model_fn, model_dir=model_dir, config=config)


def main(base):
    est = build(base + "/m")
    est.train(input_fn, max_steps=3)
    est.export_saved_model("out", receiver)
"""


def test_estimator_built_by_a_factory_and_exported_in_another_function_converts() -> None:
    """The factory's parameter becomes the caller's argument (`model_dir` -> `base + "/m"`);
    the factory, only called by the commented-out statement, is commented out too."""
    source = _source(PARSING + "\n\n" + FACTORY)
    rewritten, findings = _rewrite(source)
    assert findings == []
    assert 'tf.train.latest_checkpoint(base + "/m")' in rewritten
    assert "#   def build(model_dir, seed=1):\n" in rewritten
    assert '#   est = build(base + "/m")\n    #   est.train(input_fn, max_steps=3)\n' in rewritten
    assert "tf.estimator" not in _code_only(rewritten)
    assert count_sites(source) == {"estimator_export_custom": 1}


@pytest.mark.parametrize(
    ("factory", "code"),
    [
        pytest.param(FACTORY.replace("model_dir=model_dir", "model_dir=config.model_dir"),
                     "ESTIMATOR_BINDING", id="reads-its-own-locals"),
        pytest.param(FACTORY + "\n\nother = build('x')\n", "ESTIMATOR_USE",
                     id="factory-still-called"),
        pytest.param(FACTORY.replace("tf.estimator.Estimator(model_fn,",
                                     "tf.estimator.LinearRegressor([],"),
                     "ESTIMATOR_CANNED", id="canned-factory"),
        pytest.param(FACTORY.replace("    config = tf", "    if seed:\n        return None\n"
                                     "    config = tf"), "ESTIMATOR_BINDING", id="two-returns"),
    ],
)  # fmt: skip
def test_unclear_factories_are_refused(factory: str, code: str) -> None:
    source = _source(PARSING + "\n\n" + factory)
    rewritten, findings = _rewrite(source)
    assert findings == [code]
    assert _without_todos(rewritten) == source
