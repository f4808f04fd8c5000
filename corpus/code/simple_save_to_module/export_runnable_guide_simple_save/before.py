"""Runnable: the `add_two` simple_save export from "Migrate the SavedModel workflow".

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import tensorflow as tf
import tensorflow.compat.v1 as tf1

EXPORT_DIR = sys.argv[1]


def add_two(input):
    return input + 2


with tf.Graph().as_default() as g:
    with tf1.Session() as sess:
        input = tf1.placeholder(tf.float32, shape=[])
        output = add_two(input)
        print("add_two output: ", sess.run(output, {input: 3.0}))

        tf1.saved_model.simple_save(
            sess, EXPORT_DIR, inputs={"input": input}, outputs={"output": output}
        )
