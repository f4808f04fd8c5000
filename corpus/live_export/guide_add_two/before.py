"""Runnable: the `add_two` Builder export from TensorFlow's "Migrate the SavedModel workflow".

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

        # Save with SavedModelBuilder
        builder = tf1.saved_model.Builder(EXPORT_DIR)
        sig_def = tf1.saved_model.predict_signature_def(
            inputs={"input": input}, outputs={"output": output}
        )
        builder.add_meta_graph_and_variables(
            sess,
            tags=["serve"],
            signature_def_map={tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY: sig_def},
        )
        builder.save()
