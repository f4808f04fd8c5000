"""Runnable: predict + classify + regress over tf.Example, like TF Serving's half_plus_two.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import tensorflow.compat.v1 as tf


# tf-migrate: the live export block (codemods/live_export_template.py) goes here


tf.disable_v2_behavior()


def generate_saved_model(export_dir):
    """y = a*x + b, y2 = a*x + c; a, b, c nudged by one training step."""
    with tf.Session(graph=tf.Graph()) as sess:
        a = tf.Variable(0.5, name="a")
        b = tf.Variable(2.0, name="b")
        c = tf.Variable(3.0, name="c")

        serialized_tf_example = tf.placeholder(tf.string, name="tf_example")
        feature_configs = {
            "x": tf.FixedLenFeature([1], dtype=tf.float32),
            "x2": tf.FixedLenFeature([1], dtype=tf.float32, default_value=[0.0]),
        }
        tf_example = tf.parse_example(serialized_tf_example, feature_configs)
        x = tf.identity(tf_example["x"], name="x")
        y = tf.add(tf.multiply(a, x), b, name="y")
        y2 = tf.add(tf.multiply(a, x), c, name="y2")
        raw_x = tf.placeholder(tf.float32, [None, 1], name="raw_x")
        raw_y = tf.add(tf.multiply(a, raw_x), b, name="raw_y")

        step = tf.group(tf.assign_add(a, 0.25), tf.assign_add(c, -1.0))
        sess.run(tf.global_variables_initializer())
        sess.run(step)

        builder = SavedModelBuilderTF2(export_dir)
        predict_input = tf.saved_model.utils.build_tensor_info(raw_x)
        predict_output = tf.saved_model.utils.build_tensor_info(raw_y)
        predict_signature = tf.saved_model.signature_def_utils.build_signature_def(
            inputs={"x": predict_input},
            outputs={"y": predict_output},
            method_name=tf.saved_model.signature_constants.PREDICT_METHOD_NAME,
        )
        signature_def_map = {
            "regress_x_to_y": tf.saved_model.signature_def_utils.regression_signature_def(
                serialized_tf_example, y
            ),
            "regress_x_to_y2": tf.saved_model.signature_def_utils.regression_signature_def(
                examples=serialized_tf_example, predictions=y2
            ),
            "classify_x_to_y": tf.saved_model.signature_def_utils.classification_signature_def(
                examples=serialized_tf_example, classes=None, scores=y
            ),
            tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: predict_signature,
        }
        builder.add_meta_graph_and_variables(
            sess,
            [tf.saved_model.tag_constants.SERVING],
            signature_def_map=signature_def_map,
            main_op=tf.tables_initializer(),
        )
        builder.save()


generate_saved_model(sys.argv[1])
