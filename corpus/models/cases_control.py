"""State and v1 control flow: a stateful counter with ref-typed outputs, nested cond/while_loop.

Reading ref variables with `read_value()` *inside* a v1 cond or while body makes TF route the
ref tensor through RefSwitch / RefEnter: exactly the ops a ref->resource rewrite must handle.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf

from corpus.models._common import (
    PREDICT,
    SERVE,
    Case,
    GraphSpec,
    MetaGraphSpec,
    initialise,
    predict,
    ref_var,
    rng,
)

v1 = tf.compat.v1


def counter(sess: Any) -> GraphSpec:
    # Mirrors TF Serving's saved_model_counter: outputs are the ref-typed Assign/AssignAdd outputs.
    count = ref_var("counter", np.float32(0.0), trainable=False)
    delta = v1.placeholder(tf.float32, [], name="delta")
    incr = v1.assign_add(count, 1.0, name="incr_op")
    incr_by = v1.assign_add(count, delta, name="incr_by_op")
    reset = v1.assign(count, 0.0, name="reset_op")
    initialise(sess)
    build = v1.saved_model.build_tensor_info
    # noqa: SLF001 - the ref itself
    outputs = {"get": count._ref(), "incr": incr, "incr_by": incr_by, "reset": reset}
    signatures = {
        name: v1.saved_model.build_signature_def(
            {"delta": build(delta)} if name == "incr_by" else {}, {"output": build(tensor)}, PREDICT
        )
        for name, tensor in outputs.items()
    }
    return GraphSpec([MetaGraphSpec([SERVE], signatures)])


def cond_while(sess: Any) -> GraphSpec:
    r = rng()
    x = v1.placeholder(tf.float32, [None, 2], name="x")
    flag = v1.placeholder(tf.bool, [], name="flag")
    steps = v1.placeholder(tf.int32, [], name="steps")
    w = ref_var("W", (0.5 * r.normal(size=(2, 2))).astype(np.float32))
    b = ref_var("b", r.normal(size=(2,)).astype(np.float32))
    k = ref_var("k", np.float32(1.5))

    def loop(start: Any) -> Any:
        # while inside a cond branch; the body reads W and b through RefEnter.
        def body(i: Any, acc: Any) -> tuple[Any, Any]:
            return i + 1, tf.tanh(tf.matmul(acc, w.read_value()) + b.read_value())

        return v1.while_loop(
            lambda i, acc: i < steps, body, [tf.constant(0), start], name="inner_while"
        )[1]

    branched = v1.cond(flag, lambda: loop(x), lambda: x * k.read_value(), name="outer_cond")
    y = tf.identity(branched, name="y")

    def body2(i: Any, acc: Any) -> tuple[Any, Any]:
        # cond inside a while body; both branches read a ref variable through RefSwitch.
        step = v1.cond(
            tf.equal(i % 2, 0),
            lambda: b.read_value(),
            lambda: -k.read_value() * b.read_value(),
            name="inner_cond",
        )
        return i + 1, acc + step

    summed = v1.while_loop(
        lambda i, acc: i < steps, body2, [tf.constant(0), x], name="outer_while"
    )[1]
    z = tf.identity(summed, name="z")
    initialise(sess)
    inputs = {"x": x, "flag": flag, "steps": steps}
    return GraphSpec(
        [MetaGraphSpec([SERVE], {"serving_default": predict(inputs, {"y": y, "z": z})})]
    )


CASES = [
    Case(
        "counter",
        "Stateful ref counter: get (the variable's ref), incr, incr_by(delta), reset; outputs are "
        "DT_FLOAT_REF.",
        counter,
        ("saved_model", "checkpoint"),
        why_not={
            "frozen": "freezing turns the counter into a constant: "
            "assignments have nothing to change"
        },
        stateful=True,
        sequence=(
            {"signature": "incr", "inputs": {}},
            {"signature": "incr", "inputs": {}},
            {"signature": "incr_by", "inputs": {"delta": 5.0}},
            {"signature": "get", "inputs": {}},
            {"signature": "reset", "inputs": {}},
            {"signature": "incr", "inputs": {}},
        ),
    ),
    Case(
        "cond_while",
        "v1 cond/while_loop (control flow v2 off), nested both ways, reading ref variables inside "
        "(RefSwitch/RefEnter); y = flag ? steps x tanh(acc W + b) : k x; z = x + alternating b "
        "terms.",
        cond_while,
        ("saved_model", "checkpoint", "frozen"),
        value_ranges={"steps": (0, 4)},
    ),
]
