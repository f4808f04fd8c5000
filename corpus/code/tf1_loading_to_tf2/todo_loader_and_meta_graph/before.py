import tensorflow as tf

with tf.compat.v1.Session() as sess:
    tf.compat.v1.saved_model.loader.load(sess, ["serve"], "/models/1")
    out = sess.run(OUTPUT_NAME, feed_dict={"x:0": [[1.0]]})

with tf.compat.v1.Session() as sess:
    saver = tf.compat.v1.train.import_meta_graph("/ckpt/model.meta")
    saver.restore(sess, "/ckpt/model")
    out = sess.run(OUTPUT_NAME, feed_dict={"x:0": [[1.0]]})  # a name computed at run time
