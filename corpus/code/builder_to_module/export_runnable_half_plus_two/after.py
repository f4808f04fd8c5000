"""Runnable: predict + classify + regress over tf.Example, like TF Serving's half_plus_two.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables


def generate_saved_model(export_dir):
    """y = a*x + b, y2 = a*x + c; a, b, c nudged by one training step."""

    class ExportModule(tf2.Module):
        """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

        def __init__(self):
            super().__init__()
            # The trained TF1 variables, tracked under their TF1 names.
            self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

        @tf2.function(input_signature=[
            tf2.TensorSpec(None, tf2.string, name=tf2.saved_model.REGRESS_INPUTS),
        ])
        def regress_x_to_y(self, serialized_tf_example):
            tf_example = tf.parse_example(serialized_tf_example, feature_configs)
            x = tf.identity(tf_example["x"], name="x")
            y = tf.add(tf.multiply(a, x), b, name="y")
            return {tf2.saved_model.REGRESS_OUTPUTS: y}

        @tf2.function(input_signature=[
            tf2.TensorSpec(None, tf2.string, name=tf2.saved_model.REGRESS_INPUTS),
        ])
        def regress_x_to_y2(self, serialized_tf_example):
            tf_example = tf.parse_example(serialized_tf_example, feature_configs)
            x = tf.identity(tf_example["x"], name="x")
            y2 = tf.add(tf.multiply(a, x), c, name="y2")
            return {tf2.saved_model.REGRESS_OUTPUTS: y2}

        @tf2.function(input_signature=[
            tf2.TensorSpec(None, tf2.string, name=tf2.saved_model.CLASSIFY_INPUTS),
        ])
        def classify_x_to_y(self, serialized_tf_example):
            tf_example = tf.parse_example(serialized_tf_example, feature_configs)
            x = tf.identity(tf_example["x"], name="x")
            y = tf.add(tf.multiply(a, x), b, name="y")
            return {tf2.saved_model.CLASSIFY_OUTPUT_SCORES: y}

        @tf2.function(input_signature=[tf2.TensorSpec([None, 1], tf2.float32, name="x")])
        def serving_default(self, raw_x):
            raw_y = tf.add(tf.multiply(a, raw_x), b, name="raw_y")
            return {"y": raw_y}

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
        export_module = ExportModule()
        tf2.saved_model.save(export_module, export_dir, signatures={
            "regress_x_to_y": export_module.regress_x_to_y,
            "regress_x_to_y2": export_module.regress_x_to_y2,
            "classify_x_to_y": export_module.classify_x_to_y,
            tf2.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY: export_module.serving_default,
        })
        # tf.saved_model.save writes every signature as predict; keep TF Serving's Classify/Regress.
        method_names = tf.saved_model.signature_def_utils.MethodNameUpdater(export_dir)
        method_names.replace_method_name("regress_x_to_y", tf2.saved_model.REGRESS_METHOD_NAME)
        method_names.replace_method_name("regress_x_to_y2", tf2.saved_model.REGRESS_METHOD_NAME)
        method_names.replace_method_name("classify_x_to_y", tf2.saved_model.CLASSIFY_METHOD_NAME)
        method_names.save()


generate_saved_model(sys.argv[1])
