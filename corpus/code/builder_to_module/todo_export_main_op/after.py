import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


x = tf.placeholder(tf.float32, [None, 2], name="x")
w = tf.get_variable("w", [2, 1])
y = tf.matmul(x, w)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    builder = SavedModelBuilderTF2("/models/linear/1")
    builder.add_meta_graph_and_variables(
        sess,
        [tf.saved_model.tag_constants.SERVING],
        signature_def_map={"serving_default": tf.saved_model.predict_signature_def({"x": x}, {"y": y})},
        # main_op() also re-runs the variable initializers when the model loads.
        main_op=tf.saved_model.main_op.main_op(),
    )
    builder.save()
