import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


HEADS = ["price", "rating"]

features = tf.placeholder(tf.float32, [None, 8], name="features")
outputs = {head: tf.layers.dense(features, 1, name=head) for head in HEADS}

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    signatures = {}
    for head in HEADS:
        signatures[head] = tf.saved_model.predict_signature_def({"features": features}, {head: outputs[head]})
    builder = SavedModelBuilderTF2("/models/heads/1")
    builder.add_meta_graph_and_variables(sess, ["serve"], signature_def_map=signatures)
    builder.save()
