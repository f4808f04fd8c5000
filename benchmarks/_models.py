"""Subprocess helpers for the conversion benchmark; each imports TensorFlow in its own process.

    python -m benchmarks._models build OUT --bytes N --kind ref|resource
    python -m benchmarks._models baseline SRC DST      # tf.saved_model.load + save
    python -m benchmarks._models run-both TF1 TF2       # one signature call on each model
    python -m benchmarks._models idle                   # TensorFlow imported, one eager op

The model is an MLP whose ten square weight matrices hold ~N bytes of float32 variables,
with a few hundred ops (matmul, bias, normalisation, activation per layer; initialisers,
savers). `--kind ref` builds it as TF1 models were built (`tf.compat.v1`, graph mode,
`disable_resource_variables()`), `--kind resource` builds the same graph with resource
variables, which is what TensorFlow's own load+save path (the baseline) can handle.
"""

from __future__ import annotations

import argparse
import json
import math
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

LAYERS = 10
SEED = 0


def width(variable_bytes: int) -> int:
    """Square layer width so that LAYERS float32 matrices hold about `variable_bytes`."""
    return max(8, int(math.sqrt(variable_bytes / 4 / LAYERS)))


def build(out: Path, variable_bytes: int, kind: str) -> dict[str, int]:
    import tensorflow as tf  # noqa: PLC0415

    v1 = tf.compat.v1
    v1.disable_eager_execution()
    if kind == "ref":
        v1.disable_resource_variables()
    else:
        v1.enable_resource_variables()
    n = width(variable_bytes)
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, n], name="x")
        h = x
        for i in range(LAYERS):
            with v1.variable_scope(f"layer{i}"):
                w = v1.get_variable(
                    "w",
                    [n, n],
                    initializer=v1.random_uniform_initializer(-0.05, 0.05, seed=SEED + i),
                )
                b = v1.get_variable("b", [n], initializer=v1.zeros_initializer())
                scale = v1.get_variable("scale", [n], initializer=v1.ones_initializer())
                h = tf.matmul(h, w) + b
                mean, var = tf.nn.moments(h, axes=[1], keepdims=True)
                h = (h - mean) * v1.rsqrt(var + 1e-5) * scale
                h = tf.nn.relu(h) + 0.01 * h
        y = tf.identity(tf.reduce_sum(h, axis=1, keepdims=True), name="y")
        with v1.Session(graph=graph) as sess:
            sess.run(v1.global_variables_initializer())
            signature = v1.saved_model.signature_def_utils.predict_signature_def({"x": x}, {"y": y})
            builder = v1.saved_model.builder.SavedModelBuilder(str(out))
            builder.add_meta_graph_and_variables(
                sess, [v1.saved_model.tag_constants.SERVING],
                signature_def_map={"serving_default": signature},
            )  # fmt: skip
            builder.save()
        ops = len(graph.get_operations())
        nbytes = sum(int(v.shape.num_elements()) * 4 for v in v1.global_variables())
    return {"width": n, "ops": ops, "variable_bytes": nbytes}


def baseline(src: Path, dst: Path) -> None:
    """What TensorFlow offers without tf-migrate (works only for resource variables)."""
    import tensorflow as tf  # noqa: PLC0415

    loaded = tf.saved_model.load(str(src))
    tf.saved_model.save(loaded, str(dst), signatures=loaded.signatures)


def run_both(tf1: Path, tf2: Path) -> None:
    """The work `verify` cannot avoid: run each model once on the same input."""
    import numpy as np  # noqa: PLC0415
    import tensorflow as tf  # noqa: PLC0415

    v1 = tf.compat.v1
    graph = tf.Graph()
    with v1.Session(graph=graph) as sess:
        meta = v1.saved_model.loader.load(sess, ["serve"], str(tf1))
        sig = meta.signature_def["serving_default"]
        n = sig.inputs["x"].tensor_shape.dim[1].size
        batch = np.random.default_rng(SEED).standard_normal((4, n)).astype(np.float32)
        sess.run(sig.outputs["y"].name, {sig.inputs["x"].name: batch})
    loaded = tf.saved_model.load(str(tf2))
    loaded.signatures["serving_default"](x=tf.constant(batch))


def idle() -> None:
    import tensorflow as tf  # noqa: PLC0415

    (tf.constant(1.0) + 1.0).numpy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    b = sub.add_parser("build")
    b.add_argument("out", type=Path)
    b.add_argument("--bytes", type=int, required=True)
    b.add_argument("--kind", choices=("ref", "resource"), required=True)
    for name in ("baseline", "run-both"):
        p = sub.add_parser(name)
        p.add_argument("a", type=Path)
        p.add_argument("b", type=Path)
    sub.add_parser("idle")
    args = parser.parse_args()
    if args.mode == "build":
        print(json.dumps(build(args.out, args.bytes, args.kind)))
    elif args.mode == "baseline":
        baseline(args.a, args.b)
    elif args.mode == "run-both":
        run_both(args.a, args.b)
    else:
        idle()


if __name__ == "__main__":
    main()
