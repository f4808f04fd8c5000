"""Inputs and outputs beyond one float tensor.

Assets + tables, tf.Example, sparse, int64, strings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf

from corpus.models._common import (
    SERVE,
    Case,
    GraphSpec,
    MetaGraphSpec,
    initialise,
    predict,
    ref_var,
    rng,
    scratch_file,
    train,
)

v1 = tf.compat.v1
sig = v1.saved_model.signature_def_utils
VOCAB = ["alpha", "beta", "gamma", "delta"]


def vocab_table(sess: Any) -> GraphSpec:
    # The vocabulary lives in a scratch dir that is deleted after the build: the SavedModel's
    # assets/ copy is then the only one, as after shipping a model to another machine.
    vocab = scratch_file("vocab.txt", "\n".join(VOCAB) + "\n")
    words = v1.placeholder(tf.string, [None], name="words")
    table = v1.lookup.StaticHashTable(
        v1.lookup.TextFileInitializer(
            str(vocab),
            tf.string,
            v1.lookup.TextFileIndex.WHOLE_LINE,
            tf.int64,
            v1.lookup.TextFileIndex.LINE_NUMBER,
        ),
        default_value=-1,
        name="vocab_table",
    )
    ids = tf.identity(table.lookup(words), name="ids")
    weights = ref_var("word_weights", rng().normal(size=(len(VOCAB) + 1,)).astype(np.float32))
    # Unknown words (id -1) read the last row.
    rows = tf.where(ids < 0, tf.fill(tf.shape(ids), np.int64(len(VOCAB))), ids)
    score = tf.identity(tf.gather(weights, rows), name="score")
    main_op = v1.tables_initializer(name="main_op")  # before any session.run: no graph edits after
    initialise(sess)
    return GraphSpec(
        [
            MetaGraphSpec(
                [SERVE],
                {"serving_default": predict({"words": words}, {"ids": ids, "score": score})},
            )
        ],
        main_op=main_op,
        use_assets=True,
    )


def classify_regress(sess: Any) -> GraphSpec:
    r = rng()
    examples = v1.placeholder(tf.string, [None], name="tf_example")
    features = v1.parse_example(examples, {"x": v1.FixedLenFeature([2], tf.float32)})
    x = features["x"]
    w = ref_var("W", r.normal(size=(2, 2)).astype(np.float32))
    b = ref_var("b", r.normal(size=(2,)).astype(np.float32))
    logits = tf.add(tf.matmul(x, w), b, name="logits")
    scores = tf.nn.softmax(logits, name="scores")
    classes = tf.tile(tf.constant([["neg", "pos"]]), [tf.shape(x)[0], 1], name="classes")
    value = tf.identity(logits[:, 1:2] - logits[:, 0:1], name="value")
    train_x = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    loss = tf.reduce_mean(tf.square(tf.matmul(train_x, w) + b - np.eye(2, dtype=np.float32)))
    initialise(sess)
    train(sess, loss, steps=2)
    return GraphSpec(
        [
            MetaGraphSpec(
                [SERVE],
                {
                    "classify": sig.classification_signature_def(examples, classes, scores),
                    "regress": sig.regression_signature_def(examples, value),
                    "serving_default": predict(
                        {"examples": examples}, {"scores": scores, "value": value}
                    ),
                },
            )
        ]
    )


def sparse_input(sess: Any) -> GraphSpec:
    r = rng()
    sp = v1.sparse_placeholder(tf.float32, shape=[None, 4], name="sp")
    w = ref_var("W", r.normal(size=(4, 3)).astype(np.float32))
    b = ref_var("b", r.normal(size=(3,)).astype(np.float32))
    y = tf.identity(v1.sparse_tensor_dense_matmul(sp, w) + b, name="y")
    row_sum = tf.identity(v1.sparse_reduce_sum(sp, axis=1), name="row_sum")
    initialise(sess)
    return GraphSpec(
        [
            MetaGraphSpec(
                [SERVE], {"serving_default": predict({"sp": sp}, {"y": y, "row_sum": row_sum})}
            )
        ]
    )


def int_string_io(sess: Any) -> GraphSpec:
    ids = v1.placeholder(tf.int64, [None], name="ids")
    words = v1.placeholder(tf.string, [None], name="words")
    k = ref_var("k", np.int64(3), trainable=False)  # int64 VariableV2
    # A string VariableV2. Shape [1], not scalar: TF 2.21's convert_variables_to_constants fails on
    # a
    # scalar string variable (AttributeError: 'bytes' object has no attribute 'shape').
    suffix = ref_var("suffix", tf.constant(["_v1"]), trainable=False)
    gain = ref_var("gain", np.float32(0.5))
    scaled = tf.identity(ids * k + 1, name="scaled_ids")
    text = tf.identity(tf.strings.join([tf.strings.upper(words), suffix[0]]), name="text")
    length = tf.identity(tf.strings.length(words, name="len"), name="length")
    weighted = tf.identity(tf.cast(ids, tf.float32) * gain, name="weighted")
    initialise(sess)
    return GraphSpec(
        [
            MetaGraphSpec(
                [SERVE],
                {
                    "serving_default": predict(
                        {"ids": ids, "words": words},
                        {
                            "scaled_ids": scaled,
                            "text": text,
                            "length": length,
                            "weighted": weighted,
                        },
                    )
                },
            )
        ]
    )


ALL_FORMS = ("saved_model", "checkpoint", "frozen")

CASES = [
    Case(
        "vocab_table",
        "Asset vocab.txt + StaticHashTable(TextFileInitializer) via main_op=tables_initializer(): "
        "string words -> int64 ids (-1 if unknown) and a float score from a ref variable.",
        vocab_table,
        ("saved_model",),
        why_not={
            "checkpoint": "the table needs its asset, which only a SavedModel ships "
            "(the .meta would name a deleted file)",
            "frozen": "freezing drops the table initializer and the asset",
        },
        extra={"assets": ["vocab.txt"], "vocabulary": VOCAB},
    ),
    Case(
        "classify_regress",
        "Serialized tf.Example input parsed by ParseExample; classify, regress and predict "
        "signatures.",
        classify_regress,
        ALL_FORMS,
        extra={"example_features": {"x": {"dtype": "float32", "shape": [2]}}},
    ),
    Case(
        "sparse_input",
        "A float sparse_placeholder [None, 4] (coo_sparse TensorInfo) -> dense matmul output and "
        "row sums.",
        sparse_input,
        ALL_FORMS,
        value_ranges={"sp": (-1.0, 1.0)},
        extra={"sparse_dense_shape": {"sp": [-1, 4]}},
    ),
    Case(
        "int_string_io",
        "int64 and string inputs and outputs; int64 and string ref variables.",
        int_string_io,
        ALL_FORMS,
    ),
]
