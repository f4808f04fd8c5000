from tensorflow.python.saved_model import builder as saved_model_builder
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


x = tf.placeholder(tf.float32, [None], name="x")
y = tf.identity(x * 2.0)
if_training = tf.placeholder_with_default(False, [])


def add_signatures(builder, sess):
    builder.add_meta_graph_and_variables(sess, ["serve"], signature_def_map={
        "serving_default": tf.saved_model.predict_signature_def({"x": x}, {"y": y}),
    })


with tf.Session() as sess:
    builder = SavedModelBuilderTF2("/models/double/1")
    add_signatures(builder, sess)
    builder.save()
    z = tf.identity(y + tf.cast(if_training, tf.float32))
    simple_save_tf2(sess, "/models/z/1", inputs={"x": x, "flag": if_training}, outputs={"z": z})
