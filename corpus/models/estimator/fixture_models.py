"""The Estimator models behind the converter fixtures (runs under TF 2.15 + tensorflow-estimator).

`tf.estimator` does not exist in TF >= 2.16, so this module is never imported by the project's
tests: `make_fixtures.py` imports it inside the TF 2.15 virtualenv, and only the small exports it
writes are committed. Each fixture is one `Fixture`: how to build the Estimator, its training data,
its serving receiver, and how many steps to train before each export (one export per entry, so a
fixture with two entries gets an export base with two timestamped versions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import tensorflow.compat.v1 as tf

SEED = 1234
WORDS = ["tok0", "tok1", "tok2", "tok3"]  # also what the parity check's generated Examples contain


@dataclass(frozen=True)
class Fixture:
    """One Estimator fixture: written to corpus/models/estimator/<name>/."""

    name: str
    description: str
    make_estimator: Callable[[str, Any], Any]  # (model_dir, RunConfig) -> Estimator
    receiver_fn: Callable[[], Callable[[], Any]]  # () -> serving_input_receiver_fn
    steps_per_export: tuple[int, ...]  # cumulative training steps before each export
    expected_methods: dict[str, str]  # signature key -> method name the serve graph must have
    all_modes: bool = False  # experimental_export_all_saved_models: serve + train + eval graphs


def training_data() -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Fixed synthetic data: the label is 1 when x0 + x1 > 0 or the word is tok1."""
    rng = np.random.RandomState(SEED)
    x = rng.uniform(-1.0, 1.0, size=(32, 2)).astype(np.float32)
    words = np.array([[WORDS[i % len(WORDS)].encode()] for i in range(32)])
    labels = ((x.sum(axis=1) > 0) | (words[:, 0] == b"tok1")).astype(np.int64)
    return {"x": x, "word": words}, labels


def train_input_fn() -> Any:
    """Batches of 8 from the fixed data, in order (no shuffling: the result is reproducible)."""
    features, labels = training_data()
    return tf.data.Dataset.from_tensor_slices((features, labels)).batch(8).repeat()


def _columns() -> list[Any]:
    return [
        tf.feature_column.numeric_column("x", shape=(2,)),
        tf.feature_column.categorical_column_with_vocabulary_list("word", WORDS),
    ]


def _linear_classifier(model_dir: str, config: Any) -> Any:
    return tf.estimator.LinearClassifier(
        feature_columns=_columns(), model_dir=model_dir, config=config
    )


def _dnn_classifier(model_dir: str, config: Any) -> Any:
    x, word = _columns()
    columns = [x, tf.feature_column.indicator_column(word)]
    return tf.estimator.DNNClassifier(
        hidden_units=[4], feature_columns=columns, n_classes=3, model_dir=model_dir, config=config
    )


def _parsing_receiver(columns: list[Any]) -> Callable[[], Any]:
    spec = tf.feature_column.make_parse_example_spec(columns)
    return tf.estimator.export.build_parsing_serving_input_receiver_fn(spec)


def two_heads_model_fn(features: dict[str, Any], labels: Any, mode: str) -> Any:
    """A custom model_fn: one linear layer, two export heads (classification default + predict)."""
    x = tf.concat([features["x"], tf.cast(tf.equal(features["word"], "tok1"), tf.float32)], axis=1)
    kernel = tf.get_variable(
        "dense/kernel", [3, 2], initializer=tf.glorot_uniform_initializer(seed=SEED)
    )
    bias = tf.get_variable("dense/bias", [2], initializer=tf.zeros_initializer())
    logits = tf.nn.bias_add(tf.matmul(x, kernel), bias, name="logits")
    probabilities = tf.nn.softmax(logits, name="probabilities")
    class_ids = tf.argmax(logits, axis=1, name="class_ids")
    if mode == tf.estimator.ModeKeys.PREDICT:
        class_names = tf.tile(tf.constant([["negative", "positive"]]), [tf.shape(logits)[0], 1])
        heads = {
            "serving_default": tf.estimator.export.ClassificationOutput(
                scores=probabilities, classes=class_names
            ),
            "predict": tf.estimator.export.PredictOutput(
                {"logits": logits, "class_ids": class_ids}
            ),
        }
        return tf.estimator.EstimatorSpec(
            mode, predictions={"probabilities": probabilities}, export_outputs=heads
        )
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(
        loss, global_step=tf.train.get_global_step()
    )
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def _two_heads(model_dir: str, config: Any) -> Any:
    return tf.estimator.Estimator(two_heads_model_fn, model_dir=model_dir, config=config)


def _two_heads_receiver() -> Callable[[], Any]:
    spec = {"x": tf.FixedLenFeature([2], tf.float32), "word": tf.FixedLenFeature([1], tf.string)}
    return tf.estimator.export.build_parsing_serving_input_receiver_fn(spec)


def supervised_receiver() -> Callable[[], Any]:
    """Raw feature + label placeholders for the train and eval graphs of an all-modes export."""
    features = {
        "x": tf.placeholder(tf.float32, [None, 2], name="x"),
        "word": tf.placeholder(tf.string, [None, 1], name="word"),
    }
    labels = tf.placeholder(tf.int64, [None], name="label")
    return tf.estimator.experimental.build_raw_supervised_input_receiver_fn(features, labels)


FIXTURES: tuple[Fixture, ...] = (
    Fixture(
        name="linear_classifier",
        description="canned LinearClassifier (binary; numeric x[2] + vocabulary-list word), "
        "parsing "
        "receiver; "
        "two exports (after 10 and 20 steps) under one export base",
        make_estimator=_linear_classifier,
        receiver_fn=lambda: _parsing_receiver(_columns()),
        steps_per_export=(10, 20),
        expected_methods={
            "serving_default": "tensorflow/serving/classify",
            "classification": "tensorflow/serving/classify",
            "regression": "tensorflow/serving/regress",
            "predict": "tensorflow/serving/predict",
        },
    ),
    Fixture(
        name="dnn_classifier",
        description="canned DNNClassifier (3 classes, hidden [4], indicator column), "
        "parsing receiver; "
        "Keras-built resource variables next to a ref global_step",
        make_estimator=_dnn_classifier,
        receiver_fn=lambda: _parsing_receiver(
            [
                tf.feature_column.numeric_column("x", shape=(2,)),
                tf.feature_column.indicator_column(_columns()[1]),
            ]
        ),
        steps_per_export=(10,),
        expected_methods={
            "serving_default": "tensorflow/serving/classify",
            "classification": "tensorflow/serving/classify",
            "predict": "tensorflow/serving/predict",
        },
    ),
    Fixture(
        name="custom_two_heads",
        description="custom model_fn with two export_outputs heads: ClassificationOutput as "
        "serving_default "
        "and a PredictOutput 'predict' head; parsing receiver",
        make_estimator=_two_heads,
        receiver_fn=_two_heads_receiver,
        steps_per_export=(10,),
        expected_methods={
            "serving_default": "tensorflow/serving/classify",
            "predict": "tensorflow/serving/predict",
        },
    ),
    Fixture(
        name="custom_all_modes",
        description="the custom two-heads model_fn exported with "
        "experimental_export_all_saved_models: "
        "one SavedModel with serve, train and eval MetaGraphDefs (choose one with --tags)",
        make_estimator=_two_heads,
        receiver_fn=_two_heads_receiver,
        steps_per_export=(10,),
        expected_methods={
            "serving_default": "tensorflow/serving/classify",
            "predict": "tensorflow/serving/predict",
        },
        all_modes=True,
    ),
)
