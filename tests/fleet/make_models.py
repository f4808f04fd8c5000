"""`python -m tests.fleet.make_models OUT`: two TF1 SavedModels the corpus has no need for.

- `noisy`: y = xW + 100·N(0, 1) from an unseeded random op. TF1 and TF2 draw different noise, so its
  parity check fails honestly, as it would for a user's model with dropout left in serving.
- `spin`: a v1 while_loop whose bound is 10**15 steps; running it (parity does) never ends in time,
  so only the fleet's wall-time limit stops it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402

v1 = tf.compat.v1


def _save(path: str, build: Callable[[], tuple[dict[str, Any], dict[str, Any]]]) -> None:
    graph = tf.Graph()
    with graph.as_default(), v1.Session(graph=graph) as sess:
        inputs, outputs = build()
        sess.run(v1.global_variables_initializer())
        builder = v1.saved_model.Builder(path)
        signature = v1.saved_model.predict_signature_def(inputs, outputs)
        builder.add_meta_graph_and_variables(
            sess, ["serve"], signature_def_map={"serving_default": signature}
        )
        builder.save()


def noisy() -> tuple[dict[str, Any], dict[str, Any]]:
    x = v1.placeholder(tf.float32, [None, 3], name="x")
    w = v1.Variable([[1.0], [2.0], [3.0]], name="w")
    return {"x": x}, {"y": tf.matmul(x, w) + 100.0 * v1.random_normal([1], name="noise")}


def spin() -> tuple[dict[str, Any], dict[str, Any]]:
    x = v1.placeholder(tf.float32, [None], name="x")
    w = v1.Variable(1.0, name="w")
    start = (tf.constant(0, tf.int64), tf.reduce_sum(x))
    _, total = v1.while_loop(
        lambda i, acc: i < 10**15, lambda i, acc: (i + 1, acc * 0.999 + w), start
    )
    return {"x": x}, {"y": total}


def main(out: str) -> None:
    v1.disable_eager_execution()
    v1.disable_control_flow_v2()
    _save(os.path.join(out, "noisy"), noisy)
    _save(os.path.join(out, "spin"), spin)


if __name__ == "__main__":
    main(sys.argv[1])
