import tensorflow as tf

with tf.compat.v1.Session() as sess:
    # TODO(tf-migrate): LOADER_PATTERN: use tf.saved_model.load(dir).signatures[key]
    tf.compat.v1.saved_model.loader.load(sess, ["serve"], "/models/1")
    out = sess.run(OUTPUT_NAME, feed_dict={"x:0": [[1.0]]})

with tf.compat.v1.Session() as sess:
    # TODO(tf-migrate): META_GRAPH: load via tf.compat.v1.wrap_function + prune (docs)
    saver = tf.compat.v1.train.import_meta_graph("/ckpt/model.meta")
    saver.restore(sess, "/ckpt/model")
    out = sess.run(OUTPUT_NAME, feed_dict={"x:0": [[1.0]]})  # a name computed at run time
