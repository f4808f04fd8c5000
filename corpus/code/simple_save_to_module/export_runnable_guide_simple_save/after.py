"""Runnable: the `add_two` simple_save export from "Migrate the SavedModel workflow".

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import tensorflow as tf
import tensorflow.compat.v1 as tf1

EXPORT_DIR = sys.argv[1]


def add_two(input):
    return input + 2


class ExportModule(tf.Module):
    """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

    def __init__(self):
        super().__init__()
        # The trained TF1 variables, tracked under their TF1 names.
        self.tf1_variables = {v.op.name: v for v in tf1.global_variables()}

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32, name="input")])
    def serving_default(self, input):
        output = add_two(input)
        return {"output": output}


with tf.Graph().as_default() as g:
    with tf1.Session() as sess:
        input = tf1.placeholder(tf.float32, shape=[])
        output = add_two(input)
        print("add_two output: ", sess.run(output, {input: 3.0}))

        export_module = ExportModule()
        tf.saved_model.save(export_module, EXPORT_DIR, signatures={
            "serving_default": export_module.serving_default,
        })
