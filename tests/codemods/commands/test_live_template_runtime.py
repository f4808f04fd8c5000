"""The live export block itself, run in fresh processes on graphs the corpus programs showed.

Each program is the block plus a tiny TF1 graph exported with `simple_save_tf2`; the TF2 export
is then loaded eagerly in another process and must give what the TF1 session computed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from codemods.commands._export.live_template import live_export_source
from tests.codemods.differential import ENV

WHILE_LOOP = """
import json, sys
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
x = tf.placeholder(tf.float32, [None, 3], name="x")
w = tf.get_variable("w", [3, 3], initializer=tf.constant_initializer(0.3))
steps = tf.placeholder_with_default(3, [], name="steps")


def body(i, h, acc):  # a TF1 while_loop reading a variable and writing a TensorArray
    h = tf.tanh(tf.matmul(h, w))
    return i + 1, h, acc.write(i, h)


_, last, acc = tf.while_loop(
    lambda i, h, acc: i < steps, body, [0, x, tf.TensorArray(tf.float32, size=steps)])
y = tf.cond(steps > 0, lambda: acc.stack()[-1] + last, lambda: last)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(json.dumps(sess.run(y, {x: [[1.0, 2.0, 3.0]]}).tolist()))
    simple_save_tf2(sess, sys.argv[1], {"x": x}, {"y": y})
"""
TENSOR_NAME_KEYS = """
import json, sys
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
x = tf.placeholder(tf.float32, [None, 3], name="x")
w = tf.get_variable("w", [3, 2], initializer=tf.constant_initializer(0.3))
probabilities = tf.nn.softmax(tf.matmul(x, w))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(json.dumps(sess.run(probabilities, {x: [[1.0, 2.0, 3.0]]}).tolist()))
    simple_save_tf2(sess, sys.argv[1], {"x": x}, {t.name: t for t in [probabilities]})
"""
LOAD = """
import json, sys
import tensorflow as tf
serve = tf.saved_model.load(sys.argv[1]).signatures["serving_default"]
outputs = serve(x=tf.constant([[1.0, 2.0, 3.0]]))
print(json.dumps({key: value.numpy().tolist() for key, value in outputs.items()}))
"""


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300,
        env={**os.environ, **ENV}, check=False,
    )  # fmt: skip


def _export_and_serve(program: str, tmp_path: Path) -> tuple[list[list[float]], dict[str, Any]]:
    """What the TF1 session computed, and what the loaded TF2 export serves, by output key."""
    export = tmp_path / "export"
    exported = _run(live_export_source() + textwrap.dedent(program), str(export))
    assert exported.returncode == 0, exported.stderr[-3000:]
    assert "tf-migrate live export:" not in exported.stderr  # the TF2 export, no fallback
    served = _run(LOAD, str(export))
    assert served.returncode == 0, served.stderr[-3000:]
    return json.loads(exported.stdout.splitlines()[-1]), json.loads(served.stdout.splitlines()[-1])


@pytest.mark.slow
def test_tf1_while_loop_reading_a_variable_exports_and_serves(tmp_path: Path) -> None:
    """dynamic_rnn_cond: built by tf.function, the imported loop failed (its automatic control
    dependencies tied the loop's Merge to a variable read outside its frame, or the build
    fell back to TF1); wrap_function builds it as TF1 ran it."""
    expected, served = _export_and_serve(WHILE_LOOP, tmp_path)
    assert served["y"][0] == pytest.approx(expected[0], abs=1e-6)


@pytest.mark.slow
def test_tensor_names_as_output_keys_are_kept(tmp_path: Path) -> None:
    """keras_h5_reload: `{t.name: t for t in model.outputs}` keys ("Softmax:0") are no op names;
    the export fell back to TF1. The key is kept, the op gets a valid name."""
    expected, served = _export_and_serve(TENSOR_NAME_KEYS, tmp_path)
    assert list(served) == ["Softmax:0"]
    assert served["Softmax:0"][0] == pytest.approx(expected[0], abs=1e-6)
